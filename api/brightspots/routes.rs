//! `/bright-spots`: the units' điểm sáng, their registration and edits, and their evaluation
//! in rounds (reviews).

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::review::{self, ReviewInput};
use super::service::{self, BrightSpotDetail, BrightSpotView, ListFilter, SpotInput};
use super::status::Status;
use super::store::ReviewRow;
use crate::auth::CurrentUser;
use crate::domain::{client_id, parse_id, DomainError};
use crate::error::{ApiError, Problem};
use crate::paging::PageParams;
use crate::scope::Scope;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_bright_spots)
        .service(create_bright_spot)
        .service(get_bright_spot)
        .service(update_bright_spot)
        .service(review_bright_spot)
        .service(super::files::attach_bright_spot_file);
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BrightSpotQuery {
    pub unit_id: Option<String>,
    /// `registered`, `building`, `recognised` or `not_achieved`.
    pub status: Option<String>,
    /// Lĩnh vực, as registered.
    pub field: Option<String>,
    /// Registered in this year.
    pub year: Option<i32>,
}

impl BrightSpotQuery {
    pub fn filter(self) -> Result<ListFilter, DomainError> {
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(Status::parse(s).ok_or_else(|| {
                DomainError::invalid(
                    "/status",
                    "invalid_status",
                    "One of registered, building, recognised, not_achieved.",
                    "Một trong: registered, building, recognised, not_achieved.",
                )
            })?),
        };
        // A year outside any plan's is a mistake, and PostgreSQL's dates end where chrono's do
        // not (schemathesis sent -41725): refuse it rather than let the query fail.
        if self.year.is_some_and(|y| !(1900..=2200).contains(&y)) {
            return Err(DomainError::invalid(
                "/year",
                "invalid_year",
                "A year from 1900 to 2200.",
                "Năm từ 1900 đến 2200.",
            ));
        }
        let unit_id = self.unit_id.filter(|s| !s.is_empty());
        Ok(ListFilter {
            unit_id: unit_id.map(|s| parse_id(&s)).transpose()?,
            status,
            field: self.field.filter(|s| !s.is_empty()),
            year: self.year,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct BrightSpotPage {
    pub items: Vec<BrightSpotView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// The units' bright spots (điểm sáng). Administrators and viewers read all; a lead or
/// inspector those of units their teams are assigned to; a unit's representative their own.
#[utoipa::path(tag = "bright-spots", security(("bearer" = [])), params(BrightSpotQuery, PageParams), responses((status = 200, body = BrightSpotPage)))]
#[get("/bright-spots")]
pub async fn list_bright_spots(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<BrightSpotQuery>,
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
    Ok(HttpResponse::Ok().json(BrightSpotPage {
        items,
        total,
        limit,
        offset,
    }))
}

/// One bright spot with its reviews, oldest first.
#[utoipa::path(tag = "bright-spots", security(("bearer" = [])), params(("id" = String, Path, description = "Bright spot id")), responses((status = 200, body = BrightSpotDetail)))]
#[get("/bright-spots/{id}")]
pub async fn get_bright_spot(
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
pub struct CreateBrightSpot {
    /// A UUID made by the client; sending the same id and content again returns the first.
    pub id: Option<String>,
    /// The unit; a unit's representative may leave it out (their own unit).
    pub unit_id: Option<String>,
    pub name: String,
    /// Lĩnh vực.
    pub field: String,
    pub description: Option<String>,
    /// Minh chứng: text and links.
    pub evidence: Option<String>,
    /// Default: today (Asia/Ho_Chi_Minh).
    pub registered_on: Option<NaiveDate>,
}

/// Register a bright spot: a unit's representative for their own unit, an administrator for
/// any. It starts `registered`.
#[utoipa::path(
    tag = "bright-spots",
    security(("bearer" = [])),
    request_body = CreateBrightSpot,
    responses(
        (status = 201, body = BrightSpotView),
        (status = 200, description = "Already registered with this id", body = BrightSpotView),
        (status = 409, description = "The id names another bright spot (`id_taken`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bright-spots")]
pub async fn create_bright_spot(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: web::Json<CreateBrightSpot>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let id = client_id("/id", b.id.as_deref())?;
    let unit = b.unit_id.as_deref().map(parse_id).transpose()?;
    let input = SpotInput {
        name: Some(b.name),
        field: Some(b.field),
        description: b.description,
        evidence: b.evidence,
        registered_on: b.registered_on,
    };
    let actor = me.actor();
    let (v, created) = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            service::create(c, &actor, &scope, &id, unit, &input)
        })
        .await?;
    Ok(if created {
        HttpResponse::Created().json(v)
    } else {
        HttpResponse::Ok().json(v)
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBrightSpot {
    pub name: Option<String>,
    pub field: Option<String>,
    pub description: Option<String>,
    pub evidence: Option<String>,
    pub registered_on: Option<NaiveDate>,
    /// `registered` or `building`; a review decides the rest.
    pub status: Option<String>,
    /// The `version` you last saw; 409 `version_mismatch` when stale.
    pub version: Option<i64>,
}

/// Edit a bright spot while it is registered or building (its unit's representative, or an
/// administrator). Absent fields keep their value.
#[utoipa::path(
    tag = "bright-spots",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Bright spot id")),
    request_body = UpdateBrightSpot,
    responses(
        (status = 200, body = BrightSpotView),
        (status = 409, description = "Already decided by a review (`bright_spot_decided`), or stale `version`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/bright-spots/{id}")]
pub async fn update_bright_spot(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<UpdateBrightSpot>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let b = body.into_inner();
    let input = SpotInput {
        name: b.name,
        field: b.field,
        description: b.description,
        evidence: b.evidence,
        registered_on: b.registered_on,
    };
    let actor = me.actor();
    let v = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            service::update(
                c,
                &actor,
                &scope,
                &id,
                &input,
                b.status.as_deref(),
                b.version,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBrightSpotReview {
    /// A UUID made by the client; sending the same id and content again returns the first.
    pub id: Option<String>,
    /// The round of the evaluation: the unit must be assigned in it.
    pub round_id: String,
    /// `recognised`, `not_achieved` or `building` (sent back to be built further).
    pub result: String,
    /// Nhận xét.
    #[serde(default)]
    pub comment: String,
    /// The bright spot's version the reviewer saw (optional; 409 if it changed since).
    pub version: Option<i64>,
}

/// Record the evaluation of a bright spot in a round; its result sets the bright spot's status.
/// Administrators, and the lead of a team the unit is assigned to in that round.
#[utoipa::path(
    tag = "bright-spots",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Bright spot id")),
    request_body = CreateBrightSpotReview,
    responses(
        (status = 201, body = ReviewRow),
        (status = 200, description = "Already recorded with this id", body = ReviewRow),
        (status = 409, description = "The id names another review (`id_taken`), or stale `version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown result, or the unit is not in the round (`unit_not_in_round`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bright-spots/{id}/reviews")]
pub async fn review_bright_spot(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<CreateBrightSpotReview>,
) -> Result<HttpResponse, ApiError> {
    let spot = parse_id(&id)?;
    let b = body.into_inner();
    let rid = client_id("/id", b.id.as_deref())?;
    let round_id = parse_id(&b.round_id).map_err(|_| {
        DomainError::invalid(
            "/round_id",
            "unit_not_in_round",
            "Not a round.",
            "Không phải đợt kiểm tra.",
        )
    })?;
    let input = ReviewInput {
        round_id,
        result: b.result,
        comment: b.comment,
        version: b.version,
    };
    let actor = me.actor();
    let (row, created) = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            review::review(c, &actor, &scope, &spot, &rid, &input)
        })
        .await?;
    Ok(if created {
        HttpResponse::Created().json(row)
    } else {
        HttpResponse::Ok().json(row)
    })
}
