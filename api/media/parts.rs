//! The bytes of resumable uploads on disk (`<data_dir>/uploads/<id>.part`), crash-safe.
//!
//! The offset in the database is what `HEAD` reports and where the next `PATCH` must start. It
//! never runs ahead of the disk: bytes are synced before an offset covering them is committed,
//! and an offset is lowered before the file is shortened. Whatever a crash leaves in the file
//! beyond the committed offset (bytes written but never committed, or half-written ones) is cut
//! off at start, on `HEAD` and before each `PATCH`, so a resumed upload continues exactly after
//! the last byte vouched for and the finished file is byte-exact. A long `PATCH` commits its
//! progress every [`CHECKPOINT`] bytes, so a crash costs at most that much.

use std::io::SeekFrom;
use std::path::Path;

use diesel::prelude::*;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

use super::error::MediaError;
use super::sweep::part_path;
use super::Media;
use crate::db::schema::uploads;
use crate::db::{self, Db};

/// Bytes of one `PATCH` between two commits of its progress.
pub const CHECKPOINT: u64 = 1 << 20;

/// Marks an upload as being written (two requests never write one upload at once); the mark
/// goes when the guard is dropped.
pub struct Busy<'a> {
    media: &'a Media,
    id: String,
}

impl<'a> Busy<'a> {
    pub fn take(media: &'a Media, id: &str) -> Option<Busy<'a>> {
        let mut busy = media.busy.lock().unwrap_or_else(|p| p.into_inner());
        busy.insert(id.to_owned()).then(|| Busy {
            media,
            id: id.to_owned(),
        })
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.media
            .busy
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.id);
    }
}

/// Cuts the part file back to the committed offset; returns what is really there (less, if a
/// crash lost bytes the file should hold; a lost file is made anew, empty).
pub fn cut_to(path: &Path, committed: u64) -> Result<u64, MediaError> {
    let file = match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::File::create(path)?.sync_all()?;
            return Ok(0);
        }
        Err(e) => return Err(e.into()),
    };
    let len = file.metadata()?.len();
    if len > committed {
        file.set_len(committed)?;
        file.sync_all()?;
        return Ok(committed);
    }
    Ok(len)
}

pub fn expiry(media: &Media) -> chrono::NaiveDateTime {
    let hours = i64::try_from(media.settings.upload_expiry_hours).unwrap_or(24);
    db::now() + chrono::Duration::hours(hours)
}

/// Records a new offset and a fresh expiry; returns the expiry.
pub async fn commit(
    media: &Media,
    db: &Db,
    id: &str,
    offset: u64,
) -> Result<chrono::NaiveDateTime, MediaError> {
    let (id, off) = (id.to_owned(), i64::try_from(offset).unwrap_or(i64::MAX));
    let expires = expiry(media);
    db.write(move |c| {
        diesel::update(uploads::table.find(&id))
            .set((uploads::received.eq(off), uploads::expires_at.eq(expires)))
            .execute(c)
            .map_err(MediaError::from)
    })
    .await?;
    Ok(expires)
}

/// The offset an upload truly stands at: the file cut back to the committed offset, and the
/// offset lowered if the file holds less. Skipped (the committed offset is durable anyway)
/// while a `PATCH` is writing the upload.
pub async fn settle(media: &Media, db: &Db, id: &str, committed: u64) -> Result<u64, MediaError> {
    let Some(_busy) = Busy::take(media, id) else {
        return Ok(committed);
    };
    let actual = cut_to(&part_path(media, id), committed)?;
    if actual < committed {
        tracing::warn!(upload = %id, committed, actual, "upload bytes lost; offset set back");
        commit(media, db, id, actual).await?;
    }
    Ok(actual)
}

/// Brings every upload's part file in line with its offset (at start, after a crash).
pub async fn recover(media: &Media, db: &Db) -> Result<usize, MediaError> {
    let rows: Vec<(String, i64)> = db
        .read(|c| {
            uploads::table
                .select((uploads::id, uploads::received))
                .load(c)
                .map_err(MediaError::from)
        })
        .await?;
    let mut cut = 0;
    for (id, received) in rows {
        let committed = u64::try_from(received).unwrap_or(0);
        let before = std::fs::metadata(part_path(media, &id)).map(|m| m.len());
        if before.as_ref().map_or(true, |&len| len != committed) {
            settle(media, db, &id, committed).await?;
            cut += 1;
        }
    }
    Ok(cut)
}

/// How a `PATCH` body ended.
pub struct Received {
    /// The committed offset, or the full length when `complete`.
    pub offset: u64,
    /// Every byte is on disk (synced, not yet committed): the file can be verified.
    pub complete: bool,
    pub expires: chrono::NaiveDateTime,
}

/// Where writing a body got to.
struct Written {
    end: u64,
    committed: u64,
    failure: Option<MediaError>,
    sha256: [u8; 32],
}

/// Writes the body from `received` on, committing progress every [`CHECKPOINT`] bytes when
/// `checkpoints`; stops at the end of the body, a dropped connection or a byte too many.
async fn write_body<S, E>(
    media: &Media,
    db: &Db,
    id: &str,
    file: &mut tokio::fs::File,
    (received, length): (u64, u64),
    checkpoints: bool,
    mut payload: S,
) -> Result<Written, MediaError>
where
    S: Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut hasher = Sha256::new();
    let (mut end, mut committed) = (received, received);
    let mut failure: Option<MediaError> = None;
    while let Some(chunk) = payload.next().await {
        let bytes = match chunk {
            Ok(b) => b,
            // The connection dropped: what arrived is kept, and the client resumes from it.
            Err(e) => {
                failure = Some(MediaError::Io(std::io::Error::other(e.to_string())));
                break;
            }
        };
        if end + bytes.len() as u64 > length {
            failure = Some(MediaError::BadMetadata(
                "more bytes than Upload-Length".into(),
            ));
            break;
        }
        hasher.update(&bytes);
        file.write_all(&bytes).await?;
        end += bytes.len() as u64;
        if checkpoints && end - committed >= CHECKPOINT && end < length {
            file.flush().await?;
            file.sync_all().await?;
            commit(media, db, id, end).await?;
            committed = end;
        }
    }
    file.flush().await?;
    file.sync_all().await?;
    Ok(Written {
        end,
        committed,
        failure,
        sha256: hasher.finalize().into(),
    })
}

/// Receives one `PATCH` body into the part file from `received` on. With an
/// `Upload-Checksum` nothing is committed until the whole body is checked; without one,
/// progress is committed every [`CHECKPOINT`] bytes and what arrived before a dropped
/// connection is kept. The last byte of the upload is never committed: the caller verifies
/// and stores the file, and a crash before that is resumed from the last checkpoint.
pub async fn receive<S, E>(
    media: &Media,
    db: &Db,
    id: &str,
    (received, length): (u64, u64),
    checksum: Option<[u8; 32]>,
    payload: S,
) -> Result<Received, MediaError>
where
    S: Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let path = part_path(media, id);
    let actual = cut_to(&path, received)?;
    if actual < received {
        commit(media, db, id, actual).await?;
        return Err(MediaError::OffsetMismatch {
            given: received,
            expected: actual,
        });
    }
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .await?;
    file.seek(SeekFrom::Start(received)).await?;
    let span = (received, length);
    let w = write_body(media, db, id, &mut file, span, checksum.is_none(), payload).await?;
    let checksum_bad = checksum.is_some_and(|c| w.failure.is_none() && w.sha256 != c);
    // Bytes that cannot be vouched for (a failing checksum, a checksummed request cut short,
    // bytes beyond the length) are taken back, this request's checkpoints with them.
    let keep = !checksum_bad
        && (checksum.is_none() || w.failure.is_none())
        && !matches!(w.failure, Some(MediaError::BadMetadata(_)));
    let complete = keep && w.end == length;
    let (mut offset, mut expires) = (w.end, expiry(media));
    if !keep {
        if w.committed != received {
            expires = commit(media, db, id, received).await?;
        }
        file.set_len(received).await?;
        file.sync_all().await?;
        offset = received;
    } else if !complete && w.end != w.committed {
        expires = commit(media, db, id, w.end).await?;
    }
    drop(file);
    if checksum_bad {
        return Err(MediaError::DigestMismatch { tus: true });
    }
    if let Some(f) = w.failure {
        return Err(f);
    }
    Ok(Received {
        offset,
        complete,
        expires,
    })
}
