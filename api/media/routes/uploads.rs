//! Resumable uploads over tus 1.0 (core, creation, termination, checksum, expiration), for
//! phones on weak networks: an upload cut off at any byte resumes from the server's offset.
//! `Upload-Metadata` must name the evidence (`evidence_id`); the finished file goes through
//! the same verification and storage as a plain `PUT`.

use std::time::{Duration, SystemTime};

use actix_web::http::header::{self, HeaderValue, HttpDate};
use actix_web::{delete, head, options, patch, post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;

use super::header_str;
use crate::auth::CurrentUser;
use crate::db::schema::uploads;
use crate::db::{self, Db};
use crate::domain::{parse_id, DomainError};
use crate::error::{ApiError, Problem};
use crate::media::error::MediaError;
use crate::media::model::UploadRow;
use crate::media::spool::{self, Spooled};
use crate::media::sweep::part_path;
use crate::media::{digest, ingest, parts, store, tus};
use crate::state::AppState;

fn with_tus(mut res: HttpResponse) -> HttpResponse {
    res.headers_mut().insert(
        header::HeaderName::from_static("tus-resumable"),
        HeaderValue::from_static(tus::VERSION),
    );
    res
}

/// An error answer that keeps tus's headers (the observe middleware re-renders the body only).
fn tus_error(e: impl Into<ApiError>) -> HttpResponse {
    let mut res = with_tus(HttpResponse::from_error(e.into()));
    res.headers_mut().insert(
        header::HeaderName::from_static("tus-version"),
        HeaderValue::from_static(tus::VERSION),
    );
    res
}

fn check_version(req: &HttpRequest) -> Result<(), MediaError> {
    match header_str(req, "tus-resumable") {
        Some(v) if v.trim() == tus::VERSION => Ok(()),
        _ => Err(MediaError::TusVersion),
    }
}

fn expires_header(at: chrono::NaiveDateTime) -> String {
    let secs = u64::try_from(at.and_utc().timestamp()).unwrap_or(0);
    HttpDate::from(SystemTime::UNIX_EPOCH + Duration::from_secs(secs)).to_string()
}

fn set(res: &mut HttpResponse, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        res.headers_mut()
            .insert(header::HeaderName::from_static(name), v);
    }
}

/// The caller's own upload, not expired; "not found" otherwise.
async fn own_upload(db: &Db, me: &CurrentUser, id: &str) -> Result<UploadRow, MediaError> {
    let (id, user) = (id.to_owned(), me.user.id.clone());
    db.read(move |c| {
        let row = store::upload(c, &id)?.filter(|u| u.user_id == user && u.expires_at > db::now());
        row.ok_or(MediaError::Domain(DomainError::NotFound))
    })
    .await
}

/// What this server speaks (no authentication needed, as tus clients probe first).
#[utoipa::path(tag = "uploads", responses((status = 204, description = "Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm")))]
#[options("/uploads")]
pub async fn uploads_options(state: web::Data<AppState>) -> HttpResponse {
    let mut res = with_tus(HttpResponse::NoContent().finish());
    set(&mut res, "tus-version", tus::VERSION);
    set(&mut res, "tus-extension", tus::EXTENSIONS);
    set(&mut res, "tus-checksum-algorithm", tus::CHECKSUM_ALGORITHMS);
    set(
        &mut res,
        "tus-max-size",
        &state.media.settings.max_upload_bytes.to_string(),
    );
    res
}

/// Start a resumable upload: `Upload-Length` and `Upload-Metadata` with `evidence_id`
/// (base64, as tus encodes metadata). Answers 201 with `Location`.
#[utoipa::path(tag = "uploads", security(("bearer" = [])),
    params(("Tus-Resumable" = String, Header, description = "1.0.0"), ("Upload-Length" = u64, Header, description = "Size of the whole file"), ("Upload-Metadata" = String, Header, description = "`evidence_id <base64>`, optionally `filename <base64>`")),
    responses((status = 201, description = "Created; `Location` is the upload's URL"), (status = 404, description = "No such evidence in your scope", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Tus version not supported", body = Problem, content_type = "application/problem+json"), (status = 413, description = "Over the size limit", body = Problem, content_type = "application/problem+json")))]
#[post("/uploads")]
pub async fn create_upload(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
) -> HttpResponse {
    match create(&state, &me, &req).await {
        Ok(res) => res,
        Err(e) => tus_error(e),
    }
}

async fn create(
    state: &AppState,
    me: &CurrentUser,
    req: &HttpRequest,
) -> Result<HttpResponse, MediaError> {
    check_version(req)?;
    if header_str(req, "upload-defer-length").is_some() {
        return Err(MediaError::BadMetadata(
            "Upload-Defer-Length is not supported; send Upload-Length".into(),
        ));
    }
    let length = tus::parse_u64("Upload-Length", header_str(req, "upload-length"))?;
    let media = &state.media;
    if length == 0 {
        return Err(MediaError::Empty);
    }
    if length > media.settings.max_upload_bytes {
        return Err(MediaError::TooLarge {
            limit: media.settings.max_upload_bytes,
        });
    }
    let raw_meta = header_str(req, "upload-metadata").unwrap_or("");
    let meta = tus::parse_metadata(raw_meta)?;
    let evidence_id = meta.get("evidence_id").ok_or_else(|| {
        MediaError::BadMetadata(
            "Upload-Metadata must name the evidence: evidence_id <base64 id>".into(),
        )
    })?;
    let evidence_id = parse_id(evidence_id)?;
    ingest::target(&state.db, me, &evidence_id).await?;
    let id = db::new_id();
    std::fs::File::create(part_path(media, &id))?;
    let expires = parts::expiry(media);
    let (id2, user, raw) = (id.clone(), me.user.id.clone(), raw_meta.to_owned());
    let len = i64::try_from(length).unwrap_or(i64::MAX);
    state
        .db
        .write(move |c| {
            diesel::insert_into(uploads::table)
                .values((
                    uploads::id.eq(&id2),
                    uploads::evidence_id.eq(&evidence_id),
                    uploads::user_id.eq(&user),
                    uploads::length.eq(len),
                    uploads::received.eq(0),
                    uploads::metadata.eq(&raw),
                    uploads::expires_at.eq(expires),
                    uploads::created_at.eq(db::now()),
                ))
                .execute(c)
                .map_err(MediaError::from)
        })
        .await?;
    let mut res = with_tus(HttpResponse::Created().finish());
    set(&mut res, "location", &format!("/api/v1/uploads/{id}"));
    set(&mut res, "upload-expires", &expires_header(expires));
    Ok(res)
}

/// Where the upload stands: `Upload-Offset` is where to resume, exactly the bytes durably
/// kept (anything a crash left beyond the committed offset is cut off first).
#[utoipa::path(tag = "uploads", security(("bearer" = [])), params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, description = "`Upload-Offset`, `Upload-Length`"), (status = 404, description = "Unknown, someone else's, or expired")))]
#[head("/uploads/{id}")]
pub async fn upload_offset(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    req: HttpRequest,
) -> HttpResponse {
    let run = async {
        check_version(&req)?;
        let id = parse_id(&id)?;
        let u = own_upload(&state.db, &me, &id).await?;
        let committed = u64::try_from(u.received).unwrap_or(0);
        let offset = parts::settle(&state.media, &state.db, &id, committed).await?;
        let mut res = with_tus(HttpResponse::Ok().finish());
        set(&mut res, "upload-offset", &offset.to_string());
        set(&mut res, "upload-length", &u.length.to_string());
        set(&mut res, "upload-expires", &expires_header(u.expires_at));
        set(&mut res, "cache-control", "no-store");
        Ok::<_, MediaError>(res)
    };
    run.await.unwrap_or_else(tus_error)
}

/// Send bytes from `Upload-Offset` on (`Content-Type: application/offset+octet-stream`),
/// optionally with `Upload-Checksum: sha256 <base64>` of this request's bytes. When the last
/// byte arrives the photo is verified and stored, exactly as with `PUT …/content`.
#[utoipa::path(tag = "uploads", security(("bearer" = [])), params(("id" = String, Path, description = "Upload id"), ("Upload-Offset" = u64, Header, description = "Where these bytes start")),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses((status = 204, description = "Accepted; `Upload-Offset` is the new offset"),
        (status = 409, description = "Wrong offset (`upload_offset_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Headers wrong (`upload_headers_invalid`), or an `Upload-Checksum` of another algorithm than sha256 (`checksum_algorithm_unsupported`)", body = Problem, content_type = "application/problem+json"),
        (status = 460, description = "Checksum mismatch; the bytes of this request were discarded", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The finished file is not an accepted image", body = Problem, content_type = "application/problem+json")))]
#[patch("/uploads/{id}")]
pub async fn upload_bytes(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return tus_error(e),
    };
    let Some(_busy) = parts::Busy::take(&state.media, &id) else {
        return tus_error(MediaError::Busy);
    };
    patch_inner(&state, &me, &id, &req, payload)
        .await
        .unwrap_or_else(tus_error)
}

async fn patch_inner(
    state: &AppState,
    me: &CurrentUser,
    id: &str,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, MediaError> {
    check_version(req)?;
    if header_str(req, "content-type").map(str::trim) != Some(tus::OFFSET_CONTENT_TYPE) {
        return Err(MediaError::BadMetadata(format!(
            "Content-Type must be {}",
            tus::OFFSET_CONTENT_TYPE
        )));
    }
    let offset = tus::parse_u64("Upload-Offset", header_str(req, "upload-offset"))?;
    let checksum = header_str(req, "upload-checksum")
        .map(digest::from_tus_checksum)
        .transpose()?;
    let u = own_upload(&state.db, me, id).await?;
    let (received, length) = (
        u64::try_from(u.received).unwrap_or(0),
        u64::try_from(u.length).unwrap_or(0),
    );
    if offset != received {
        return Err(MediaError::OffsetMismatch {
            given: offset,
            expected: received,
        });
    }
    let media = &state.media;
    let got = parts::receive(media, &state.db, id, (received, length), checksum, payload).await?;
    if got.complete {
        finish(state, me, &u, &part_path(media, id)).await?;
    }
    let mut res = with_tus(HttpResponse::NoContent().finish());
    set(&mut res, "upload-offset", &got.offset.to_string());
    set(&mut res, "upload-expires", &expires_header(got.expires));
    Ok(res)
}

/// The last byte arrived: verify and store as a plain upload would, then forget the upload.
async fn finish(
    state: &AppState,
    me: &CurrentUser,
    u: &UploadRow,
    path: &std::path::Path,
) -> Result<(), MediaError> {
    let p = path.to_path_buf();
    let sha = web::block(move || spool::hash_file(&p)).await??;
    let size = u64::try_from(u.length).unwrap_or(0);
    let spooled = Spooled {
        path: tempfile::TempPath::try_from_path(path)?,
        sha256: sha,
        size,
    };
    let outcome = ingest::accept(
        &state.media,
        &state.db,
        me,
        &u.evidence_id,
        spooled,
        None,
        true,
    )
    .await;
    // Stored or refused, the upload is over and its bytes are gone (a refused file would be
    // refused again; a store failure means sending it anew, which the phone still can).
    let id = u.id.clone();
    state
        .db
        .write(move |c| {
            diesel::delete(uploads::table.find(&id))
                .execute(c)
                .map_err(MediaError::from)
        })
        .await?;
    outcome.map(|_| ())
}

/// Abandon an upload; its bytes are deleted (tus termination).
#[utoipa::path(tag = "uploads", security(("bearer" = [])), params(("id" = String, Path, description = "Upload id")), responses((status = 204, description = "Deleted")))]
#[delete("/uploads/{id}")]
pub async fn delete_upload(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    req: HttpRequest,
) -> HttpResponse {
    let run = async {
        check_version(&req)?;
        let id = parse_id(&id)?;
        let u = own_upload(&state.db, &me, &id).await?;
        let id2 = u.id.clone();
        state
            .db
            .write(move |c| {
                diesel::delete(uploads::table.find(&id2))
                    .execute(c)
                    .map_err(MediaError::from)
            })
            .await?;
        let _ = std::fs::remove_file(part_path(&state.media, &u.id));
        Ok::<_, MediaError>(with_tus(HttpResponse::NoContent().finish()))
    };
    run.await.unwrap_or_else(tus_error)
}
