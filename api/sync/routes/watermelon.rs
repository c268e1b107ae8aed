use std::collections::BTreeMap;

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::error::{ApiError, Problem};
use crate::scope::Scope;
use crate::state::AppState;
use crate::sync::watermelon::{self, PushOutcome, TableChanges, WatermelonPull};

#[derive(Deserialize, IntoParams)]
pub struct WatermelonQuery {
    /// The `timestamp` of the last pull (absent or `null` on the first).
    pub last_pulled_at: Option<String>,
    /// The client's sync schema version (or the `X-Kiemtra-Schema-Version` header).
    pub schema_version: Option<u32>,
}

#[derive(Deserialize, ToSchema)]
pub struct WatermelonPush {
    pub changes: BTreeMap<String, TableChanges>,
}

fn last_pulled(q: &WatermelonQuery) -> Result<Option<i64>, ApiError> {
    match q.last_pulled_at.as_deref() {
        None | Some("") | Some("null") | Some("undefined") => Ok(None),
        Some(v) => v.parse::<i64>().map(Some).map_err(|_| {
            ApiError::InvalidQuery("last_pulled_at is not a timestamp this server made".into())
        }),
    }
}

/// WatermelonDB `pullChanges`: `{changes: {table: {created, updated, deleted}}, timestamp}`.
#[utoipa::path(tag = "sync", security(("bearer" = [])), params(WatermelonQuery), responses((status = 200, body = WatermelonPull)))]
#[get("/sync/watermelon")]
pub async fn watermelon_pull(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<WatermelonQuery>,
) -> Result<HttpResponse, ApiError> {
    super::check_schema(&req, q.schema_version)?;
    let since = last_pulled(&q)?;
    // Read-only, on a read connection: a pull never waits for a push. Only a device's first
    // pull writes (its base position), once.
    let device = me.device_id.clone();
    let (page, unmarked) = state
        .db
        .read_only(move |c| {
            let scope = Scope::load(c, &me)?;
            watermelon::pull(c, &scope, &me.device_id, since)
        })
        .await?;
    if unmarked {
        let at = page.timestamp;
        state
            .db
            .write(move |c| watermelon::mark_base(c, &device, at))
            .await?;
    }
    Ok(HttpResponse::Ok().json(page))
}

/// WatermelonDB `pushChanges`. 409 `sync_stale` when a pushed record changed on the server
/// since `last_pulled_at` (nothing is applied; the client pulls and pushes again).
#[utoipa::path(
    tag = "sync",
    security(("bearer" = [])),
    params(WatermelonQuery),
    request_body = WatermelonPush,
    responses(
        (status = 200, description = "Applied"),
        (status = 409, description = "Stale: pull first", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/sync/watermelon")]
pub async fn watermelon_push(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<WatermelonQuery>,
    body: web::Json<WatermelonPush>,
) -> Result<HttpResponse, ApiError> {
    super::check_schema(&req, q.schema_version)?;
    let since = last_pulled(&q)?.unwrap_or(0);
    let actor = me.actor();
    let changes = body.into_inner().changes;
    let late = state.settings.late_inspections;
    // The outcome is returned, not raised, so that conflicts kept before a refusal commit.
    let outcome = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            watermelon::push_with(c, &actor, &scope, since, &changes, late)
        })
        .await?;
    match outcome {
        PushOutcome::Done => Ok(HttpResponse::Ok().json(serde_json::json!({}))),
        PushOutcome::Stale(records) => Err(ApiError::conflict(
            "sync_stale",
            &format!("{} pushed record(s) changed on the server since your last pull; pull, then push again.", records.len()),
            &format!("{} bản ghi đã thay đổi trên máy chủ từ lần đồng bộ trước; hãy tải về rồi gửi lại.", records.len()),
        )),
    }
}
