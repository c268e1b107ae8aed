//! From received bytes to stored evidence: check the client's checksum, compare with what the
//! evidence already holds, verify the image (on the bounded pool), move it into the blob
//! store under its SHA-256, record it, and queue its thumbnails. Any refusal drops the temp
//! file, so nothing is left behind.

use std::path::PathBuf;

use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use super::blob::{original_key, thumbnail_key};
use super::error::MediaError;
use super::inspect::{self, Format};
use super::model::{BlobRow, EvidenceRow};
use super::service::{self, Attached, Received};
use super::spool::Spooled;
use super::{phash, thumbs};
use super::{store, Media};
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::scope::Scope;

pub struct Outcome {
    pub evidence: EvidenceRow,
    pub attached: Attached,
}

/// The evidence the caller may upload to, checked before a byte is read.
pub async fn target(db: &Db, me: &CurrentUser, id: &str) -> Result<EvidenceRow, MediaError> {
    let (me, id) = (me.clone(), id.to_owned());
    db.read(move |c| {
        let scope = Scope::load(c, &me)?;
        Ok::<_, MediaError>(service::uploadable(c, &scope, &id)?)
    })
    .await
}

pub async fn accept(
    media: &Media,
    db: &Db,
    me: &CurrentUser,
    evidence_id: &str,
    spooled: Spooled,
    claimed: Option<[u8; 32]>,
    tus: bool,
) -> Result<Outcome, MediaError> {
    if claimed.is_some_and(|c| c != spooled.sha256) {
        return Err(MediaError::DigestMismatch { tus });
    }
    let sha = spooled.sha256_hex();
    let current = target(db, me, evidence_id).await?;
    match current.sha256.as_deref() {
        Some(s) if s == sha => {
            return Ok(Outcome {
                evidence: current,
                attached: Attached::Same,
            });
        }
        Some(_) => return Err(MediaError::ContentDiffers),
        None => {}
    }
    let (facts, phash) = verify(media, spooled.path.to_path_buf()).await?;
    media
        .store
        .put_file(&original_key(&sha), &spooled.path)
        .await?;
    let (me2, id, sha2, size) = (
        me.clone(),
        evidence_id.to_owned(),
        sha.clone(),
        spooled.size,
    );
    let facts2 = facts.clone();
    let phash2 = phash.clone();
    let (evidence, attached) = db
        .write(move |c| {
            let scope = Scope::load(c, &me2)?;
            let r = Received {
                sha256: &sha2,
                size,
                facts: &facts2,
                phash: phash2.as_deref(),
            };
            service::attach(c, &me2.actor(), &scope, &id, &r)
        })
        .await?;
    drop(spooled);
    if attached == Attached::New {
        queue_thumbnails(media, &sha, facts.format, facts.exif.orientation);
    }
    Ok(Outcome { evidence, attached })
}

/// Verifies an image on the pool: its header first (cheap, refusing bombs before any
/// decoding), then the whole file once its decoding memory fits in the budget; the same job
/// takes its perceptual hash (a photo that cannot be hashed is still evidence: no hash, no
/// near-duplicate flag).
async fn verify(
    media: &Media,
    path: PathBuf,
) -> Result<(inspect::ImageFacts, Option<String>), MediaError> {
    let limits = media.limits;
    verified(media, path, move |path, facts| {
        let hash = phash::of_file(path, facts.format, facts.exif.orientation, &limits);
        hash.map_err(|e| tracing::warn!(error = %e, "perceptual hash not taken"))
            .ok()
    })
    .await
}

/// The pool's verification of an image (header, then every pixel within the memory budget),
/// with `then` run in the same job on the verified file. Evidence takes its perceptual hash
/// there; attachments (docs/attachments.md) take nothing more.
pub async fn verified<T: Send + 'static>(
    media: &Media,
    path: PathBuf,
    then: impl FnOnce(&std::path::Path, &inspect::ImageFacts) -> T + Send + 'static,
) -> Result<(inspect::ImageFacts, T), MediaError> {
    let limits = media.limits;
    let p = path.clone();
    let probe = media.pool.run(move || inspect::probe(&p, &limits)).await?;
    let cost = probe.verify_cost.max(probe.thumbnail_cost);
    media
        .pool
        .run_weighted(cost, move || {
            let facts = inspect::verify(&path, &probe, &limits)?;
            let extra = then(&path, &facts);
            Ok((facts, extra))
        })
        .await
}

/// Makes the thumbnails in the background; a full queue skips them (made on demand later).
pub fn queue_thumbnails(media: &Media, sha: &str, format: Format, orientation: u8) {
    let (m, sha) = (media.clone(), sha.to_owned());
    let queued = media.pool.spawn(async move {
        if let Err(e) = make_thumbnails(&m, &sha, format, orientation).await {
            tracing::warn!(sha256 = %sha, error = %e, "thumbnails not made; they will be made on demand");
        }
    });
    if !queued {
        tracing::info!("thumbnail queue full; thumbnails will be made on demand");
    }
}

/// Renders and stores every thumbnail size of a stored original.
pub async fn make_thumbnails(
    media: &Media,
    sha: &str,
    format: Format,
    orientation: u8,
) -> Result<(), MediaError> {
    let key = original_key(sha);
    let (path, _temp) = local_copy(media, &key).await?;
    let limits = media.limits;
    let p = path.clone();
    let probe = media.pool.run(move || inspect::probe(&p, &limits)).await?;
    let rendered = media
        .pool
        .run_weighted(probe.thumbnail_cost, move || {
            thumbs::render(&path, format, orientation, &thumbs::SIZES, &limits)
        })
        .await?;
    for (size, bytes) in rendered {
        media
            .store
            .put_bytes(&thumbnail_key(sha, size), bytes.into())
            .await?;
    }
    Ok(())
}

/// A thumbnail, made now if it was not made yet.
pub async fn ensure_thumbnail(media: &Media, blob: &BlobRow, size: u32) -> Result<(), MediaError> {
    // Content-addressed: a thumbnail in the store is the right one.
    if media
        .store
        .exists(&thumbnail_key(&blob.sha256, size))
        .await?
    {
        return Ok(());
    }
    let format = Format::from_media_type(&blob.media_type).unwrap_or(Format::Jpeg);
    let orientation = u8::try_from(blob.orientation).unwrap_or(1);
    make_thumbnails(media, &blob.sha256, format, orientation).await
}

/// The object as a local file: the store's own file, or a temp copy of a remote object.
pub(super) async fn local_copy(
    media: &Media,
    key: &str,
) -> Result<(PathBuf, Option<tempfile::TempPath>), MediaError> {
    if let Some(p) = media.store.local_path(key) {
        return Ok((p, None));
    }
    let body = media
        .store
        .get(key, None)
        .await?
        .ok_or_else(|| MediaError::Store(format!("{key} is missing from the store")))?;
    let (file, temp) = tempfile::NamedTempFile::new_in(&media.tmp_dir)?.into_parts();
    let mut file = tokio::fs::File::from_std(file);
    let mut stream = body.stream;
    while let Some(chunk) = stream.next().await {
        file.write_all(&chunk?).await?;
    }
    file.flush().await?;
    Ok((temp.to_path_buf(), Some(temp)))
}

/// Blob facts for serving.
pub async fn blob_of(db: &Db, sha: &str) -> Result<Option<BlobRow>, MediaError> {
    let sha = sha.to_owned();
    db.read(move |c| Ok::<_, MediaError>(store::blob(c, &sha)?))
        .await
}
