//! SQLite's WAL checkpoints, off the request path.
//!
//! By default SQLite copies the write-ahead log back into the database file inside whichever
//! commit pushes the log past 1,000 pages, so now and then one request pays for everybody's
//! writes. Here a background thread checkpoints every [`EVERY`] on a connection of its own
//! (PASSIVE: it never blocks readers or the writer), and the writer's own automatic
//! checkpoint stays only as a backstop for a log that grows past [`WRITER_BACKSTOP_PAGES`].

use std::sync::{Arc, Weak};
use std::time::Duration;

use diesel::connection::SimpleConnection;

use super::{pool, Backend, DbConn};

pub const EVERY: Duration = Duration::from_millis(500);

/// 10,000 pages of 4 KiB: a 40 MB log before a commit checkpoints by itself.
pub const WRITER_BACKSTOP_PAGES: u32 = 10_000;

/// Starts the checkpointer for the database at `url`; it stops once `alive` is dropped.
pub fn start(url: &str, alive: &Arc<()>) {
    let url = url.to_owned();
    let alive: Weak<()> = Arc::downgrade(alive);
    let started = std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            let mut conn: Option<DbConn> = None;
            loop {
                std::thread::sleep(EVERY);
                if alive.upgrade().is_none() {
                    return;
                }
                if let Err(e) = checkpoint(&url, &mut conn) {
                    // The writer's backstop still bounds the log; try again next time.
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                    conn = None;
                }
            }
        });
    if let Err(e) = started {
        tracing::warn!(error = %e, "no background WAL checkpoints: commits will checkpoint");
    }
}

fn checkpoint(url: &str, conn: &mut Option<DbConn>) -> Result<(), super::DbError> {
    let c = match conn.as_mut() {
        Some(c) => c,
        // A passive checkpoint never waits on a writer; the timeout hardly matters here.
        None => conn.insert(pool::open(
            url,
            Backend::Sqlite,
            std::time::Duration::from_secs(10),
            None,
        )?),
    };
    c.batch_execute("PRAGMA wal_checkpoint(PASSIVE);")?;
    Ok(())
}
