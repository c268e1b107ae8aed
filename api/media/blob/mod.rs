//! Where originals and thumbnails are kept, behind one trait: local files under the data
//! folder (the default, one machine), or an S3-compatible object store shared by several
//! API processes (`KIEMTRA_BLOB_URL=s3://…`). Keys are content addresses, so a stored
//! object never changes and the same photo uploaded twice is stored once.

mod local;
mod s3;

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::BoxStream;

pub use local::LocalBlobs;
pub use s3::S3Blobs;

use super::error::MediaError;
use crate::config::Settings;

pub type ByteStream = BoxStream<'static, Result<Bytes, std::io::Error>>;

/// Bytes being read: the object's whole size and the requested part of it.
pub struct BlobBody {
    pub size: u64,
    pub stream: ByteStream,
}

#[async_trait::async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores a verified local file under `key`. Readers see all of it or nothing.
    async fn put_file(&self, key: &str, file: &Path) -> Result<(), MediaError>;
    async fn put_bytes(&self, key: &str, bytes: Bytes) -> Result<(), MediaError>;
    async fn exists(&self, key: &str) -> Result<bool, MediaError>;
    /// `None` when absent. `range` is clamped by the caller to the object's size.
    async fn get(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<Option<BlobBody>, MediaError>;
    /// The object's size, when present.
    async fn size(&self, key: &str) -> Result<Option<u64>, MediaError>;
    async fn delete(&self, key: &str) -> Result<(), MediaError>;
    /// For the start-up line.
    fn describe(&self) -> String;
    /// The object as a file on this machine, when the store keeps it as one (image work
    /// reads files; a remote object is fetched to a temp file first).
    fn local_path(&self, _key: &str) -> Option<std::path::PathBuf> {
        None
    }
}

pub fn original_key(sha256_hex: &str) -> String {
    format!(
        "originals/{}/{sha256_hex}",
        &sha256_hex[..2.min(sha256_hex.len())]
    )
}

pub fn thumbnail_key(sha256_hex: &str, size: u32) -> String {
    format!("thumbnails/{size}/{sha256_hex}.jpg")
}

/// The store the settings name.
pub fn open(settings: &Settings) -> Result<Arc<dyn BlobStore>, MediaError> {
    match &settings.blob_url {
        Some(url) => Ok(Arc::new(S3Blobs::from_url(url, &settings.s3)?)),
        None => Ok(Arc::new(LocalBlobs::new(settings.data_dir.join("blobs")))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_content_addresses() {
        let h = "ab".repeat(32);
        assert_eq!(original_key(&h), format!("originals/ab/{h}"));
        assert_eq!(thumbnail_key(&h, 320), format!("thumbnails/320/{h}.jpg"));
    }
}
