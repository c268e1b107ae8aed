//! Embedded migrations, one folder per engine, run at start-up and by `kiemtra migrate`.

use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::data::Step;
use super::{DbConn, DbError};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

// Several API processes may start at once against one PostgreSQL; only one migrates.
const PG_MIGRATION_LOCK: i64 = 0x006b_6965_6d74_7261;

/// Runs pending migrations, then the data steps not yet run (`data`); returns how many
/// schema migrations ran.
pub fn run_migrations(conn: &mut DbConn, steps: &[Step]) -> Result<usize, DbError> {
    let mig = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
    match conn {
        DbConn::Sqlite(c) => {
            let n = c.run_pending_migrations(SQLITE).map_err(mig)?.len();
            super::data::run(conn, steps)?;
            Ok(n)
        }
        DbConn::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({PG_MIGRATION_LOCK})"))?;
            let result = c
                .run_pending_migrations(POSTGRES)
                .map(|v| v.len())
                .map_err(mig);
            // The data steps run under the same lock: one process folds, the others wait.
            let result = result.and_then(|n| super::data::run(conn, steps).map(|_| n));
            if let DbConn::Pg(c) = conn {
                c.batch_execute(&format!("SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})"))?;
            }
            result
        }
    }
}
