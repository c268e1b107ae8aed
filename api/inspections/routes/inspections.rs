//! Creating, listing, reading and filling inspections.

use std::collections::BTreeMap;

use actix_web::{get, patch, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::domain::{client_id, parse_id, DomainError};
use crate::error::{ApiError, Problem};
use crate::inspections::service::{self, Findings};
use crate::inspections::store::{
    self, EventView, InspectionFilter, InspectionRow, RecommendationRow,
};
use crate::paging::PageParams;
use crate::scope::Scope;
use crate::state::AppState;
use crate::templates::model::{Answer, Answers};
use crate::templates::scoring::ScoreReport;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInspection {
    /// A UUID made by the device, so an inspection started offline keeps its id; creating the
    /// same id again returns it (200) instead of a duplicate.
    pub id: Option<String>,
    pub round_id: String,
    pub unit_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct AnswerView {
    /// The answer: a string, number, boolean, list or `null`, as the item's type says.
    #[schema(value_type = serde_json::Value)]
    pub value: Value,
    /// Marked not applicable.
    pub na: bool,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct InspectionDetail {
    #[serde(flatten)]
    pub inspection: InspectionRow,
    /// By item id.
    pub answers: BTreeMap<String, AnswerView>,
    /// Score, band and the per-section and per-item breakdown, computed by the server.
    pub score_report: ScoreReport,
    pub recommendations: Vec<RecommendationRow>,
    /// Review history: every transition with who (id and name) and why.
    pub events: Vec<EventView>,
    /// What the caller should know although the request succeeded: on creation,
    /// `round_ended` when the round's end date has passed. Absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::inspections::late::Warning>,
    /// Suggested answers for items the inspector has not answered, from what the unit sent
    /// (docs/unit-reports.md); never stored as answers. Absent when none.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub prefill: BTreeMap<String, crate::obligations::prefill::Prefill>,
}

#[derive(Deserialize, IntoParams)]
pub struct InspectionQuery {
    pub round_id: Option<String>,
    pub unit_id: Option<String>,
    pub team_id: Option<String>,
    /// `draft`, `submitted`, `returned` or `approved`.
    pub status: Option<String>,
}

/// An inspection in a list, with the unit it inspects named.
#[derive(Serialize, ToSchema)]
pub struct InspectionListItem {
    #[serde(flatten)]
    pub inspection: InspectionRow,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InspectionPage {
    pub items: Vec<InspectionListItem>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveAnswers {
    /// By item id: `{"value": …}`, `{"na": true}`, or `{"value": null}` to clear.
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, Answer>,
    /// The inspection `version` you last saw; 409 `version_mismatch` when stale.
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateFindings {
    /// Ưu điểm (required, with `shortcomings`, to submit). `""` clears a text.
    pub strengths: Option<String>,
    /// Hạn chế.
    pub shortcomings: Option<String>,
    /// Nguyên nhân.
    pub causes: Option<String>,
    /// Where the team met the unit (biên bản).
    pub place: Option<String>,
    /// When the meeting began, RFC 3339 with its offset (`2026-03-10T08:00:00+07:00`).
    /// Taken as text so that a bad one is a 422 `invalid_time` pointing at it.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub held_at: Option<String>,
    /// The team's members present, in print order (at most 30); `[]` clears.
    #[schema(value_type = Option<Vec<crate::inspections::record::Person>>)]
    pub members: Option<Value>,
    /// The unit's attendees, in print order (at most 30); `[]` clears.
    #[schema(value_type = Option<Vec<crate::inspections::record::Person>>)]
    pub attendees: Option<Value>,
    pub version: Option<i64>,
}

pub(crate) fn detail(
    c: &mut crate::db::DbConn,
    row: InspectionRow,
) -> Result<InspectionDetail, DomainError> {
    let rows = store::answer_rows(c, &row.id)?;
    let (_, report) = service::report(c, &row)?;
    let answers = rows
        .iter()
        .filter(|r| r.value.is_some() || r.na)
        .map(|r| {
            let value = r
                .value
                .as_deref()
                .and_then(|v| serde_json::from_str(v).ok())
                .unwrap_or_default();
            (
                r.item_id.clone(),
                AnswerView {
                    value,
                    na: r.na,
                    version: r.version,
                    updated_by: r.updated_by.clone(),
                    updated_at: r.updated_at.and_utc(),
                },
            )
        })
        .collect();
    let answered = rows
        .iter()
        .filter(|r| r.value.is_some() || r.na)
        .map(|r| r.item_id.clone())
        .collect();
    let prefill = crate::obligations::prefill::for_inspection(c, &row, &answered)?;
    Ok(InspectionDetail {
        prefill,
        recommendations: store::recommendations_of(c, &row.id)?,
        events: store::events_of(c, &row.id)?,
        inspection: row,
        answers,
        score_report: report,
        warnings: Vec::new(),
    })
}

/// Start the inspection of a unit in a round: by a member or the lead of the team assigned
/// to the unit, while the round is open. One per unit per round.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    request_body = CreateInspection,
    responses(
        (status = 201, body = InspectionDetail),
        (status = 200, description = "Already created with this id", body = InspectionDetail),
        (status = 409, description = "The unit already has an inspection (`inspection_exists`), the round is not open, or it has ended and `late_inspections = \"refuse\"` (`round_ended`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/inspections")]
pub async fn create_inspection(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: web::Json<CreateInspection>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let id = client_id("/id", b.id.as_deref())?;
    let (round, unit) = (parse_id(&b.round_id)?, parse_id(&b.unit_id)?);
    let actor = me.actor();
    let late = state.settings.late_inspections;
    let (d, created) = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            let made = service::create_checked(c, &actor, &scope, &id, &round, &unit, late)?;
            let mut d = detail(c, made.row)?;
            d.warnings = made.warnings;
            Ok::<_, DomainError>((d, made.created))
        })
        .await?;
    Ok(if created {
        HttpResponse::Created().json(d)
    } else {
        HttpResponse::Ok().json(d)
    })
}

/// Inspections the caller may see, filterable and paged.
#[utoipa::path(tag = "inspections", security(("bearer" = [])), params(InspectionQuery, PageParams), responses((status = 200, body = InspectionPage)))]
#[get("/inspections")]
pub async fn list_inspections(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<InspectionQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (limit, offset) = page.clamped();
    let q = q.into_inner();
    let result = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            let f = InspectionFilter {
                round_id: q.round_id,
                unit_id: q.unit_id,
                team_id: q.team_id,
                status: q.status,
                team_ids: (!scope.sees_all()).then(|| scope.team_ids.clone()),
                open_rounds_only: scope.open_rounds_only(),
                limit,
                offset,
            };
            let (rows, total) = store::list(c, &f)?;
            let ids: Vec<&str> = rows.iter().map(|r| r.unit_id.as_str()).collect();
            let units = store::unit_names(c, &ids)?;
            let items = rows
                .into_iter()
                .map(|inspection| {
                    let unit = units.get(&inspection.unit_id);
                    InspectionListItem {
                        unit_code: unit.map(|u| u.0.clone()),
                        unit_name: unit.map(|u| u.1.clone()),
                        inspection,
                    }
                })
                .collect::<Vec<_>>();
            Ok::<_, DomainError>((items, total))
        })
        .await?;
    Ok(HttpResponse::Ok().json(InspectionPage {
        items: result.0,
        total: result.1,
        limit,
        offset,
    }))
}

/// One inspection with its answers, score report, recommendations and review history.
#[utoipa::path(tag = "inspections", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id")), responses((status = 200, body = InspectionDetail)))]
#[get("/inspections/{id}")]
pub async fn get_inspection(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let d = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            let (row, _) = service::visible(c, &scope, &id)?;
            detail(c, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(d))
}

/// Save answers (some or all). Each is checked against the pinned checklist: type, options,
/// range, visibility. The score is recomputed.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    request_body = SaveAnswers,
    responses(
        (status = 200, body = InspectionDetail),
        (status = 409, description = "Submitted or approved (`inspection_submitted`, `inspection_read_only`), round not open, or stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid answers, each with its pointer `/answers/<item>`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/inspections/{id}/answers")]
pub async fn save_answers(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<SaveAnswers>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let b = body.into_inner();
    let changed: Answers = b
        .answers
        .into_iter()
        .map(|(k, a)| {
            let value = crate::domain::nfc_json(a.value);
            (k, Answer { value, ..a })
        })
        .collect();
    let actor = me.actor();
    let d = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            let row = service::save_answers(c, &actor, &scope, &id, &changed, b.version)?;
            detail(c, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(d))
}

/// Write the inspection's own fields: the findings (strengths, shortcomings, causes) and the
/// biên bản record (place, held_at, members, attendees). Absent fields keep their value.
#[utoipa::path(tag = "inspections", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id")), request_body = UpdateFindings, responses((status = 200, body = InspectionDetail)))]
#[patch("/inspections/{id}")]
pub async fn update_findings(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<UpdateFindings>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let b = body.into_inner();
    let actor = me.actor();
    let d = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            let f = Findings {
                strengths: b.strengths,
                shortcomings: b.shortcomings,
                causes: b.causes,
                place: b.place,
                held_at: b.held_at,
                // The service takes the stored text form and checks it (pointers `/members/…`).
                members: b.members.map(|v| v.to_string()),
                attendees: b.attendees.map(|v| v.to_string()),
            };
            let row = service::update_findings(c, &actor, &scope, &id, &f, b.version)?;
            detail(c, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(d))
}
