//! The r2d2 pool. A hand-written manager (rather than diesel's generic one) because the
//! engine is chosen by URL scheme, not by trying each driver in turn, and because every new
//! SQLite connection needs its pragmas before first use.

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::Connection;

use super::{Backend, DbConn, DbError};

pub type Pool = r2d2::Pool<Manager>;

pub struct Manager {
    url: String,
    backend: Backend,
}

/// `sqlite://path` and `sqlite:path` are accepted as well as a bare path.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

// WAL: readers never wait for the writer. synchronous=FULL: what a device was told is saved
// survives a power cut. busy_timeout: another process (the CLI) holding the write lock makes
// us wait instead of failing.
// busy_timeout comes first so the others wait rather than fail. WAL is a property of the file,
// set once in `build` before the pool opens several connections at the same time.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;";

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
                conn.batch_execute(SQLITE_PRAGMAS)?;
                Ok(DbConn::Sqlite(conn))
            }
            Backend::Postgres => Ok(DbConn::Pg(diesel::PgConnection::establish(&self.url)?)),
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1").map_err(DbError::from)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// One connection outside the pool, set up as the pool's are.
pub fn open(url: &str, backend: Backend) -> Result<DbConn, DbError> {
    Manager {
        url: url.to_owned(),
        backend,
    }
    .connect()
}

pub fn build(url: &str, backend: Backend, size: u32) -> Result<Pool, DbError> {
    let manager = Manager {
        url: url.to_owned(),
        backend,
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
