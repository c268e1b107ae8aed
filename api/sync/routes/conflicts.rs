use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::ApiError;
use crate::scope::Scope;
use crate::state::AppState;
use crate::sync::conflicts::{self, ConflictFilter, ConflictRow, Resolution};

#[derive(Deserialize, IntoParams)]
pub struct ConflictQuery {
    pub round_id: Option<String>,
    pub inspection_id: Option<String>,
    /// `open` or `resolved`.
    pub status: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveConflict {
    /// `server`, `device` or `new`.
    pub take: Resolution,
    /// For `new`: the value (an answer `{"value": …}` / `{"na": true}`, or a findings text).
    #[schema(value_type = Option<Object>)]
    pub value: Option<Value>,
}

/// Sync conflicts in the caller's scope, oldest first.
#[utoipa::path(tag = "sync", security(("bearer" = [])), params(ConflictQuery), responses((status = 200, body = Vec<ConflictRow>)))]
#[get("/conflicts")]
pub async fn list_conflicts(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ConflictQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let f = ConflictFilter {
        round_id: q.round_id,
        inspection_id: q.inspection_id,
        status: q.status,
    };
    let rows = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            conflicts::list(c, &scope, &f)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Resolve a conflict: keep the server's value, take the device's, or set a new one. The
/// chosen value becomes current as a synced change. The team's lead or an administrator.
#[utoipa::path(tag = "sync", security(("bearer" = [])), params(("id" = String, Path, description = "Conflict id")), request_body = ResolveConflict, responses((status = 200, body = ConflictRow)))]
#[post("/conflicts/{id}/resolve")]
pub async fn resolve_conflict(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<ResolveConflict>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let b = body.into_inner();
    let actor = me.actor();
    let row = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            conflicts::resolve(c, &actor, &scope, &id, b.take, b.value.as_ref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(row))
}
