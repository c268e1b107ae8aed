//! Blobs in an S3-compatible object store (AWS S3, MinIO, Ceph, …) through the
//! `object_store` crate, so several API processes share one store. Endpoint, region and
//! credentials come from the usual `AWS_*` environment variables.

use std::ops::Range;
use std::path::Path;

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use tokio::io::AsyncReadExt;

use super::{BlobBody, BlobStore};
use crate::config::S3Settings;
use crate::media::error::MediaError;

pub struct S3Blobs {
    store: Box<dyn ObjectStore>,
    prefix: String,
    url: String,
}

/// Parts of a multipart upload; S3's minimum is 5 MiB.
const PART: usize = 8 * 1024 * 1024;

fn store_error(e: object_store::Error) -> MediaError {
    MediaError::Store(e.to_string())
}

impl S3Blobs {
    /// `s3://bucket[/prefix]`; the `AWS_*` environment, overridden by what `s3` sets.
    pub fn from_url(url: &str, s3: &S3Settings) -> Result<Self, MediaError> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| MediaError::Store(format!("`{url}` is not an s3:// URL")))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let mut b = AmazonS3Builder::from_env().with_bucket_name(bucket);
        if let Some(e) = &s3.endpoint {
            b = b.with_endpoint(e);
        }
        if let Some(r) = &s3.region {
            b = b.with_region(r);
        }
        if let Some(k) = &s3.access_key_id {
            b = b.with_access_key_id(k);
        }
        if let Some(k) = &s3.secret_access_key {
            b = b.with_secret_access_key(k.expose());
        }
        if let Some(h) = s3.allow_http {
            b = b.with_allow_http(h);
        }
        let store = b.build().map_err(store_error)?;
        Ok(S3Blobs {
            store: Box::new(store),
            prefix: prefix.trim_matches('/').to_owned(),
            url: url.to_owned(),
        })
    }

    fn path(&self, key: &str) -> ObjectPath {
        if self.prefix.is_empty() {
            ObjectPath::from(key)
        } else {
            ObjectPath::from(format!("{}/{key}", self.prefix))
        }
    }
}

#[async_trait::async_trait]
impl BlobStore for S3Blobs {
    async fn put_file(&self, key: &str, file: &Path) -> Result<(), MediaError> {
        if self.exists(key).await? {
            return Ok(());
        }
        let mut f = tokio::fs::File::open(file).await?;
        let len = f.metadata().await?.len();
        if len <= PART as u64 {
            let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
            f.read_to_end(&mut buf).await?;
            return self.put_bytes(key, Bytes::from(buf)).await;
        }
        // Streamed in parts; S3 makes the object visible only when the upload completes.
        let upload = self
            .store
            .put_multipart(&self.path(key))
            .await
            .map_err(store_error)?;
        let mut w = WriteMultipart::new_with_chunk_size(upload, PART);
        let mut buf = vec![0u8; 1024 * 1024];
        loop {
            let n = f.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            w.wait_for_capacity(2).await.map_err(store_error)?;
            w.write(&buf[..n]);
        }
        w.finish().await.map_err(store_error)?;
        Ok(())
    }

    async fn put_bytes(&self, key: &str, bytes: Bytes) -> Result<(), MediaError> {
        self.store
            .put(&self.path(key), PutPayload::from_bytes(bytes))
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn exists(&self, key: &str) -> Result<bool, MediaError> {
        Ok(self.size(key).await?.is_some())
    }

    async fn get(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<Option<BlobBody>, MediaError> {
        let opts = GetOptions {
            range: range.map(GetRange::Bounded),
            ..GetOptions::default()
        };
        match self.store.get_opts(&self.path(key), opts).await {
            Ok(r) => {
                let size = r.meta.size;
                let stream = r
                    .into_stream()
                    .map_err(|e| std::io::Error::other(e.to_string()));
                Ok(Some(BlobBody {
                    size,
                    stream: stream.boxed(),
                }))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(store_error(e)),
        }
    }

    async fn size(&self, key: &str) -> Result<Option<u64>, MediaError> {
        match self.store.head(&self.path(key)).await {
            Ok(m) => Ok(Some(m.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(store_error(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), MediaError> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(store_error(e)),
        }
    }

    fn describe(&self) -> String {
        format!("S3-compatible store {}", self.url)
    }
}
