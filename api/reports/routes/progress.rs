//! `GET /rounds/{id}/progress`.

use actix_web::{get, web, HttpResponse};

use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::ApiError;
use crate::reports::progress::Progress;
use crate::reports::service;
use crate::scope::Scope;
use crate::state::AppState;

/// How far the round has come, per team and overall: units assigned, inspections started,
/// submitted, returned, approved, not started, overdue against the deadline, open sync
/// conflicts and missing evidence. Each caller sees the teams of their scope.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, body = Progress)))]
#[get("/rounds/{id}/progress")]
pub async fn get_progress(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let p = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::progress(c, Some(&scope), &id, crate::time::today_local())
        })
        .await?;
    Ok(HttpResponse::Ok().json(p))
}
