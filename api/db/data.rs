//! Data migrations: changes to the data that must go through the services, so that the sync
//! log, the heads and the audit log are stamped as for any other change (a SQL migration
//! cannot). Each runs once per database, after the schema migrations, in one transaction with
//! its record in `data_migrations`. The steps themselves live above this layer (they call the
//! domain's services) and are handed in: `crate::upgrades::STEPS`.

use diesel::prelude::*;

use super::schema::data_migrations;
use super::{DbConn, DbError};

/// One step: its name (never reused) and what it does; it returns how many rows it changed,
/// or why it failed.
pub type Step = (&'static str, fn(&mut DbConn) -> Result<usize, String>);

/// Runs the steps not yet recorded, in order; returns how many ran.
pub fn run(conn: &mut DbConn, steps: &[Step]) -> Result<usize, DbError> {
    let mut ran = 0;
    for (name, step) in steps {
        let done = conn.transaction::<bool, DbError, _>(|c| {
            let recorded: i64 = data_migrations::table
                .filter(data_migrations::name.eq(name))
                .count()
                .get_result(c)?;
            if recorded > 0 {
                return Ok(false);
            }
            let n = step(c).map_err(|e| DbError::Migration(format!("{name}: {e}")))?;
            diesel::insert_into(data_migrations::table)
                .values((
                    data_migrations::name.eq(name),
                    data_migrations::applied_at.eq(super::now()),
                ))
                .execute(c)?;
            tracing::info!(step = name, rows = n, "data migration applied");
            Ok(true)
        })?;
        ran += usize::from(done);
    }
    Ok(ran)
}
