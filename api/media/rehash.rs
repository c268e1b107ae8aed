//! Perceptual hashes for blobs stored before they were taken at ingest: filled in the
//! background once at start (from `sweep::start`), a batch at a time on the bounded image
//! pool, so a server with years of photos starts serving at once and its near-duplicate flags
//! fill in as the hashes land. Not a data migration: those run inside one database
//! transaction, and this needs the blob store (possibly S3) and the image workers. A blob that
//! cannot be hashed keeps no hash (its photo simply raises no near-duplicate flag) and is
//! tried again at the next start.

use diesel::prelude::*;

use super::error::MediaError;
use super::inspect::Format;
use super::model::BlobRow;
use super::{blob::original_key, ingest, inspect, phash, Media};
use crate::db::schema::blobs;
use crate::db::Db;

const BATCH: i64 = 50;

/// Hashes every blob without a hash; returns how many it hashed.
pub async fn backfill(media: &Media, db: &Db) -> Result<usize, MediaError> {
    let mut after = String::new();
    let mut hashed = 0;
    loop {
        let from = after.clone();
        let batch: Vec<BlobRow> = db
            .read(move |c| {
                Ok::<_, MediaError>(
                    blobs::table
                        .filter(blobs::phash.is_null())
                        .filter(blobs::sha256.gt(from))
                        .order(blobs::sha256.asc())
                        .limit(BATCH)
                        .select(BlobRow::as_select())
                        .load(c)?,
                )
            })
            .await?;
        let Some(last) = batch.last() else {
            return Ok(hashed);
        };
        after.clone_from(&last.sha256);
        for b in batch {
            match hash_of(media, &b).await {
                Ok(h) => {
                    let sha = b.sha256.clone();
                    db.write(move |c| {
                        diesel::update(blobs::table.find(&sha).filter(blobs::phash.is_null()))
                            .set(blobs::phash.eq(h))
                            .execute(c)
                            .map_err(MediaError::from)
                    })
                    .await?;
                    hashed += 1;
                }
                Err(e) => {
                    tracing::warn!(sha256 = %b.sha256, error = %e, "perceptual hash not taken")
                }
            }
        }
    }
}

async fn hash_of(media: &Media, b: &BlobRow) -> Result<String, MediaError> {
    let format = Format::from_media_type(&b.media_type).unwrap_or(Format::Jpeg);
    let orientation = u8::try_from(b.orientation).unwrap_or(1);
    let (path, _temp) = ingest::local_copy(media, &original_key(&b.sha256)).await?;
    let limits = media.limits;
    let p = path.clone();
    let probe = media.pool.run(move || inspect::probe(&p, &limits)).await?;
    media
        .pool
        .run_weighted(probe.thumbnail_cost, move || {
            phash::of_file(&path, format, orientation, &limits)
        })
        .await
}
