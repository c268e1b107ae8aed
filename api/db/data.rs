//! Data migrations: changes to the data that must go through the services, so that the sync
//! log, the heads and the audit log are stamped as for any other change (a SQL migration
//! cannot). Each runs once per database, after the schema migrations, in one transaction with
//! its record in `data_migrations`.

use diesel::prelude::*;

use super::schema::data_migrations;
use super::{DbConn, DbError};

type Step = fn(&mut DbConn) -> Result<usize, crate::domain::DomainError>;

/// In order; a name is never reused.
const STEPS: &[(&str, Step)] = &[
    // Issue 16: findings typed into the old checklist items reach the report.
    (
        "2026-12-02_fold_checklist_findings",
        crate::inspections::legacy::migrate,
    ),
];

/// Runs the steps not yet recorded; returns how many ran.
pub fn run(conn: &mut DbConn) -> Result<usize, DbError> {
    let mut ran = 0;
    for (name, step) in STEPS {
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
