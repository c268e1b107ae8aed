//! Photo evidence: records that sync like any other row, bytes that arrive separately
//! (a plain `PUT`, or resumable over tus 1.0), verified by decoding, kept byte-exact under
//! their SHA-256 in a blob store, with thumbnails made off the request path.

pub mod archive;
pub mod blob;
pub mod checks;
pub mod digest;
pub mod error;
pub mod exif;
pub mod flagged;
pub mod formats;
pub mod ingest;
pub mod inspect;
pub mod model;
pub mod parts;
pub mod phash;
pub mod pool;
pub mod rehash;
pub mod routes;
pub mod serve;
pub mod service;
pub mod spool;
pub mod store;
pub mod sweep;
pub mod thumbs;
pub mod tus;

use std::path::PathBuf;
use std::sync::Arc;

use blob::BlobStore;
use error::MediaError;
use inspect::Limits;
use pool::MediaPool;

use crate::config::{MediaSettings, Settings};

/// Everything the media handlers share.
#[derive(Clone)]
pub struct Media {
    pub store: Arc<dyn BlobStore>,
    pub pool: MediaPool,
    pub limits: Limits,
    pub settings: MediaSettings,
    /// Uploads being received (temp files, same filesystem as local blobs).
    pub tmp_dir: PathBuf,
    /// Resumable uploads' bytes so far.
    pub uploads_dir: PathBuf,
    /// Resumable uploads being written right now, so two PATCHes never interleave.
    pub busy: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
}

impl Media {
    pub fn open(settings: &Settings) -> Result<Media, MediaError> {
        let m = &settings.media;
        let workers = if m.workers == 0 {
            std::thread::available_parallelism().map_or(2, usize::from)
        } else {
            m.workers
        };
        let tmp_dir = settings.data_dir.join("tmp");
        let uploads_dir = settings.data_dir.join("uploads");
        std::fs::create_dir_all(&tmp_dir)?;
        std::fs::create_dir_all(&uploads_dir)?;
        Ok(Media {
            store: blob::open(settings)?,
            pool: MediaPool::new(workers, m.thumbnail_queue, m.max_decode_alloc),
            limits: Limits::from(m),
            settings: m.clone(),
            tmp_dir,
            uploads_dir,
            busy: Arc::default(),
        })
    }
}
