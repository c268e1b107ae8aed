use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::CurrentUser;
use crate::domain::DomainError;
use crate::error::{ApiError, Problem};
use crate::scope::Scope;
use crate::state::AppState;
use crate::sync::pull::{self, PullPage};

#[derive(Deserialize, IntoParams)]
pub struct PullQuery {
    /// `next_cursor` of the previous pull; absent for the first pull (the whole working set).
    pub cursor: Option<String>,
    /// Changes per page, 1–5000 (default 1000).
    pub limit: Option<i64>,
    /// The client's sync schema version (or the `X-Kiemtra-Schema-Version` header).
    pub schema_version: Option<u32>,
}

/// Everything in the caller's scope that changed after `cursor`: the latest state of each row,
/// tombstones for deletions and for rows that left the caller's scope, in `seq` order, paged.
/// Repeating a pull is harmless. See docs/sync.md.
#[utoipa::path(
    tag = "sync",
    security(("bearer" = [])),
    params(PullQuery),
    responses(
        (status = 200, body = PullPage),
        (status = 400, description = "`cursor_ahead`: the cursor is beyond the server's log (a backup was restored); drop it and pull from scratch", body = Problem, content_type = "application/problem+json"),
        (status = 426, description = "Unsupported client schema version (`client_upgrade_required`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/sync/pull")]
pub async fn sync_pull(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<PullQuery>,
) -> Result<HttpResponse, ApiError> {
    super::check_schema(&req, q.schema_version)?;
    let cursor = match q.cursor.as_deref() {
        None | Some("") => pull::Cursor::default(),
        Some(c) => pull::Cursor::parse(c)
            .ok_or_else(|| ApiError::InvalidQuery("cursor is not one this server made".into()))?,
    };
    let limit = q.limit.unwrap_or(1000);
    // A read-only transaction on a read connection: a pull never waits for a push.
    let page = state
        .db
        .read_only(move |c| {
            let scope = Scope::load(c, &me)?;
            pull::pull_at(c, &scope, cursor, limit)
        })
        .await
        .map_err(|e: DomainError| ApiError::from(e))?;
    Ok(HttpResponse::Ok().json(page))
}
