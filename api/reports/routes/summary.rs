//! `GET /rounds/{id}/summary`.

use actix_web::{get, web, HttpResponse};

use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::ApiError;
use crate::reports::service;
use crate::reports::summary::Summary;
use crate::scope::Scope;
use crate::state::AppState;

/// The round's findings compiled: per unit its score and rating, the rating distribution,
/// the share of units that fell short per section and item, recommendations with their
/// follow-up, strengths and shortcomings quoted, and the leads' conclusions. Only approved
/// inspections count; `counts.pending` says how many are not yet.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, body = Summary)))]
#[get("/rounds/{id}/summary")]
pub async fn get_summary(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let s = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::summary(c, Some(&scope), &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(s))
}
