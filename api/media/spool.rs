//! Bytes on their way in: written to a temporary file while they are hashed and counted, so
//! no upload is ever held whole in memory and none is kept unless it is verified (the temp
//! file is deleted when dropped).

use std::path::Path;

use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tempfile::TempPath;
use tokio::io::AsyncWriteExt;

use super::error::MediaError;

/// A finished, not yet verified, upload.
pub struct Spooled {
    pub path: TempPath,
    pub sha256: [u8; 32],
    pub size: u64,
}

impl Spooled {
    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }
}

pub struct Spool {
    file: tokio::fs::File,
    path: TempPath,
    hasher: Sha256,
    size: u64,
    limit: u64,
}

impl Spool {
    pub fn new(dir: &Path, limit: u64) -> Result<Self, MediaError> {
        std::fs::create_dir_all(dir)?;
        let (file, path) = tempfile::NamedTempFile::new_in(dir)?.into_parts();
        Ok(Spool {
            file: tokio::fs::File::from_std(file),
            path,
            hasher: Sha256::new(),
            size: 0,
            limit,
        })
    }

    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), MediaError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(MediaError::TooLarge { limit: self.limit });
        }
        self.hasher.update(chunk);
        self.file.write_all(chunk).await?;
        Ok(())
    }

    /// Flushed to disk before anything is acknowledged.
    pub async fn finish(mut self) -> Result<Spooled, MediaError> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        if self.size == 0 {
            return Err(MediaError::Empty);
        }
        Ok(Spooled {
            path: self.path,
            sha256: self.hasher.finalize().into(),
            size: self.size,
        })
    }
}

/// Spools a request body. A declared `Content-Length` over the limit is refused before a
/// byte is read.
pub async fn body<S, E>(
    mut payload: S,
    dir: &Path,
    limit: u64,
    declared: Option<u64>,
) -> Result<Spooled, MediaError>
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    if declared.is_some_and(|n| n > limit) {
        return Err(MediaError::TooLarge { limit });
    }
    let mut spool = Spool::new(dir, limit)?;
    while let Some(chunk) = payload.next().await {
        // The client went away mid-body (or sent a malformed one): what arrived is dropped.
        let chunk = chunk.map_err(|e| {
            tracing::info!(error = %e, "upload body ended early");
            MediaError::Incomplete
        })?;
        spool.write(&chunk).await?;
    }
    spool.finish().await
}

/// SHA-256 of a file already on disk (a resumable upload's bytes arrive over several
/// requests, so they are hashed once complete).
pub fn hash_file(path: &Path) -> Result<[u8; 32], MediaError> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(h.finalize().into())
}
