//! Blobs as files under the data folder. A file is moved into place with a rename, which is
//! atomic on one filesystem, after it was written and synced elsewhere.

use std::io::SeekFrom;
use std::ops::Range;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use super::{BlobBody, BlobStore};
use crate::media::error::MediaError;

pub struct LocalBlobs {
    root: PathBuf,
}

impl LocalBlobs {
    pub fn new(root: PathBuf) -> Self {
        LocalBlobs { root }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    async fn place(&self, key: &str, from: &Path) -> Result<(), MediaError> {
        let to = self.path(key);
        let dir = to.parent().unwrap_or(&self.root).to_path_buf();
        tokio::fs::create_dir_all(&dir).await?;
        if tokio::fs::rename(from, &to).await.is_err() {
            // Another filesystem: copy next to the target, then rename there.
            let tmp = to.with_extension("incoming");
            tokio::fs::copy(from, &tmp).await?;
            tokio::fs::File::open(&tmp).await?.sync_all().await?;
            tokio::fs::rename(&tmp, &to).await?;
        }
        // The rename itself must survive a power cut before the row pointing here commits.
        tokio::fs::File::open(&dir).await?.sync_all().await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl BlobStore for LocalBlobs {
    async fn put_file(&self, key: &str, file: &Path) -> Result<(), MediaError> {
        if self.exists(key).await? {
            return Ok(());
        }
        self.place(key, file).await
    }

    async fn put_bytes(&self, key: &str, bytes: Bytes) -> Result<(), MediaError> {
        let tmp_dir = self.root.join("tmp");
        tokio::fs::create_dir_all(&tmp_dir).await?;
        let tmp = tempfile::NamedTempFile::new_in(&tmp_dir)?.into_temp_path();
        let mut f = tokio::fs::File::create(&tmp).await?;
        f.write_all(&bytes).await?;
        f.sync_all().await?;
        drop(f);
        self.place(key, &tmp).await
    }

    async fn exists(&self, key: &str) -> Result<bool, MediaError> {
        Ok(tokio::fs::try_exists(self.path(key)).await?)
    }

    async fn get(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<Option<BlobBody>, MediaError> {
        let mut f = match tokio::fs::File::open(self.path(key)).await {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let size = f.metadata().await?.len();
        let r = range.unwrap_or(0..size);
        f.seek(SeekFrom::Start(r.start)).await?;
        let reader = f.take(r.end.saturating_sub(r.start));
        let stream = futures_util::stream::unfold(reader, |mut reader| async move {
            let mut buf = vec![0u8; 64 * 1024];
            match reader.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(Bytes::from(buf)), reader))
                }
                Err(e) => Some((Err(e), reader)),
            }
        });
        Ok(Some(BlobBody {
            size,
            stream: stream.boxed(),
        }))
    }

    async fn size(&self, key: &str) -> Result<Option<u64>, MediaError> {
        match tokio::fs::metadata(self.path(key)).await {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), MediaError> {
        match tokio::fs::remove_file(self.path(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    fn local_path(&self, key: &str) -> Option<PathBuf> {
        Some(self.path(key))
    }

    fn describe(&self) -> String {
        format!("local files in {}", self.root.display())
    }
}
