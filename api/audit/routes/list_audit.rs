use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::audit::store::{self, AuditFilter, AuditRow};
use crate::auth::CurrentUser;
use crate::db::DbError;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Only this kind of entity (`user`, `unit`, `team`, `template`, `round`, `inspection`, …).
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Only changes by this user.
    pub actor_id: Option<String>,
    /// Entries after this sequence number (for paging forward).
    pub after: Option<i64>,
    /// 1–1000, default 100.
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Absent for changes made from the command line.
    pub actor_id: Option<String>,
    pub device_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub prev_hash: String,
    pub hash: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEntry {
            seq: r.seq,
            at: r.at.and_utc(),
            actor_id: r.actor_id,
            device_id: r.device_id,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: parse(r.before),
            after: parse(r.after),
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// The audit log, oldest first (administrators). Page with `after` = the last `seq` seen.
#[utoipa::path(tag = "audit", security(("bearer" = [])), params(AuditQuery), responses((status = 200, body = Vec<AuditEntry>)))]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let q = q.into_inner();
    let filter = AuditFilter {
        entity: q.entity,
        entity_id: q.entity_id,
        actor_id: q.actor_id,
        after_seq: q.after.unwrap_or(0).max(0),
        limit: q.limit.unwrap_or(100).clamp(1, 1000),
    };
    let rows = state
        .db
        .read(move |c| {
            store::list(c, &filter)
                .map_err(DbError::from)
                .map_err(ApiError::from)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(AuditEntry::from).collect::<Vec<_>>()))
}
