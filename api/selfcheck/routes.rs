//! HTTP edge of self-assessments: the unit's own (`/self-assessments…`, unit representatives
//! only), a unit's for those who read it, and the comparison with an inspection.

use actix_web::{get, post, put, web, HttpResponse};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::compare::Comparison;
use super::service::{self, SelfAssessmentView};
use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::{ApiError, Problem};
use crate::role::Role;
use crate::scope::Scope;
use crate::state::AppState;
use crate::templates::model::Answer;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveSelfAnswer {
    /// A string, number, boolean or list as the item's type says; `null` clears the answer.
    #[serde(default)]
    #[schema(value_type = serde_json::Value)]
    pub value: Value,
    /// Not applicable (items that allow it).
    #[serde(default)]
    pub na: bool,
    /// The self-assessment `version` you last saw (0 before the first answer); 409
    /// `version_mismatch` when stale.
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SubmitSelfAssessment {
    /// The self-assessment `version` you last saw; 409 `version_mismatch` when stale.
    pub version: Option<i64>,
}

/// The rounds the caller's unit is in (under way or done), each with the unit's
/// self-assessment. Unit representatives only.
#[utoipa::path(tag = "self-assessments", security(("bearer" = [])), responses((status = 200, body = Vec<SelfAssessmentView>), (status = 403, description = "Not a unit's representative", body = Problem, content_type = "application/problem+json")))]
#[get("/self-assessments")]
pub async fn list_own(
    state: web::Data<AppState>,
    me: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    me.require(&[Role::Unit])?;
    let v = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::list_own(c, &scope)
        })
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The caller's unit's self-assessment for a round (unit representatives only; 404 when the
/// unit is not in the round).
#[utoipa::path(tag = "self-assessments", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, body = SelfAssessmentView)))]
#[get("/self-assessments/{id}")]
pub async fn get_own(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    me.require(&[Role::Unit])?;
    let round = parse_id(&id)?;
    let v = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::get_own(c, &scope, &round)
        })
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Save one answer of the caller's unit's self-assessment, while it is a draft and the round
/// open. Checked as an inspection's answers are (type, options, range, visibility); rescored.
#[utoipa::path(
    tag = "self-assessments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Round id"), ("item_id" = String, Path, description = "Checklist item id")),
    request_body = SaveSelfAnswer,
    responses(
        (status = 200, body = SelfAssessmentView),
        (status = 409, description = "Submitted (`self_assessment_submitted`), round not open, or stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid answer, with its pointer `/answers/<item>`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/self-assessments/{id}/answers/{item_id}")]
pub async fn save_answer(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Json<SaveSelfAnswer>,
) -> Result<HttpResponse, ApiError> {
    me.require(&[Role::Unit])?;
    let (round, item) = path.into_inner();
    let round = parse_id(&round)?;
    let b = body.into_inner();
    let answer = Answer {
        value: crate::domain::nfc_json(b.value),
        na: b.na,
    };
    let actor = me.actor();
    let v = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            service::save_answer(c, &actor, &scope, &round, &item, answer, b.version)
        })
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Submit the caller's unit's self-assessment: every required visible item answered (or not
/// applicable); otherwise 422 lists what is missing. It cannot change afterwards.
#[utoipa::path(
    tag = "self-assessments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Round id")),
    request_body = SubmitSelfAssessment,
    responses(
        (status = 200, body = SelfAssessmentView),
        (status = 409, description = "Already submitted, round not open, or stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Required items missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/self-assessments/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Option<web::Json<SubmitSelfAssessment>>,
) -> Result<HttpResponse, ApiError> {
    me.require(&[Role::Unit])?;
    let round = parse_id(&id)?;
    let version = body.and_then(|b| b.into_inner().version);
    let actor = me.actor();
    let v = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            service::submit(c, &actor, &scope, &round, version)
        })
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// A unit's self-assessment for a round: for administrators, viewers, and the team assigned
/// to the unit in that round. Its answers and score show once the unit has submitted it.
#[utoipa::path(tag = "self-assessments", security(("bearer" = [])), params(("id" = String, Path, description = "Round id"), ("unit_id" = String, Path, description = "Unit id")), responses((status = 200, body = SelfAssessmentView)))]
#[get("/rounds/{id}/units/{unit_id}/self-assessment")]
pub async fn get_for_unit(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (round, unit) = path.into_inner();
    let (round, unit) = (parse_id(&round)?, parse_id(&unit)?);
    let v = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::get_for(c, &scope, &round, &unit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The unit's self-assessment beside the inspection, item by item, with both scores: for
/// anyone who can read the inspection.
#[utoipa::path(tag = "self-assessments", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id")), responses((status = 200, body = Comparison)))]
#[get("/inspections/{id}/self-assessment")]
pub async fn side_by_side(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let v = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::side_by_side(c, &scope, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(v))
}
