//! Clean-up of what interrupted uploads leave: resumable uploads nobody resumed within the
//! expiry, part files without an upload row, and stray temp files from a crash.

use std::path::Path;
use std::time::{Duration, SystemTime};

use diesel::prelude::*;

use super::error::MediaError;
use super::{store, Media};
use crate::db::schema::uploads;
use crate::db::{self, Db};

pub fn part_path(media: &Media, upload_id: &str) -> std::path::PathBuf {
    media.uploads_dir.join(format!("{upload_id}.part"))
}

/// Removes expired uploads (rows and bytes). Returns how many went.
pub async fn expired(media: &Media, db: &Db) -> Result<usize, MediaError> {
    let ids = db
        .write(|c| {
            let ids = store::expired_uploads(c, db::now())?;
            diesel::delete(uploads::table.filter(uploads::id.eq_any(&ids))).execute(c)?;
            Ok::<_, MediaError>(ids)
        })
        .await?;
    for id in &ids {
        remove_quietly(&part_path(media, id));
    }
    let live: std::collections::HashSet<String> = db
        .read(|c| Ok::<_, MediaError>(store::all_upload_ids(c)?))
        .await?
        .into_iter()
        .collect();
    // Part files whose row is gone (a crash between the two deletions).
    if let Ok(dir) = std::fs::read_dir(&media.uploads_dir) {
        for entry in dir.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".part") {
                if !live.contains(id) {
                    remove_quietly(&entry.path());
                }
            }
        }
    }
    // Temp files older than a day are left by a crash mid-upload.
    remove_older_than(&media.tmp_dir, Duration::from_secs(24 * 3600));
    Ok(ids.len())
}

fn remove_older_than(dir: &Path, age: Duration) {
    if let Some(cutoff) = SystemTime::now().checked_sub(age) {
        remove_modified_before(dir, cutoff);
    }
}

fn remove_modified_before(dir: &Path, cutoff: SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < cutoff);
        if old {
            remove_quietly(&e.path());
        }
    }
}

fn remove_quietly(p: &Path) {
    if let Err(e) = std::fs::remove_file(p) {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(path = %p.display(), error = %e, "could not remove upload leftovers");
        }
    }
}

/// First cuts every resumable upload back to its committed offset (what a crash left beyond
/// it is not vouched for), then in the background hashes older photos (`rehash`) and runs
/// [`expired`] now and then for the life of the server.
///
/// The cut is awaited before the server takes requests: run beside them, it held each upload's
/// write mark for a moment, and a client resuming right after the restart got 423 instead of
/// its upload.
pub async fn start(media: Media, db: Db) {
    let started = SystemTime::now();
    // Temp files from before this start belong to requests a crash cut off.
    remove_modified_before(&media.tmp_dir, started);
    match super::parts::recover(&media, &db).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            uploads = n,
            "resumable uploads cut back to their committed offsets"
        ),
        Err(e) => tracing::warn!(error = %e, "resumable uploads not checked at start"),
    }
    tokio::spawn(async move {
        match super::rehash::backfill(&media, &db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(blobs = n, "perceptual hashes taken for older photos"),
            Err(e) => tracing::warn!(error = %e, "perceptual hashes of older photos not taken"),
        }
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            match expired(&media, &db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(uploads = n, "expired resumable uploads removed"),
                Err(e) => tracing::warn!(error = %e, "upload clean-up failed"),
            }
        }
    });
}
