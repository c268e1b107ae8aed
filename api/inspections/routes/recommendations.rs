//! Recommendations (kiến nghị): what the inspected unit should do, who is responsible, by
//! when, and how the follow-up stands.

use actix_web::{patch, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::domain::{client_id, parse_id};
use crate::error::ApiError;
use crate::inspections::service::{self, RecommendationInput};
use crate::inspections::store::RecommendationRow;
use crate::scope::Scope;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRecommendation {
    /// A UUID made by the device; creating the same id again returns the first.
    pub id: Option<String>,
    pub content: String,
    pub responsible_unit_id: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// `open` (default), `in_progress` or `done`.
    pub follow_up: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRecommendation {
    pub content: Option<String>,
    pub responsible_unit_id: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub follow_up: Option<String>,
    pub version: Option<i64>,
}

/// Add a recommendation to an inspection that is still being filled.
#[utoipa::path(tag = "inspections", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id")), request_body = CreateRecommendation, responses((status = 201, body = RecommendationRow)))]
#[post("/inspections/{id}/recommendations")]
pub async fn add_recommendation(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<CreateRecommendation>,
) -> Result<HttpResponse, ApiError> {
    let inspection = parse_id(&id)?;
    let b = body.into_inner();
    let rid = client_id("/id", b.id.as_deref())?;
    let unit = b.responsible_unit_id.map(|u| parse_id(&u).unwrap_or(u));
    let input = RecommendationInput {
        content: Some(b.content),
        responsible_unit_id: unit,
        responsible: b.responsible,
        due_on: b.due_on,
        follow_up: b.follow_up,
    };
    let actor = me.actor();
    let rec = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            service::add_recommendation(c, &actor, &scope, &inspection, &rid, &input)
        })
        .await?;
    Ok(HttpResponse::Created().json(rec))
}

/// Change a recommendation. The follow-up status can change after approval (by the team's
/// lead or an administrator); the rest only while the inspection is being filled.
#[utoipa::path(tag = "inspections", security(("bearer" = [])), params(("id" = String, Path, description = "Recommendation id")), request_body = UpdateRecommendation, responses((status = 200, body = RecommendationRow)))]
#[patch("/recommendations/{id}")]
pub async fn update_recommendation(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<UpdateRecommendation>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let b = body.into_inner();
    let unit = b.responsible_unit_id.map(|u| parse_id(&u).unwrap_or(u));
    let input = RecommendationInput {
        content: b.content,
        responsible_unit_id: unit,
        responsible: b.responsible,
        due_on: b.due_on,
        follow_up: b.follow_up,
    };
    let actor = me.actor();
    let rec = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            service::update_recommendation(c, &actor, &scope, &id, &input, b.version)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rec))
}
