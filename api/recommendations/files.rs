//! A remedy's files (khắc phục evidence, issue 18: "photos or documents, through the same
//! upload path"): PDF, DOCX or a decoded photo, kept by `attachments` with owner kind
//! `remedy`. Written by whoever may follow the recommendation up (administrators, leads of a
//! team the unit is assigned to, the unit's own representative); read by whoever reads the
//! recommendation. Anyone else: 404 (docs/recommendations.md).

use actix_web::{put, web, HttpRequest, HttpResponse};

use super::service::{may_follow_up, visible};
use super::store::{self, RemedyRow};
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

/// Whether the caller reads remedy `remedy_id` (and so its files): they read its
/// recommendation.
pub fn may_read_remedy(
    conn: &mut DbConn,
    scope: &Scope,
    remedy_id: &str,
) -> Result<bool, DomainError> {
    let Some(r) = store::find_remedy(conn, remedy_id)? else {
        return Ok(false);
    };
    match visible(conn, scope, &r.recommendation_id) {
        Ok(_) => Ok(true),
        Err(DomainError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The remedy of `rec_id` the caller may attach files to: 404 when they cannot read it (or it
/// is another recommendation's), 403 when they read but may not follow it up.
pub fn writable(
    conn: &mut DbConn,
    scope: &Scope,
    rec_id: &str,
    remedy_id: &str,
) -> Result<RemedyRow, DomainError> {
    let l = visible(conn, scope, rec_id)?;
    let r = store::find_remedy(conn, remedy_id)?
        .filter(|r| r.recommendation_id == rec_id)
        .ok_or(DomainError::NotFound)?;
    if !may_follow_up(conn, scope, &l.unit_id)? {
        return Err(DomainError::Forbidden);
    }
    Ok(r)
}

/// Records the received file as attachment `file_id` of the remedy, audited when new.
pub fn attach(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    (rec_id, remedy_id): (&str, &str),
    file: (&str, &str),
    received: &Received,
) -> Result<(FileView, Recorded), AttachmentError> {
    writable(conn, scope, rec_id, remedy_id)?;
    let owner = Owner {
        kind: OwnerKind::Remedy,
        id: remedy_id,
        entity: "remedy",
        entity_id: remedy_id,
        extra: None,
    };
    record_audited(conn, actor, owner, file, received)
}

/// Attaches an already received file (the API's upload and the web form's).
pub async fn store(
    state: &AppState,
    me: CurrentUser,
    (rec, remedy, fid): (String, String, String),
    filename: String,
    file: Received,
) -> Result<(FileView, Recorded), ApiError> {
    att::store_with(state, me, file, move |c, actor, scope, f| {
        attach(c, actor, scope, (&rec, &remedy), (&fid, &filename), f)
    })
    .await
}

/// Attach a file to a remedy (khắc phục): a PDF, DOCX or photo (JPEG, PNG, WebP), checked
/// by its bytes (415 `attachment_type_unsupported` otherwise; a photo is decoded as evidence
/// is, 422 `image_damaged` when it is not a whole image), at most the configured size (413).
/// Whoever may follow the recommendation up: administrators, leads of a team the unit is
/// assigned to, the unit's own representative (403 for other readers, 404 for the rest).
/// `file_id` is the client's: the same bytes again answer 200; other bytes 409.
#[utoipa::path(tag = "recommendations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Recommendation id"), ("remedy_id" = String, Path, description = "Remedy id"), ("file_id" = String, Path, description = "Attachment id (a UUID made by the client)"), AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file, byte-exact; its kind is read from the bytes, so any `Content-Type` is taken"),
    responses(
        (status = 201, description = "Received", body = FileView),
        (status = 200, description = "These bytes were already received under this id", body = FileView),
        (status = 404, description = "No such remedy, or not the caller's to read", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Other bytes under this id (`attachment_content_differs`), or the id used elsewhere (`id_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the size limit (`attachment_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not PDF, DOCX, JPEG, PNG or WebP (`attachment_type_unsupported`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A photo that does not decode (`image_damaged`, …)", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/recommendations/{id}/remedies/{remedy_id}/files/{file_id}")]
pub async fn attach_remedy_file(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String, String)>,
    q: web::Query<AttachmentQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (rec, remedy, fid) = path.into_inner();
    let (rec, remedy) = (parse_id(&rec)?, parse_id(&remedy)?);
    let fid = client_id("/file_id", Some(&fid))?;
    let name = q.into_inner().filename.unwrap_or_default();
    let (r2, m2) = (rec.clone(), remedy.clone());
    let check = move |c: &mut DbConn, s: &Scope| writable(c, s, &r2, &m2).map(|_| ());
    let write = move |c: &mut DbConn, a: &Actor, s: &Scope, f: &Received| {
        attach(c, a, s, (&rec, &remedy), (&fid, &name), f)
    };
    att::put_owned(&state, me, (&req, payload), OwnerKind::Remedy, check, write).await
}
