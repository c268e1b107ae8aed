//! Storage: one diesel connection type over SQLite and PostgreSQL, a pool, migrations.
//!
//! Handlers never touch a connection on an actix worker: [`Db::read`], [`Db::read_only`] and
//! [`Db::write`] run the closure on the blocking pool (`web::block`). `write` wraps it in one
//! transaction, so a failed request leaves nothing behind. On SQLite, writes are serialized
//! in-process (one writer at a time is how SQLite works best; waiting on a mutex beats
//! spinning on `SQLITE_BUSY`), while readers run in parallel under WAL.
//!
//! Reads and writes draw on separate pools ([`PoolSettings`]): on PostgreSQL, write
//! transactions waiting on each other's locks hold only write connections, so a burst of
//! pushes never leaves a pull without a connection (issue 19; docs/operations.md).
//!
//! Lookups by primary key end in `.get_result(conn)`, not `.first(conn)`: `first` adds
//! `LIMIT ?`, and SQLite (3.50) marks a statement for re-preparing whenever a bound LIMIT is
//! bound again, so diesel's cached statement was compiled afresh on every call. A pull, which
//! reads each changed row by key, took half the time once that went (docs/performance.md).

mod checkpoint;
pub mod data;
mod migrate;
mod pool;
pub mod schema;
pub mod stats;
pub(crate) mod tail;

use std::sync::{Arc, Mutex};

use actix_web::web;
use diesel::connection::SimpleConnection;

pub use migrate::run_migrations;
pub use pool::{sqlite_path, Pool};
pub use tail::savepoint;

/// How many connections, and how long a statement may take (docs/operations.md,
/// "Connections and timeouts").
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    /// Connections for reads: pulls, sign-ins, pages.
    pub read: u32,
    /// Connections for write transactions (PostgreSQL; SQLite writes through one connection).
    pub write: u32,
    /// PostgreSQL's `statement_timeout`, SQLite's `busy_timeout`; zero for none.
    pub statement_timeout: std::time::Duration,
}

impl PoolSettings {
    /// One pool size for both, and the default timeout (tools and tests).
    pub fn sized(size: u32) -> PoolSettings {
        PoolSettings {
            read: size,
            write: size,
            statement_timeout: std::time::Duration::from_secs(30),
        }
    }
}

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(diesel::SqliteConnection),
    Pg(diesel::PgConnection),
}

/// Runs the same diesel code on whichever engine `conn` is, for the statements the
/// multi-engine connection cannot express itself: multi-row inserts and upserts (`ON
/// CONFLICT … DO UPDATE` reads the same on SQLite and PostgreSQL, but diesel's
/// `MultiConnection` renders neither). `$c` is the concrete connection inside the body.
#[macro_export]
macro_rules! per_engine {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}

/// Rows (or looked-up keys) per statement: far below both engines' bound-parameter limits
/// (SQLite 32,766, PostgreSQL 65,535) for the widest table written this way (11 columns).
pub const ROWS_PER_INSERT: usize = 1000;

/// Executes an insert for each fixed-size chunk of `$rows` (a `Vec`): `$v` is a `[row; 100]`
/// for each whole chunk, then a `[row; 64]`, `[row; 32]` … `[row; 1]` for what is left over
/// (its binary digits). Arrays have a fixed shape,
/// so the connection prepares each statement once and then reuses it; a `Vec` of rows would
/// make a new statement text, parsed again, for every different length.
#[macro_export]
macro_rules! insert_in_chunks {
    ($c:expr, $rows:expr, |$v:ident| $stmt:expr) => {{
        let mut rows = $rows.into_iter();
        loop {
            let chunk: Vec<_> = rows.by_ref().take(100).collect();
            match <[_; 100]>::try_from(chunk) {
                Ok($v) => {
                    $stmt.execute($c)?;
                }
                Err(rest) => {
                    // The rest in arrays of 64, 32, … 1 rows: at most seven statements (17
                    // rows are two), each shape still prepared once.
                    let mut rest = rest.into_iter();
                    $crate::insert_in_chunks!(@halves rest, $c, $v, $stmt, 64 32 16 8 4 2 1);
                    break;
                }
            }
        }
        Ok::<(), diesel::result::Error>(())
    }};
    (@halves $rest:ident, $c:expr, $v:ident, $stmt:expr, $($n:literal)*) => {
        $(
            if $rest.len() >= $n {
                let part: Vec<_> = $rest.by_ref().take($n).collect();
                // Exactly `$n` rows were there to take: the conversion cannot fail.
                if let Ok($v) = <[_; $n]>::try_from(part) {
                    $stmt.execute($c)?;
                }
            }
        )*
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database pool: {0}")]
    Pool(String),
    #[error("database: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database connection: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("migrations: {0}")]
    Migration(String),
    #[error("blocking task panicked or was cancelled")]
    Blocking,
    /// A stored document that no longer parses: a bug or a hand edit, never client input.
    #[error("stored data unreadable: {0}")]
    Corrupt(String),
}

impl From<actix_web::error::BlockingError> for DbError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        DbError::Blocking
    }
}

/// The pool plus what it takes to use it correctly.
#[derive(Clone)]
pub struct Db {
    /// Reads ([`Db::read`], [`Db::read_only`]).
    pool: Pool,
    /// PostgreSQL's write transactions; `None` on SQLite (see `sqlite_writer`).
    writers: Option<Pool>,
    backend: Backend,
    url: Arc<str>,
    /// SQLite's one writing connection, inside the lock that serializes writers. Keeping it
    /// apart from the pool keeps its page cache warm: a connection's cache is dropped whenever
    /// another connection has written since its last transaction. `None` until first used,
    /// and again after a writer panicked (its transaction may still be open).
    sqlite_writer: Arc<Mutex<Option<DbConn>>>,
    statement_timeout: std::time::Duration,
    /// Statements and commits sent by every connection of this `Db` (docs/operations.md).
    stats: Arc<stats::DbStats>,
    /// Keeps SQLite's background checkpointer running while any clone of this lives.
    _alive: Arc<()>,
}

impl Db {
    pub fn connect(url: &str, sizes: PoolSettings) -> Result<Db, DbError> {
        let backend = Backend::from_url(url);
        let timeout = sizes.statement_timeout;
        let stats = Arc::new(stats::DbStats::default());
        let pool = pool::build(url, backend, sizes.read.max(1), timeout, &stats)?;
        let writers = match backend {
            Backend::Postgres => Some(pool::build(
                url,
                backend,
                sizes.write.max(1),
                timeout,
                &stats,
            )?),
            Backend::Sqlite => None,
        };
        let alive = Arc::new(());
        if backend == Backend::Sqlite {
            checkpoint::start(url, &alive);
        }
        Ok(Db {
            pool,
            writers,
            statement_timeout: timeout,
            stats,
            backend,
            url: url.into(),
            sqlite_writer: Arc::new(Mutex::new(None)),
            _alive: alive,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Statements and commits sent so far by this `Db`'s connections.
    pub fn stats(&self) -> &stats::DbStats {
        &self.stats
    }

    /// Runs `f` with a pooled connection on the blocking pool, outside any transaction.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<actix_web::error::BlockingError> + Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get().map_err(|e| DbError::Pool(e.to_string()))?;
            f(&mut conn)
        })
        .await?
    }

    /// Runs `f` in one read-only transaction on the blocking pool, on a read connection: one
    /// snapshot for all its statements, and no lock that a writer holds is ever waited on
    /// (pulls: they never wait for pushes). PostgreSQL refuses any write in it.
    pub async fn read_only<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError>
            + From<diesel::result::Error>
            + From<actix_web::error::BlockingError>
            + Send
            + 'static,
    {
        use diesel::Connection;
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get().map_err(|e| DbError::Pool(e.to_string()))?;
            let conn: &mut DbConn = &mut conn;
            conn.transaction(|c| {
                if let DbConn::Pg(pg) = c {
                    // The first statement of the transaction, as PostgreSQL requires.
                    pg.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
                }
                f(c)
            })
        })
        .await?
    }

    /// Runs `f` in one transaction on the blocking pool: all of it commits, or none.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError>
            + From<diesel::result::Error>
            + From<actix_web::error::BlockingError>
            + Send
            + 'static,
    {
        let db = self.clone();
        web::block(move || db.write_blocking(f)).await?
    }

    /// The same as [`Db::write`] for callers already off the async runtime (CLI, tests).
    pub fn write_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: From<DbError> + From<diesel::result::Error>,
    {
        use diesel::Connection;
        // What must be numbered in commit order is written last, just before the commit.
        let _tail = tail::open();
        let f = |c: &mut DbConn| {
            let out = f(c)?;
            tail::seal(c)?;
            Ok(out)
        };
        match self.backend {
            Backend::Postgres => {
                let writers = self.writers.as_ref().unwrap_or(&self.pool);
                let mut conn = writers.get().map_err(|e| DbError::Pool(e.to_string()))?;
                let conn: &mut DbConn = &mut conn;
                conn.transaction(f)
            }
            Backend::Sqlite => {
                let mut slot = self.sqlite_writer.lock().unwrap_or_else(|poisoned| {
                    let mut slot = poisoned.into_inner();
                    *slot = None;
                    slot
                });
                let conn = match slot.as_mut() {
                    Some(conn) => conn,
                    None => {
                        let mut conn = pool::open(
                            &self.url,
                            Backend::Sqlite,
                            self.statement_timeout,
                            Some(Arc::clone(&self.stats)),
                        )?;
                        conn.batch_execute(&format!(
                            "PRAGMA wal_autocheckpoint = {};",
                            checkpoint::WRITER_BACKSTOP_PAGES
                        ))?;
                        slot.insert(conn)
                    }
                };
                conn.transaction(f)
            }
        }
    }

    /// Runs `f` in a transaction that is always rolled back: a dry run that sees exactly what
    /// the real run would, and leaves nothing behind.
    pub async fn rehearse<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError>
            + From<diesel::result::Error>
            + From<actix_web::error::BlockingError>
            + Send
            + 'static,
    {
        let db = self.clone();
        web::block(
            move || match db.write_blocking::<(), Undo<T, E>, _>(|c| Err(Undo(f(c)))) {
                Err(Undo(outcome)) => outcome,
                Ok(()) => Err(E::from(DbError::Blocking)),
            },
        )
        .await?
    }

    /// Is the database answering? For `/readyz`.
    pub async fn ping(&self) -> Result<(), DbError> {
        self.read(|conn| conn.batch_execute("SELECT 1").map_err(DbError::from))
            .await
    }

    /// The schema's migrations, then the data `steps` not yet run, on a connection of their
    /// own without the statement timeout (a migration of a large table may take minutes).
    pub fn migrate(&self, steps: &[data::Step]) -> Result<usize, DbError> {
        let timeout = match self.backend {
            Backend::Postgres => std::time::Duration::ZERO,
            Backend::Sqlite => self.statement_timeout,
        };
        let mut conn = pool::open(&self.url, self.backend, timeout, None)?;
        run_migrations(&mut conn, steps)
    }
}

/// The error type of a rehearsal's transaction: it carries the real outcome out of the
/// rollback.
struct Undo<T, E>(Result<T, E>);

impl<T, E: From<diesel::result::Error>> From<diesel::result::Error> for Undo<T, E> {
    fn from(e: diesel::result::Error) -> Self {
        Undo(Err(E::from(e)))
    }
}

impl<T, E: From<DbError>> From<DbError> for Undo<T, E> {
    fn from(e: DbError) -> Self {
        Undo(Err(E::from(e)))
    }
}

/// Now, in UTC, at the microsecond precision both engines keep.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{DurationRound, TimeDelta};
    let now = chrono::Utc::now().naive_utc();
    now.duration_trunc(TimeDelta::microseconds(1))
        .unwrap_or(now)
}

/// A new server-made id: UUID v7, so ids sort by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_by_scheme() {
        assert_eq!(Backend::from_url("postgres://u@h/db"), Backend::Postgres);
        assert_eq!(Backend::from_url("postgresql://h/db"), Backend::Postgres);
        assert_eq!(Backend::from_url("data/kiemtra.db"), Backend::Sqlite);
        assert_eq!(
            Backend::from_url("sqlite://data/kiemtra.db"),
            Backend::Sqlite
        );
    }
}
