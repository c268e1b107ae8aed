//! A bounded pool for image work. Decoding is CPU- and memory-hungry, so at most `workers`
//! images are decoded at once whatever the number of uploads in flight; the others wait
//! their turn (uploads) or queue up to a bound (thumbnails: beyond it a job is dropped and
//! the thumbnail is made when first asked for). The API's own threads never decode.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::Semaphore;

use super::error::MediaError;

#[derive(Clone)]
pub struct MediaPool {
    permits: Arc<Semaphore>,
    queued: Arc<AtomicUsize>,
    queue_limit: usize,
}

impl MediaPool {
    pub fn new(workers: usize, queue_limit: usize) -> Self {
        MediaPool {
            permits: Arc::new(Semaphore::new(workers.max(1))),
            queued: Arc::new(AtomicUsize::new(0)),
            queue_limit,
        }
    }

    /// Runs blocking image work when a worker is free.
    pub async fn run<T, F>(&self, f: F) -> Result<T, MediaError>
    where
        F: FnOnce() -> Result<T, MediaError> + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| MediaError::Store("media pool closed".into()))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| MediaError::Store(format!("image worker failed: {e}")))?
    }

    /// Queues background work; `false` if the queue is full (the work is skipped).
    pub fn spawn<F>(&self, job: F) -> bool
    where
        F: Future<Output = ()> + Send + 'static,
    {
        if self.queued.fetch_add(1, Ordering::SeqCst) >= self.queue_limit {
            self.queued.fetch_sub(1, Ordering::SeqCst);
            return false;
        }
        let queued = self.queued.clone();
        tokio::spawn(async move {
            job.await;
            queued.fetch_sub(1, Ordering::SeqCst);
        });
        true
    }

    /// Background jobs not yet finished.
    pub fn pending(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }
}
