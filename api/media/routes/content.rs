//! The bytes of a photo: upload in one request, download (with ranges), thumbnails.

use actix_web::http::header;
use actix_web::{get, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::header_str;
use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::{ApiError, Problem};
use crate::media::blob::{original_key, thumbnail_key};
use crate::media::error::MediaError;
use crate::media::ingest::{self, Outcome};
use crate::media::model::EvidenceRow;
use crate::media::service::{self, Attached};
use crate::media::{digest, serve, spool, thumbs};
use crate::scope::Scope;
use crate::state::AppState;

/// The SHA-256 the client vouches for, from whichever checksum headers it sent. Each header
/// sent must name SHA-256 (one naming only other algorithms is refused, so no check the client
/// asked for is silently skipped); two that disagree cannot both hold.
fn claimed(req: &HttpRequest) -> Result<Option<[u8; 32]>, MediaError> {
    let mut claim: Option<[u8; 32]> = None;
    for (name, shown) in [
        ("content-digest", "Content-Digest"),
        ("repr-digest", "Repr-Digest"),
        ("digest", "Digest"),
    ] {
        let values: Vec<&str> = req
            .headers()
            .get_all(name)
            .map(|v| {
                v.to_str()
                    .map_err(|_| MediaError::BadDigest(format!("{shown} is not text")))
            })
            .collect::<Result<_, _>>()?;
        if values.is_empty() {
            continue;
        }
        let joined = values.join(", ");
        let d = if name == "digest" {
            digest::from_legacy_digest(&joined)?
        } else {
            digest::from_content_digest(shown, &joined)?
        };
        if claim.is_some_and(|c| c != d) {
            return Err(MediaError::DigestMismatch { tus: false });
        }
        claim = Some(d);
    }
    Ok(claim)
}

/// Upload the photo's bytes in one request (the body is the file). Idempotent: the same bytes
/// again answer 200 and change nothing; other bytes for evidence that has some answer 409.
/// With `Content-Digest: sha-256=:…:` the bytes are checked against it. The file is verified
/// by decoding (JPEG, PNG, WebP) before it is kept.
#[utoipa::path(tag = "evidence", security(("bearer" = [])), params(("id" = String, Path, description = "Evidence id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "The original photo, byte-exact"),
    responses(
        (status = 201, description = "Stored", body = EvidenceRow),
        (status = 200, description = "These bytes were already stored", body = EvidenceRow),
        (status = 400, description = "Empty body (`upload_empty`), checksum mismatch (`checksum_mismatch`), a checksum header naming no supported algorithm (`checksum_algorithm_unsupported`) or unreadable (`checksum_header_invalid`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Other bytes already stored (`evidence_content_differs`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the size limit (`upload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an accepted image (`not_an_image`, `unsupported_image_format`), too many pixels or too much decoding memory (`image_too_many_pixels`), damaged (`image_damaged`), or more than an image (`image_extra_data`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/evidence/{id}/content")]
pub async fn put_content(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let media = &state.media;
    let claimed = claimed(&req)?;
    // Scope first: bytes for evidence the caller may not touch are never read.
    ingest::target(&state.db, &me, &id).await?;
    let declared = header_str(&req, "content-length").and_then(|v| v.parse::<u64>().ok());
    let spooled = spool::body(
        payload,
        &media.tmp_dir,
        media.settings.max_upload_bytes,
        declared,
    )
    .await?;
    let Outcome { evidence, attached } =
        ingest::accept(media, &state.db, &me, &id, spooled, claimed, false).await?;
    Ok(match attached {
        Attached::New => HttpResponse::Created().json(evidence),
        Attached::Same => HttpResponse::Ok().json(evidence),
    })
}

/// The evidence if the caller may see it (`service::visible`: another team's photo is "not
/// found") and its bytes have arrived: every download of a photo, the API's and the web
/// app's, goes through here.
pub async fn stored(
    state: &AppState,
    me: CurrentUser,
    id: String,
) -> Result<EvidenceRow, ApiError> {
    let ev = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::visible(c, &scope, &id).map(|(ev, _)| ev)
        })
        .await?;
    if ev.sha256.is_none() {
        return Err(ApiError::conflict(
            "evidence_not_uploaded",
            "The photo's bytes have not been uploaded yet.",
            "Ảnh minh chứng chưa được tải lên.",
        ));
    }
    Ok(ev)
}

/// The original, byte-exact, with `ETag` (its SHA-256), `Range` support and long caching.
#[utoipa::path(tag = "evidence", security(("bearer" = [])), params(("id" = String, Path, description = "Evidence id")),
    responses((status = 200, description = "The original", content_type = "image/*"), (status = 206, description = "A byte range"), (status = 304, description = "Not modified"),
        (status = 409, description = "Not uploaded yet (`evidence_not_uploaded`)", body = Problem, content_type = "application/problem+json")))]
#[get("/evidence/{id}/content")]
pub async fn get_content(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let ev = stored(&state, me, id).await?;
    let sha = ev.sha256.unwrap_or_default();
    let media_type = ev
        .media_type
        .unwrap_or_else(|| "application/octet-stream".into());
    let mut res = serve::blob(
        &req,
        state.media.store.as_ref(),
        &original_key(&sha),
        &sha,
        &media_type,
    )
    .await?;
    if let Ok(v) = header::HeaderValue::from_str(&format!(
        "inline; filename=\"{}.{}\"",
        ev.id,
        crate::media::inspect::Format::extension_of(Some(&media_type))
    )) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

#[derive(Deserialize, IntoParams)]
pub struct ThumbnailQuery {
    /// Longest side: 320 (default) or 1280.
    pub size: Option<u32>,
}

/// A JPEG thumbnail, upright and without any metadata (no GPS). Made on demand if the
/// background worker has not made it yet.
#[utoipa::path(tag = "evidence", security(("bearer" = [])), params(("id" = String, Path, description = "Evidence id"), ThumbnailQuery),
    responses((status = 200, description = "JPEG", content_type = "image/jpeg"), (status = 304, description = "Not modified"),
        (status = 422, description = "Unknown size", body = Problem, content_type = "application/problem+json")))]
#[get("/evidence/{id}/thumbnail")]
pub async fn get_thumbnail(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    query: web::Query<ThumbnailQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let size = query.size.unwrap_or(thumbs::SIZES[0]);
    if !thumbs::SIZES.contains(&size) {
        return Err(ApiError::invalid(
            "/size",
            "unknown_thumbnail_size",
            crate::error::Text::new(
                "Thumbnails come in 320 and 1280 pixels.",
                "Ảnh thu nhỏ có cỡ 320 và 1280 điểm ảnh.",
            ),
        ));
    }
    let id = parse_id(&id)?;
    thumbnail(&state, &req, me, id, size).await
}

/// The `size` thumbnail (one of `thumbs::SIZES`) of evidence the caller may see, made now if
/// the worker has not made it yet; cached privately for a year (the bytes never change).
pub async fn thumbnail(
    state: &AppState,
    req: &HttpRequest,
    me: CurrentUser,
    id: String,
    size: u32,
) -> Result<HttpResponse, ApiError> {
    let ev = stored(state, me, id).await?;
    let sha = ev.sha256.unwrap_or_default();
    let blob = ingest::blob_of(&state.db, &sha)
        .await?
        .ok_or_else(|| ApiError::from(MediaError::Store(format!("no blob row for {sha}"))))?;
    ingest::ensure_thumbnail(&state.media, &blob, size).await?;
    serve::blob(
        req,
        state.media.store.as_ref(),
        &thumbnail_key(&sha, size),
        &format!("{sha}-{size}"),
        "image/jpeg",
    )
    .await
}
