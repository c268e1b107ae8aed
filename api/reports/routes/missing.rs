//! `GET /rounds/{id}/missing`.

use actix_web::{get, web, HttpResponse};

use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::ApiError;
use crate::reports::missing::{self, Missing};
use crate::reports::service;
use crate::scope::Scope;
use crate::state::AppState;

/// What the round still owes, unit by unit, for reminders (đôn đốc): units not started;
/// inspections in progress (draft or returned) past the deadline; submitted but short of
/// evidence; waiting for approval past the deadline. Each caller sees the units of their
/// scope. The deadline is the end of the round's `due_on`, local time.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, body = Missing)))]
#[get("/rounds/{id}/missing")]
pub async fn get_missing(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let m = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            let board = service::board(c, Some(&scope), &id, crate::time::today_local())?;
            Ok::<_, ApiError>(missing::compile(&board))
        })
        .await?;
    Ok(HttpResponse::Ok().json(m))
}
