//! The team endpoints: small enough to share a file.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::domain::{parse_id, DomainError};
use crate::error::ApiError;
use crate::role::Role;
use crate::state::AppState;
use crate::teams::service::{self, TeamInput};
use crate::teams::store::{self, TeamView};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTeam {
    #[schema(example = "Đoàn kiểm tra số 1")]
    pub name: String,
    pub lead_id: String,
    #[serde(default)]
    pub member_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTeam {
    pub name: Option<String>,
    pub lead_id: Option<String>,
    /// Replaces the member list when given.
    pub member_ids: Option<Vec<String>>,
    pub version: Option<i64>,
}

/// Teams the caller may see: all for administrators and viewers, their own for others.
#[utoipa::path(tag = "teams", security(("bearer" = [])), responses((status = 200, body = Vec<TeamView>)))]
#[get("/teams")]
pub async fn list_teams(
    state: web::Data<AppState>,
    me: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let everything = matches!(me.role, Role::Admin | Role::Viewer);
    let uid = me.user.id.clone();
    let views = state
        .db
        .read(move |c| {
            let own = if everything {
                None
            } else {
                Some(store::team_ids_of(c, &uid)?)
            };
            let rows = store::list(c, own.as_deref())?;
            rows.iter()
                .map(|r| store::view(c, r))
                .collect::<Result<Vec<_>, _>>()
                .map_err(DomainError::from)
        })
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

/// One team, if the caller may see it.
#[utoipa::path(tag = "teams", security(("bearer" = [])), params(("id" = String, Path, description = "Team id")), responses((status = 200, body = TeamView)))]
#[get("/teams/{id}")]
pub async fn get_team(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let everything = matches!(me.role, Role::Admin | Role::Viewer);
    let uid = me.user.id.clone();
    let view = state
        .db
        .read(move |c| {
            if !everything && !store::team_ids_of(c, &uid)?.contains(&id) {
                return Err(DomainError::NotFound);
            }
            let row = store::find(c, &id)?.ok_or(DomainError::NotFound)?;
            Ok(store::view(c, &row)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Create a team (administrators).
#[utoipa::path(tag = "teams", security(("bearer" = [])), request_body = CreateTeam, responses((status = 201, body = TeamView)))]
#[post("/teams")]
pub async fn create_team(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: web::Json<CreateTeam>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let b = body.into_inner();
    let input = TeamInput {
        name: b.name,
        lead_id: b.lead_id,
        member_ids: b.member_ids,
    };
    let actor = me.actor();
    let view = state
        .db
        .write(move |c| service::create(c, &actor, &input))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Rename a team, change its lead, or replace its members (administrators).
#[utoipa::path(tag = "teams", security(("bearer" = [])), params(("id" = String, Path, description = "Team id")), request_body = UpdateTeam, responses((status = 200, body = TeamView)))]
#[patch("/teams/{id}")]
pub async fn update_team(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<UpdateTeam>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let b = body.into_inner();
    let actor = me.actor();
    let view = state
        .db
        .write(move |c| {
            let row = store::find(c, &id)?.ok_or(DomainError::NotFound)?;
            let members = match b.member_ids {
                Some(m) => m,
                None => store::members(c, &id)?,
            };
            let input = TeamInput {
                name: b.name.unwrap_or_else(|| row.name.clone()),
                lead_id: b.lead_id.unwrap_or_else(|| row.lead_id.clone()),
                member_ids: members,
            };
            service::update(c, &actor, &row, &input, b.version)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Delete a team without assignments (administrators).
#[utoipa::path(tag = "teams", security(("bearer" = [])), params(("id" = String, Path, description = "Team id")), responses((status = 204, description = "Deleted")))]
#[delete("/teams/{id}")]
pub async fn delete_team(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let actor = me.actor();
    state
        .db
        .write(move |c| service::delete(c, &actor, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
