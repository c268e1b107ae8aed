//! The lead's compilation of a round: the team's conclusion and report recommendations. The
//! team's lead or an administrator writes; viewers and inspectors are refused.

use actix_web::{delete, patch, post, put, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::domain::{double_option, parse_id};
use crate::error::ApiError;
use crate::reports::conclusions::{
    self, ConclusionRow, ReportRecommendationInput, ReportRecommendationRow,
};
use crate::scope::Scope;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutConclusion {
    /// Kết luận của đoàn kiểm tra.
    pub body: String,
    /// The version you edited (0 for a first conclusion); absent: overwrite.
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReportRecommendation {
    pub content: String,
    /// The inspectors' recommendations (of this team's inspections in this round) this row
    /// stands for in the report; empty for a new one.
    #[serde(default)]
    pub replaces: Vec<String>,
    /// A heading to group it under.
    pub grouping: Option<String>,
    pub responsible_unit_id: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateReportRecommendation {
    pub content: Option<String>,
    pub replaces: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub grouping: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub responsible_unit_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub responsible: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_on: Option<Option<NaiveDate>>,
    pub version: Option<i64>,
}

fn id_or_raw(raw: String) -> String {
    parse_id(&raw).unwrap_or(raw)
}

/// Write the team's conclusion (kết luận) for the round (the team's lead, administrators).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = String, Path, description = "Round id"), ("team_id" = String, Path, description = "Team id")), request_body = PutConclusion, responses((status = 200, body = ConclusionRow)))]
#[put("/rounds/{id}/teams/{team_id}/conclusion")]
pub async fn put_conclusion(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Json<PutConclusion>,
) -> Result<HttpResponse, ApiError> {
    let (round, team) = path.into_inner();
    let (round, team) = (parse_id(&round)?, parse_id(&team)?);
    let b = body.into_inner();
    let actor = me.actor();
    let row = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            conclusions::put_conclusion(c, &actor, &scope, &round, &team, &b.body, b.version)
        })
        .await?;
    Ok(HttpResponse::Ok().json(row))
}

/// Add a report recommendation: reworded, grouped, or standing for several of the
/// inspectors' recommendations, which stay as they were recorded (the team's lead,
/// administrators).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = String, Path, description = "Round id"), ("team_id" = String, Path, description = "Team id")), request_body = CreateReportRecommendation, responses((status = 201, body = ReportRecommendationRow)))]
#[post("/rounds/{id}/teams/{team_id}/report-recommendations")]
pub async fn add_report_recommendation(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Json<CreateReportRecommendation>,
) -> Result<HttpResponse, ApiError> {
    let (round, team) = path.into_inner();
    let (round, team) = (parse_id(&round)?, parse_id(&team)?);
    let b = body.into_inner();
    let input = ReportRecommendationInput {
        replaces: Some(b.replaces.into_iter().map(id_or_raw).collect()),
        grouping: Some(b.grouping),
        content: Some(b.content),
        responsible_unit_id: Some(b.responsible_unit_id.map(id_or_raw)),
        responsible: Some(b.responsible),
        due_on: Some(b.due_on),
    };
    let actor = me.actor();
    let row = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            conclusions::add_recommendation(c, &actor, &scope, &round, &team, &input)
        })
        .await?;
    Ok(HttpResponse::Created().json(row))
}

/// Change a report recommendation (the team's lead, administrators).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = String, Path, description = "Report recommendation id")), request_body = UpdateReportRecommendation, responses((status = 200, body = ReportRecommendationRow)))]
#[patch("/report-recommendations/{id}")]
pub async fn update_report_recommendation(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<UpdateReportRecommendation>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let b = body.into_inner();
    let input = ReportRecommendationInput {
        replaces: b.replaces.map(|r| r.into_iter().map(id_or_raw).collect()),
        grouping: b.grouping,
        content: b.content,
        responsible_unit_id: b.responsible_unit_id.map(|u| u.map(id_or_raw)),
        responsible: b.responsible,
        due_on: b.due_on,
    };
    let actor = me.actor();
    let row = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            conclusions::update_recommendation(c, &actor, &scope, &id, &input, b.version)
        })
        .await?;
    Ok(HttpResponse::Ok().json(row))
}

/// Remove a report recommendation; the ones it stood for show again (the team's lead,
/// administrators).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = String, Path, description = "Report recommendation id")), responses((status = 204, description = "Removed")))]
#[delete("/report-recommendations/{id}")]
pub async fn delete_report_recommendation(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let actor = me.actor();
    state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            conclusions::delete_recommendation(c, &actor, &scope, &id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
