//! Evidence records: create (before or without the bytes), list, read, delete.

use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::domain::{client_id, parse_id, DomainError};
use crate::error::{ApiError, Problem};
use crate::inspections::service as inspections;
use crate::media::flagged::{self, FlaggedEvidence};
use crate::media::model::EvidenceRow;
use crate::media::service::{self, NewEvidence};
use crate::media::store;
use crate::scope::Scope;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEvidence {
    /// A UUID made by the device when the photo was taken; creating it again returns the first.
    pub id: Option<String>,
    /// The checklist item the photo is evidence for.
    pub item_id: String,
    pub caption: Option<String>,
    /// When the device says it took the photo.
    pub taken_at: Option<DateTime<Utc>>,
    /// Where the device says it was (WGS 84).
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// Record a photo for an item (team members, the lead, administrators), while the inspection
/// can still change. Then send its bytes with `PUT /evidence/{id}/content` or over tus.
#[utoipa::path(tag = "evidence", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id")), request_body = CreateEvidence,
    responses((status = 201, body = EvidenceRow), (status = 409, description = "The inspection is submitted or approved (`inspection_submitted`, `inspection_read_only`), or the id names other evidence (`id_taken`)", body = Problem, content_type = "application/problem+json")))]
#[post("/inspections/{id}/evidence")]
pub async fn create_evidence(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<CreateEvidence>,
) -> Result<HttpResponse, ApiError> {
    let inspection_id = parse_id(&id)?;
    let b = body.into_inner();
    let n = NewEvidence {
        id: client_id("/id", b.id.as_deref())?,
        inspection_id,
        item_id: b.item_id,
        caption: b.caption,
        taken_at: b.taken_at,
        latitude: b.latitude,
        longitude: b.longitude,
    };
    let actor = me.actor();
    let row = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            service::create(c, &actor, &scope, &n)
        })
        .await?;
    Ok(HttpResponse::Created().json(row))
}

/// The inspection's evidence, by item, each with its `flags`: what the lead should look at
/// twice (camera time against the claim, the biên bản's day and the round's dates; position
/// against the unit's location; the same bytes used twice). Flags never refuse a photo.
#[utoipa::path(tag = "evidence", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id")), responses((status = 200, body = Vec<FlaggedEvidence>)))]
#[get("/inspections/{id}/evidence")]
pub async fn list_evidence(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let limits = state.settings.media.check_limits();
    let rows = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            inspections::visible(c, &scope, &id)?;
            let rows = store::of_inspection(c, &id)?;
            flagged::flag_all(c, rows, limits).map_err(DomainError::from)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// One piece of evidence: its record, with the verified facts once the bytes arrived, and its
/// `flags` (see the list).
#[utoipa::path(tag = "evidence", security(("bearer" = [])), params(("id" = String, Path, description = "Evidence id")), responses((status = 200, body = FlaggedEvidence)))]
#[get("/evidence/{id}")]
pub async fn get_evidence(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let limits = state.settings.media.check_limits();
    let ev = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            let (ev, _) = service::visible(c, &scope, &id)?;
            let mut one = flagged::flag_all(c, vec![ev], limits)?;
            one.pop().ok_or(DomainError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ev))
}

/// Remove a photo from an inspection that is still a draft or returned; refused (409) once
/// it is submitted or approved.
#[utoipa::path(tag = "evidence", security(("bearer" = [])), params(("id" = String, Path, description = "Evidence id")),
    responses((status = 204), (status = 409, description = "The inspection is submitted or approved", body = Problem, content_type = "application/problem+json")))]
#[delete("/evidence/{id}")]
pub async fn delete_evidence(
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
            service::delete(c, &actor, &scope, &id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
