//! Round and assignment endpoints. Administrators manage; others see what their scope allows.

use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::domain::{double_option, parse_id, DomainError};
use crate::error::ApiError;
use crate::rounds::assign;
use crate::rounds::service::{self, RoundInput};
use crate::rounds::store::{self, AssignmentRow, RoundRow};
use crate::scope::Scope;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRound {
    #[schema(example = "Kiểm tra công tác dân vận chính quyền năm 2026")]
    pub name: String,
    /// `half_year`, `year` or `thematic`.
    #[schema(example = "year")]
    pub kind: String,
    pub template_version_id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[schema(example = "2026-11-30")]
    pub due_on: NaiveDate,
    /// `planned` (default), `open` or `closed`.
    pub status: Option<String>,
    /// The plan the round carries out, cited by every document's opening line.
    #[schema(example = "125/KH-BCĐ")]
    pub plan_number: Option<String>,
    /// The plan's date.
    #[schema(example = "2026-03-05")]
    pub plan_date: Option<NaiveDate>,
}

impl CreateRound {
    /// The round to create; it starts `planned` unless told otherwise.
    pub fn into_input(self) -> RoundInput {
        RoundInput {
            name: self.name,
            kind: self.kind,
            template_version_id: self.template_version_id,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            due_on: self.due_on,
            status: self.status.unwrap_or_else(|| "planned".into()),
            plan_number: self.plan_number,
            plan_date: self.plan_date,
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateRound {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub template_version_id: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    /// planned → open → closed; a closed round may be reopened.
    pub status: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub plan_number: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub plan_date: Option<Option<NaiveDate>>,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct AssignmentInput {
    pub unit_id: String,
    pub team_id: String,
    /// The unit's own deadline, when given (absent: left as it is; the round's counts when
    /// the assignment has none).
    pub due_on: Option<NaiveDate>,
}

/// A change to one assignment: its own deadline (`null` clears it).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAssignment {
    pub due_on: Option<NaiveDate>,
    /// The version read; a newer one on the server is 409 `version_mismatch`.
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignUnits {
    pub assignments: Vec<AssignmentInput>,
}

/// Rounds the caller may see (inspectors: open rounds of their teams).
#[utoipa::path(tag = "rounds", security(("bearer" = [])), responses((status = 200, body = Vec<RoundRow>)))]
#[get("/rounds")]
pub async fn list_rounds(
    state: web::Data<AppState>,
    me: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let rows = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::visible_rounds(c, &scope)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

fn visible_round(
    c: &mut crate::db::DbConn,
    scope: &Scope,
    id: &str,
) -> Result<RoundRow, DomainError> {
    service::visible_round(c, scope, id)
}

/// One round.
#[utoipa::path(tag = "rounds", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, body = RoundRow)))]
#[get("/rounds/{id}")]
pub async fn get_round(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let r = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            visible_round(c, &scope, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// Create a round (administrators).
#[utoipa::path(tag = "rounds", security(("bearer" = [])), request_body = CreateRound, responses((status = 201, body = RoundRow)))]
#[post("/rounds")]
pub async fn create_round(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: web::Json<CreateRound>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let input = body.into_inner().into_input();
    let actor = me.actor();
    let r = state
        .db
        .write(move |c| service::create(c, &actor, &input))
        .await?;
    Ok(HttpResponse::Created().json(r))
}

/// Change a round: name, dates, checklist version (before inspections start), status, the
/// plan it carries out (administrators).
#[utoipa::path(tag = "rounds", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), request_body = UpdateRound, responses((status = 200, body = RoundRow)))]
#[patch("/rounds/{id}")]
pub async fn update_round(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<UpdateRound>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let b = body.into_inner();
    let actor = me.actor();
    let r = state.db.write(move |c| patch(c, &actor, &id, b)).await?;
    Ok(HttpResponse::Ok().json(r))
}

/// `PATCH /rounds/{id}`'s work: the fields given change, the rest stay; also what the
/// administrators' round page calls.
pub fn patch(
    c: &mut crate::db::DbConn,
    actor: &crate::audit::Actor,
    id: &str,
    b: UpdateRound,
) -> Result<RoundRow, DomainError> {
    let cur = store::find(c, id)?.ok_or(DomainError::NotFound)?;
    let input = RoundInput {
        name: b.name.unwrap_or_else(|| cur.name.clone()),
        kind: b.kind.unwrap_or_else(|| cur.kind.clone()),
        template_version_id: b
            .template_version_id
            .unwrap_or_else(|| cur.template_version_id.clone()),
        starts_on: b.starts_on.unwrap_or(cur.starts_on),
        ends_on: b.ends_on.unwrap_or(cur.ends_on),
        due_on: b.due_on.unwrap_or(cur.due_on),
        status: b.status.unwrap_or_else(|| cur.status.clone()),
        plan_number: b.plan_number.unwrap_or_else(|| cur.plan_number.clone()),
        plan_date: b.plan_date.unwrap_or(cur.plan_date),
    };
    service::update(c, actor, &cur, &input, b.version)
}

/// The round's assignments the caller may see (non-administrators: their teams').
#[utoipa::path(tag = "rounds", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, body = Vec<AssignmentRow>)))]
#[get("/rounds/{id}/assignments")]
pub async fn list_assignments(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let rows = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            let round = visible_round(c, &scope, &id)?;
            let all = store::assignments_of(c, &id)?;
            Ok::<_, DomainError>(
                all.into_iter()
                    .filter(|a| scope.sees(&a.team_id, &round.status))
                    .collect::<Vec<_>>(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Assign units to teams in this round; a unit already assigned moves to the new team while
/// its inspection is still a draft (administrators).
#[utoipa::path(tag = "rounds", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), request_body = AssignUnits, responses((status = 200, body = Vec<AssignmentRow>)))]
#[put("/rounds/{id}/assignments")]
pub async fn assign_units(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<AssignUnits>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let mut pairs = Vec::new();
    let mut dues = Vec::new();
    for a in body.into_inner().assignments {
        let unit = parse_id(&a.unit_id).unwrap_or(a.unit_id);
        let team = parse_id(&a.team_id).unwrap_or(a.team_id);
        if let Some(d) = a.due_on {
            dues.push((unit.clone(), d));
        }
        pairs.push((unit, team));
    }
    let actor = me.actor();
    let rows = state
        .db
        .write(move |c| {
            assign::assign(c, &actor, &id, &pairs)?;
            for (unit, d) in &dues {
                assign::set_due(c, &actor, &id, unit, Some(*d), None)?;
            }
            Ok::<_, DomainError>(store::assignments_of(c, &id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Set or clear one assignment's own deadline (administrators). The effective deadline of
/// the unit is this, else the round's `due_on`.
#[utoipa::path(tag = "rounds", security(("bearer" = [])), params(("id" = String, Path, description = "Round id"), ("unit_id" = String, Path, description = "Unit id")), request_body = UpdateAssignment, responses((status = 200, body = AssignmentRow)))]
#[patch("/rounds/{id}/assignments/{unit_id}")]
pub async fn update_assignment(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Json<UpdateAssignment>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let (id, unit) = path.into_inner();
    let (id, unit) = (parse_id(&id)?, parse_id(&unit)?);
    let b = body.into_inner();
    let actor = me.actor();
    let row = state
        .db
        .write(move |c| assign::set_due(c, &actor, &id, &unit, b.due_on, b.version))
        .await?;
    Ok(HttpResponse::Ok().json(row))
}

/// Remove a unit from the round, before its inspection starts (administrators).
#[utoipa::path(tag = "rounds", security(("bearer" = [])), params(("id" = String, Path, description = "Round id"), ("unit_id" = String, Path, description = "Unit id")), responses((status = 204, description = "Removed")))]
#[delete("/rounds/{id}/assignments/{unit_id}")]
pub async fn unassign_unit(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let (id, unit) = path.into_inner();
    let (id, unit) = (parse_id(&id)?, parse_id(&unit)?);
    let actor = me.actor();
    state
        .db
        .write(move |c| assign::unassign(c, &actor, &id, &unit))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
