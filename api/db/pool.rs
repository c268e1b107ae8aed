//! The r2d2 pool. A hand-written manager (rather than diesel's generic one) because the
//! engine is chosen by URL scheme, not by trying each driver in turn, and because every new
//! SQLite connection needs its pragmas before first use.

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::Connection;
use std::sync::Arc;
use std::time::Duration;

use super::stats::{Counter, DbStats};
use super::{Backend, DbConn, DbError};

pub type Pool = r2d2::Pool<Manager>;

pub struct Manager {
    url: String,
    backend: Backend,
    /// PostgreSQL's `statement_timeout`, SQLite's `busy_timeout`; zero for none.
    statement_timeout: Duration,
    /// Where this pool's connections count their statements and commits.
    stats: Option<Arc<DbStats>>,
}

/// `sqlite://path` and `sqlite:path` are accepted as well as a bare path.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

// WAL: readers never wait for the writer. synchronous=FULL: what a device was told is saved
// survives a power cut. busy_timeout (the statement timeout): another process (the CLI)
// holding the write lock makes us wait instead of failing, for that long.
// busy_timeout comes first so the others wait rather than fail. WAL is a property of the file,
// set once in `build` before the pool opens several connections at the same time.
fn sqlite_pragmas(timeout: Duration) -> String {
    // No timeout means wait as long as it takes (a busy_timeout of 0 would mean not at all).
    let timeout = if timeout.is_zero() {
        Duration::from_millis(i32::MAX as u64)
    } else {
        timeout
    };
    format!(
        "PRAGMA busy_timeout = {};
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;",
        timeout.as_millis().min(i32::MAX as u128)
    )
}

/// What every PostgreSQL connection is set to: no statement runs (or waits on a lock) longer
/// than the timeout, so a stuck query frees its connection instead of holding the pool.
fn pg_setup(timeout: Duration) -> String {
    format!(
        "SET statement_timeout = {}",
        timeout.as_millis().min(i32::MAX as u128)
    )
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = DbError;

    fn connect(&self) -> Result<DbConn, DbError> {
        match self.backend {
            Backend::Sqlite => {
                let path = sqlite_path(&self.url);
                if let Some(parent) = std::path::Path::new(path).parent() {
                    if !parent.as_os_str().is_empty() {
                        std::fs::create_dir_all(parent).map_err(|e| {
                            DbError::Pool(format!("cannot create {}: {e}", parent.display()))
                        })?;
                    }
                }
                let mut conn = diesel::SqliteConnection::establish(path)?;
                if let Some(stats) = &self.stats {
                    conn.set_instrumentation(stats.instrument());
                }
                conn.batch_execute(&sqlite_pragmas(self.statement_timeout))?;
                Ok(DbConn::Sqlite(conn))
            }
            Backend::Postgres => {
                let mut conn = diesel::PgConnection::establish(&self.url)?;
                if let Some(stats) = &self.stats {
                    conn.set_instrumentation(stats.instrument());
                }
                conn.batch_execute(&pg_setup(self.statement_timeout))?;
                Ok(DbConn::Pg(conn))
            }
        }
    }

    /// Run at every checkout. A connection that answered within the last few seconds is
    /// taken as is: under load that is every connection, and the `SELECT 1` it would cost was
    /// a round trip and a commit per request (issue 19). One idle for longer is pinged, so a
    /// connection the server dropped meanwhile is replaced before use.
    fn is_valid(&self, conn: &mut DbConn) -> Result<(), DbError> {
        if counter(conn).is_some_and(|c| c.answered_within(FRESH)) {
            return Ok(());
        }
        conn.batch_execute("SELECT 1").map_err(DbError::from)
    }

    /// A connection the server closed under a statement goes, rather than back to the pool.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        counter(conn).is_some_and(|c| c.lost())
    }
}

/// How recently a connection must have answered to be used without a ping.
const FRESH: Duration = Duration::from_secs(5);

/// The connection's own instrumentation (see `stats.rs`), if it has one.
fn counter(conn: &mut DbConn) -> Option<&mut Counter> {
    let i = match conn {
        DbConn::Sqlite(c) => c.instrumentation(),
        DbConn::Pg(c) => c.instrumentation(),
    };
    i.downcast_mut::<Counter>()
}

/// One connection outside the pool, set up as the pool's are (counted in `stats`, if any).
pub fn open(
    url: &str,
    backend: Backend,
    statement_timeout: Duration,
    stats: Option<Arc<DbStats>>,
) -> Result<DbConn, DbError> {
    Manager {
        url: url.to_owned(),
        backend,
        statement_timeout,
        stats,
    }
    .connect()
}

pub fn build(
    url: &str,
    backend: Backend,
    size: u32,
    statement_timeout: Duration,
    stats: &Arc<DbStats>,
) -> Result<Pool, DbError> {
    let manager = Manager {
        url: url.to_owned(),
        backend,
        statement_timeout,
        stats: Some(Arc::clone(stats)),
    };
    if backend == Backend::Sqlite {
        let mut first = manager.connect()?;
        first.batch_execute("PRAGMA journal_mode = WAL;")?;
    }
    r2d2::Pool::builder()
        .max_size(size)
        .connection_timeout(std::time::Duration::from_secs(10))
        .build(manager)
        .map_err(|e| DbError::Pool(e.to_string()))
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::Integer;
    use diesel::{Connection, RunQueryDsl, SqliteConnection};

    fn used(conn: &mut SqliteConnection, option: &str) -> i32 {
        diesel::select(diesel::dsl::sql::<Integer>(&format!(
            "sqlite_compileoption_used('{option}')"
        )))
        .get_result(conn)
        .expect("sqlite_compileoption_used")
    }

    /// The bundled SQLite is built with `.cargo/config.toml`'s flags: without them every
    /// connection shares one page cache behind one global lock (issue 19's profile).
    #[test]
    fn connections_keep_their_own_page_cache() {
        let mut conn = SqliteConnection::establish(":memory:").expect("in-memory SQLite");
        assert_eq!(used(&mut conn, "ENABLE_MEMORY_MANAGEMENT"), 0);
        assert_eq!(used(&mut conn, "DEFAULT_MEMSTATUS=0"), 1);
    }
}
