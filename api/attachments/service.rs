//! Receiving a file (spooled to a temp file while hashed and counted, its kind checked by its
//! bytes, kept in the blob store under its SHA-256) and recording it for an owner, idempotent
//! by id. Each owner's route authorizes first and runs [`record`] in its own transaction.

use std::path::Path;

use super::error::AttachmentError;
use super::kind::{self, FileKind};
use super::owner::OwnerKind;
use super::store::{self, AttachmentRow};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::media::blob::original_key;
use crate::media::spool::{self, Spooled};
use crate::media::Media;
use crate::scope::Scope;

/// A file checked and kept, not yet recorded.
#[derive(Debug, Clone)]
pub struct Received {
    pub kind: FileKind,
    pub sha256: String,
    pub size: u64,
}

/// What [`record`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    New,
    /// The same id with the same bytes and owner was already recorded.
    Same,
}

/// The human list of what `owner` takes, for messages.
fn accepted_text(owner: OwnerKind) -> &'static str {
    match owner {
        OwnerKind::UnitReport => "DOCX or PDF",
        OwnerKind::Remedy | OwnerKind::SelfAssessmentItem | OwnerKind::BrightSpot => {
            "PDF, DOCX, JPEG, PNG or WebP"
        }
    }
}

/// Checks the file at `path` is a kind `owner` takes (blocking: reads the file).
pub fn check(path: &Path, owner: OwnerKind) -> Result<FileKind, AttachmentError> {
    let f = std::fs::File::open(path)?;
    match kind::detect(std::io::BufReader::new(f))? {
        Some(k) if owner.accepts().contains(&k) => Ok(k),
        _ => Err(AttachmentError::Unsupported {
            accepted: accepted_text(owner),
        }),
    }
}

/// Checks an already spooled file and keeps its bytes in the blob store. A photo is decoded
/// first, on the media pool within its memory budget, exactly as evidence is (a damaged or
/// padded image is refused, 422 `image_damaged` and its kin). The temp file goes when
/// `spooled` is dropped (the store copies or moves it).
pub async fn keep(
    media: &Media,
    spooled: Spooled,
    owner: OwnerKind,
) -> Result<Received, AttachmentError> {
    let path = spooled.path.to_path_buf();
    let kind = actix_web::web::block(move || check(&path, owner)).await??;
    if kind.is_photo() {
        crate::media::ingest::verified(media, spooled.path.to_path_buf(), |_, _| ()).await?;
    }
    let sha256 = spooled.sha256_hex();
    media
        .store
        .put_file(&original_key(&sha256), &spooled.path)
        .await?;
    Ok(Received {
        kind,
        sha256,
        size: spooled.size,
    })
}

/// Spools a request body (refusing more than `limit` bytes, before reading when the declared
/// length says so), then [`keep`]s it.
pub async fn receive<S, E>(
    media: &Media,
    payload: S,
    limit: u64,
    declared: Option<u64>,
    owner: OwnerKind,
) -> Result<Received, AttachmentError>
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let spooled = spool::body(payload, &media.tmp_dir, limit, declared).await?;
    keep(media, spooled, owner).await
}

/// A file already on disk (a web form's upload): hashed, counted against `limit`, then kept.
pub async fn receive_file(
    media: &Media,
    path: tempfile::TempPath,
    limit: u64,
    owner: OwnerKind,
) -> Result<Received, AttachmentError> {
    let size = std::fs::metadata(&path)?.len();
    if size > limit {
        return Err(AttachmentError::TooLarge { limit });
    }
    if size == 0 {
        return Err(AttachmentError::Empty);
    }
    let p = path.to_path_buf();
    let sha256 = actix_web::web::block(move || spool::hash_file(&p)).await??;
    keep(media, Spooled { path, sha256, size }, owner).await
}

/// Records the received file as attachment `id` of the owner, in the caller's transaction.
/// The same id with the same bytes and owner again: `Same`, nothing changes. Other bytes under
/// the id: `ContentDiffers` (409); the id used by another owner: `id_taken` (409).
pub fn record(
    conn: &mut DbConn,
    id: &str,
    owner: OwnerKind,
    owner_id: &str,
    filename: &str,
    file: &Received,
    user_id: &str,
) -> Result<(AttachmentRow, Recorded), AttachmentError> {
    let row = AttachmentRow {
        id: id.to_owned(),
        owner_kind: owner.as_str().to_owned(),
        owner_id: owner_id.to_owned(),
        filename: kind::clean_filename(filename, file.kind),
        media_type: file.kind.media_type().to_owned(),
        size_bytes: i64::try_from(file.size).unwrap_or(i64::MAX),
        sha256: file.sha256.clone(),
        created_by: user_id.to_owned(),
        created_at: crate::db::now(),
    };
    if store::insert(conn, &row)? == 1 {
        return Ok((row, Recorded::New));
    }
    // The id was there already (a retry, perhaps racing its first send): the same file of
    // the same owner is that retry; anything else is refused.
    let found = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    if found.sha256 != file.sha256 {
        return Err(AttachmentError::ContentDiffers);
    }
    if found.owner_kind != owner.as_str() || found.owner_id != owner_id {
        return Err(DomainError::id_taken().into());
    }
    Ok((found, Recorded::Same))
}

/// The attachment, when `may_read` (the owner's rule, `files::access`) lets the caller read
/// its owner; otherwise not found.
pub fn readable(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
    may_read: impl FnOnce(&mut DbConn, &Scope, OwnerKind, &str) -> Result<bool, DomainError>,
) -> Result<AttachmentRow, DomainError> {
    let row = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    let owner = OwnerKind::parse(&row.owner_kind).ok_or(DomainError::NotFound)?;
    if !may_read(conn, scope, owner, &row.owner_id)? {
        return Err(DomainError::NotFound);
    }
    Ok(row)
}
