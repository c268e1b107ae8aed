//! `/recommendations`: recommendations of approved inspections followed across rounds, their
//! remedies (khắc phục), and an inspection's earlier-round recommendations.

use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::earlier;
use super::service::{self, ListFilter, RecommendationDetail, RecommendationItem, RemedyInput};
use super::status::Status;
use super::store::RemedyRow;
use crate::auth::CurrentUser;
use crate::domain::{client_id, parse_id, DomainError};
use crate::error::{ApiError, Problem};
use crate::paging::PageParams;
use crate::scope::Scope;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecommendationQuery {
    /// The inspected unit.
    pub unit_id: Option<String>,
    /// The round whose inspection made the recommendation.
    pub round_id: Option<String>,
    /// `new`, `in_progress`, `done` or `overdue`.
    pub status: Option<String>,
    /// `true`: only overdue ones (quá hạn); `false`: none of them.
    pub overdue: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct RecommendationPage {
    pub items: Vec<RecommendationItem>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

impl RecommendationQuery {
    pub fn filter(self) -> Result<ListFilter, DomainError> {
        let id = |v: Option<String>| v.map(|s| parse_id(&s)).transpose();
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(Status::parse(s).ok_or_else(|| {
                DomainError::invalid(
                    "/status",
                    "invalid_status",
                    "One of new, in_progress, done, overdue.",
                    "Một trong: new, in_progress, done, overdue.",
                )
            })?),
        };
        Ok(ListFilter {
            unit_id: id(self.unit_id)?,
            round_id: id(self.round_id)?,
            status,
            overdue: self.overdue,
        })
    }
}

/// Recommendations (kiến nghị) of approved inspections, with their follow-up status and latest
/// remedy. Administrators and viewers read all; a lead or inspector those of units their
/// teams are assigned to (in rounds they see), from every round; a unit's representative
/// their own unit's, from every round.
#[utoipa::path(tag = "recommendations", security(("bearer" = [])), params(RecommendationQuery, PageParams), responses((status = 200, body = RecommendationPage)))]
#[get("/recommendations")]
pub async fn list_recommendations(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<RecommendationQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (limit, offset) = page.clamped();
    let f = q.into_inner().filter()?;
    let (items, total) = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::list(c, &scope, &f, limit, offset)
        })
        .await?;
    Ok(HttpResponse::Ok().json(RecommendationPage {
        items,
        total,
        limit,
        offset,
    }))
}

/// One recommendation of an approved inspection with all its remedies, oldest first.
#[utoipa::path(tag = "recommendations", security(("bearer" = [])), params(("id" = String, Path, description = "Recommendation id")), responses((status = 200, body = RecommendationDetail)))]
#[get("/recommendations/{id}")]
pub async fn get_recommendation(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let d = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::detail(c, &scope, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(d))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRemedy {
    /// A UUID made by the client; sending the same id and content again returns the first.
    pub id: Option<String>,
    /// What was done (kết quả khắc phục).
    pub note: String,
    /// The recommendation's follow-up from now on: `open`, `in_progress` or `done`.
    pub follow_up: String,
    /// The recommendation's version the writer saw (optional; 409 if it changed since).
    pub version: Option<i64>,
}

/// Add a remedy (khắc phục) to a recommendation of an approved inspection, setting its
/// follow-up. Administrators, leads of a team the unit is assigned to, and the unit's own
/// representative (another unit's recommendation is 404).
#[utoipa::path(
    tag = "recommendations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Recommendation id")),
    request_body = CreateRemedy,
    responses(
        (status = 201, body = RemedyRow),
        (status = 200, description = "Already added with this id", body = RemedyRow),
        (status = 409, description = "The id names another remedy (`id_taken`), or the recommendation changed since `version` (`version_mismatch`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/recommendations/{id}/remedies")]
pub async fn add_remedy(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<CreateRemedy>,
) -> Result<HttpResponse, ApiError> {
    let rec = parse_id(&id)?;
    let b = body.into_inner();
    let rid = client_id("/id", b.id.as_deref())?;
    let actor = me.actor();
    let input = RemedyInput {
        note: b.note,
        follow_up: b.follow_up,
        version: b.version,
        device_id: actor.device_id.clone(),
    };
    let (remedy, created) = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            service::add_remedy(c, &actor, &scope, &rec, &rid, &input)
        })
        .await?;
    Ok(if created {
        HttpResponse::Created().json(remedy)
    } else {
        HttpResponse::Ok().json(remedy)
    })
}

#[derive(Serialize, ToSchema)]
pub struct EarlierRecommendations {
    /// Not done, from rounds before this inspection's, oldest round first.
    pub items: Vec<RecommendationItem>,
}

/// The inspected unit's recommendations from earlier rounds that are not done yet: what the
/// inspectors check again. Anyone who may read the inspection.
#[utoipa::path(tag = "recommendations", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id")), responses((status = 200, body = EarlierRecommendations)))]
#[get("/inspections/{id}/earlier-recommendations")]
pub async fn earlier_recommendations(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let items = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            earlier::for_inspection(c, &scope, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(EarlierRecommendations { items }))
}
