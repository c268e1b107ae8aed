//! A bright spot's files (issue 18: "a registry per unit: name, field, registration date,
//! status, evidence"): PDF, DOCX or a decoded photo, kept by `attachments` with owner kind
//! `bright_spot`. Written by whoever may edit it (its unit's representative, an
//! administrator) while it is registered or building; read by whoever reads it. Anyone else:
//! 404 (docs/bright-spots.md).

use actix_web::{put, web, HttpRequest, HttpResponse};

use super::edit::refusal;
use super::service::visible;
use super::status::{may_edit, Refusal, Status};
use crate::attachments::audited::{record_audited, Owner};
use crate::attachments::http::{self as att, AttachmentQuery};
use crate::attachments::listing::FileView;
use crate::attachments::service::{Received, Recorded};
use crate::attachments::{AttachmentError, OwnerKind};
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::db::DbConn;
use crate::domain::{client_id, parse_id, DomainError};
use crate::error::{ApiError, Problem};
use crate::scope::Scope;
use crate::state::AppState;

/// Whether the caller reads bright spot `id` (and so its files).
pub fn may_read(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<bool, DomainError> {
    match visible(conn, scope, id) {
        Ok(_) => Ok(true),
        Err(DomainError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The caller may attach files to bright spot `id` now: 404 when they cannot read it, 403
/// when they read but may not edit it, 409 `bright_spot_decided` once a review decided it.
pub fn writable(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<(), DomainError> {
    let l = visible(conn, scope, id)?;
    if !may_edit(scope.role, scope.unit_id.as_deref(), &l.spot.unit_id) {
        return Err(DomainError::Forbidden);
    }
    if !Status::parse(&l.spot.status).is_some_and(Status::editable) {
        return Err(refusal(Refusal::Decided));
    }
    Ok(())
}

/// Records the received file as attachment `file_id` of the bright spot, audited when new.
pub fn attach(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    spot: &str,
    file: (&str, &str),
    received: &Received,
) -> Result<(FileView, Recorded), AttachmentError> {
    writable(conn, scope, spot)?;
    let owner = Owner {
        kind: OwnerKind::BrightSpot,
        id: spot,
        entity: "bright_spot",
        entity_id: spot,
        extra: None,
    };
    record_audited(conn, actor, owner, file, received)
}

/// Attaches an already received file (the API's upload and the web form's).
pub async fn store(
    state: &AppState,
    me: CurrentUser,
    (spot, fid): (String, String),
    filename: String,
    file: Received,
) -> Result<(FileView, Recorded), ApiError> {
    att::store_with(state, me, file, move |c, actor, scope, f| {
        attach(c, actor, scope, &spot, (&fid, &filename), f)
    })
    .await
}

/// Attach a file to a bright spot: a PDF, DOCX or photo (JPEG, PNG, WebP), checked by its
/// bytes (415 otherwise; a photo is decoded as evidence is, 422 when it is not a whole image),
/// at most the configured size (413). Its unit's representative or an administrator, while it
/// is registered or building (409 `bright_spot_decided` after). `file_id` is the client's:
/// the same bytes again answer 200; other bytes 409.
#[utoipa::path(tag = "bright-spots", security(("bearer" = [])),
    params(("id" = String, Path, description = "Bright spot id"), ("file_id" = String, Path, description = "Attachment id (a UUID made by the client)"), AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file, byte-exact; its kind is read from the bytes, so any `Content-Type` is taken"),
    responses(
        (status = 201, description = "Received", body = FileView),
        (status = 200, description = "These bytes were already received under this id", body = FileView),
        (status = 404, description = "No such bright spot, or not the caller's to read", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided by a review, other bytes under this id, or the id used elsewhere", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the size limit (`attachment_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not PDF, DOCX, JPEG, PNG or WebP (`attachment_type_unsupported`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A photo that does not decode (`image_damaged`, …)", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/bright-spots/{id}/files/{file_id}")]
pub async fn attach_bright_spot_file(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
    q: web::Query<AttachmentQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (spot, fid) = path.into_inner();
    let spot = parse_id(&spot)?;
    let fid = client_id("/file_id", Some(&fid))?;
    let name = q.into_inner().filename.unwrap_or_default();
    let s2 = spot.clone();
    let check = move |c: &mut DbConn, s: &Scope| writable(c, s, &s2);
    let write = move |c: &mut DbConn, a: &Actor, s: &Scope, f: &Received| {
        attach(c, a, s, &spot, (&fid, &name), f)
    };
    att::put_owned(
        &state,
        me,
        (&req, payload),
        OwnerKind::BrightSpot,
        check,
        write,
    )
    .await
}
