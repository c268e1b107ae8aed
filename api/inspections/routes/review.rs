//! Review transitions: submit, return (with a reason), approve.

use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::inspections::{detail, InspectionDetail};
use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::{ApiError, Problem};
use crate::inspections::service;
use crate::inspections::workflow::Action;
use crate::scope::Scope;
use crate::state::AppState;

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReturnInspection {
    /// Why it goes back to the inspectors; required (422 `reason_required` without it).
    #[serde(default)]
    pub reason: Option<String>,
}

async fn transition(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: String,
    action: Action,
    reason: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let actor = me.actor();
    let d = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            let row = service::act(c, &actor, &scope, &id, action, reason.as_deref())?;
            detail(c, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(d))
}

/// Submit for review (draft or returned → submitted). Every required visible item must be
/// answered (or marked not applicable) and evidence rules met; otherwise 422 lists what is
/// missing.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Inspection id")),
    responses(
        (status = 200, body = InspectionDetail),
        (status = 409, description = "Not in a state that can be submitted (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Required items or evidence missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/inspections/{id}/submit")]
pub async fn submit_inspection(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    transition(state, me, id.into_inner(), Action::Submit, None).await
}

/// Return to the inspectors with a reason (submitted → returned). The team's lead or an
/// administrator.
#[utoipa::path(tag = "inspections", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id")), request_body = ReturnInspection, responses((status = 200, body = InspectionDetail), (status = 422, description = "No reason (`reason_required`)", body = Problem, content_type = "application/problem+json")))]
#[post("/inspections/{id}/return")]
pub async fn return_inspection(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Option<web::Json<ReturnInspection>>,
) -> Result<HttpResponse, ApiError> {
    // No body, an unreadable one or no `reason` all mean the same thing to the person
    // returning: the reason is missing (`reason_required`), not a JSON problem.
    let reason = body.and_then(|b| b.into_inner().reason).unwrap_or_default();
    let reason = crate::domain::nfc(&reason);
    transition(state, me, id.into_inner(), Action::Return, Some(reason)).await
}

/// Approve (submitted → approved); the inspection is read-only from then on. The team's lead
/// or an administrator.
#[utoipa::path(tag = "inspections", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id")), responses((status = 200, body = InspectionDetail)))]
#[post("/inspections/{id}/approve")]
pub async fn approve_inspection(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    transition(state, me, id.into_inner(), Action::Approve, None).await
}
