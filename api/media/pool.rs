//! A bounded pool for image work. Decoding is CPU- and memory-hungry, so it runs on a fixed
//! set of `workers` threads of its own, whatever the number of uploads in flight; the rest
//! wait in line. Fixed threads, rather than tokio's blocking pool (which grows to hundreds
//! of threads), also bound the allocator's per-thread arenas, which is most of the memory
//! an upload burst costs. Background jobs (thumbnails) are queued up to a bound; beyond it a
//! job is dropped and its thumbnail is made when first asked for.
//!
//! Memory is bounded too: each decode says beforehand, from the image's header, how much it
//! will take ([`inspect::Probe`](super::inspect::Probe)), and waits until that much of the
//! budget (`media.max_decode_alloc`) is free: a weighted semaphore, so one 400 MB decode runs
//! alone while many small ones run side by side, and decodes together never exceed the budget.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;

use super::error::MediaError;

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct MediaPool {
    jobs: mpsc::Sender<Job>,
    queued: Arc<AtomicUsize>,
    queue_limit: usize,
    /// The decoding memory budget, in KiB permits.
    memory: Arc<Semaphore>,
    budget_kib: u32,
}

impl MediaPool {
    pub fn new(workers: usize, queue_limit: usize, memory_budget: u64) -> Self {
        let (jobs, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..workers.max(1) {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("kiemtra-media-{i}"))
                .spawn(move || loop {
                    // The pool's owner is gone when the channel closes: the thread ends.
                    let job = match rx.lock().unwrap_or_else(|p| p.into_inner()).recv() {
                        Ok(job) => job,
                        Err(_) => return,
                    };
                    job();
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start an image worker thread");
            }
        }
        let budget_kib = u32::try_from(memory_budget / 1024)
            .unwrap_or(u32::MAX)
            .max(1);
        MediaPool {
            jobs,
            queued: Arc::new(AtomicUsize::new(0)),
            queue_limit,
            memory: Arc::new(Semaphore::new(budget_kib as usize)),
            budget_kib,
        }
    }

    /// Runs image work that will take about `bytes` of memory, once that much of the budget
    /// is free (asking for more than the whole budget waits for all of it). The share is given
    /// back when the work ends, even if the caller stopped waiting.
    pub async fn run_weighted<T, F>(&self, bytes: u64, f: F) -> Result<T, MediaError>
    where
        F: FnOnce() -> Result<T, MediaError> + Send + 'static,
        T: Send + 'static,
    {
        let kib = u32::try_from(bytes.div_ceil(1024))
            .unwrap_or(u32::MAX)
            .clamp(1, self.budget_kib);
        let share = self
            .memory
            .clone()
            .acquire_many_owned(kib)
            .await
            .map_err(|_| MediaError::Store("image workers stopped".into()))?;
        self.run(move || {
            let out = f();
            drop(share);
            out
        })
        .await
    }

    /// KiB of the decoding budget not in use right now.
    pub fn free_memory_kib(&self) -> usize {
        self.memory.available_permits()
    }

    /// Runs image work on a worker when one is free.
    pub async fn run<T, F>(&self, f: F) -> Result<T, MediaError>
    where
        F: FnOnce() -> Result<T, MediaError> + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                // A decoder panicking on a hostile file must not take the worker down.
                let out = std::panic::catch_unwind(AssertUnwindSafe(f));
                let _ = tx.send(out);
            }))
            .map_err(|_| MediaError::Store("image workers stopped".into()))?;
        match rx.await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(MediaError::Damaged(
                "the decoder failed on this file".into(),
            )),
            Err(_) => Err(MediaError::Store("image worker gone".into())),
        }
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
}
