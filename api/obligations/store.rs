//! The rows: the year's due dates, a unit's own due dates, and the documents units sent.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{report_due_dates, report_due_overrides, unit_reports};
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = unit_reports)]
pub struct ReportRow {
    pub id: String,
    pub unit_id: String,
    pub year: i32,
    pub kind: String,
    pub submitted_by: String,
    pub submitted_at: NaiveDateTime,
}

/// The year's due dates set by an administrator: `(kind, due_on)`.
pub fn due_dates(conn: &mut DbConn, year: i32) -> QueryResult<Vec<(String, NaiveDate)>> {
    report_due_dates::table
        .filter(report_due_dates::year.eq(year))
        .select((report_due_dates::kind, report_due_dates::due_on))
        .load(conn)
}

/// Units' own due dates for the year: `(unit_id, kind, due_on)`.
pub fn overrides(conn: &mut DbConn, year: i32) -> QueryResult<Vec<(String, String, NaiveDate)>> {
    report_due_overrides::table
        .filter(report_due_overrides::year.eq(year))
        .select((
            report_due_overrides::unit_id,
            report_due_overrides::kind,
            report_due_overrides::due_on,
        ))
        .load(conn)
}

/// Sets the year's due date of `kind`.
pub fn set_due(
    conn: &mut DbConn,
    year: i32,
    kind: &str,
    due_on: NaiveDate,
    user: &str,
) -> QueryResult<()> {
    let now = db::now();
    // An upsert, not delete-then-insert: two administrators saving at once on PostgreSQL both
    // deleted nothing and the second insert hit the key (a 500).
    crate::per_engine!(conn, c => diesel::insert_into(report_due_dates::table)
        .values((
            report_due_dates::year.eq(year),
            report_due_dates::kind.eq(kind),
            report_due_dates::due_on.eq(due_on),
            report_due_dates::updated_by.eq(user),
            report_due_dates::updated_at.eq(now),
        ))
        .on_conflict((report_due_dates::year, report_due_dates::kind))
        .do_update()
        .set((
            report_due_dates::due_on.eq(due_on),
            report_due_dates::updated_by.eq(user),
            report_due_dates::updated_at.eq(now),
        ))
        .execute(c))?;
    Ok(())
}

/// Sets (or with `None` removes) a unit's own due date; an upsert for the same reason as
/// [`set_due`].
pub fn set_override(
    conn: &mut DbConn,
    year: i32,
    kind: &str,
    unit_id: &str,
    due_on: Option<NaiveDate>,
    user: &str,
) -> QueryResult<()> {
    let Some(d) = due_on else {
        diesel::delete(
            report_due_overrides::table
                .filter(report_due_overrides::year.eq(year))
                .filter(report_due_overrides::kind.eq(kind))
                .filter(report_due_overrides::unit_id.eq(unit_id)),
        )
        .execute(conn)?;
        return Ok(());
    };
    let now = db::now();
    crate::per_engine!(conn, c => diesel::insert_into(report_due_overrides::table)
        .values((
            report_due_overrides::year.eq(year),
            report_due_overrides::kind.eq(kind),
            report_due_overrides::unit_id.eq(unit_id),
            report_due_overrides::due_on.eq(d),
            report_due_overrides::updated_by.eq(user),
            report_due_overrides::updated_at.eq(now),
        ))
        .on_conflict((
            report_due_overrides::year,
            report_due_overrides::kind,
            report_due_overrides::unit_id,
        ))
        .do_update()
        .set((
            report_due_overrides::due_on.eq(d),
            report_due_overrides::updated_by.eq(user),
            report_due_overrides::updated_at.eq(now),
        ))
        .execute(c))?;
    Ok(())
}

/// The documents sent for `year`, by the given units (all when `None`), oldest first.
pub fn reports(
    conn: &mut DbConn,
    year: i32,
    units: Option<&[String]>,
) -> QueryResult<Vec<ReportRow>> {
    let mut q = unit_reports::table
        .filter(unit_reports::year.eq(year))
        .select(ReportRow::as_select())
        .order((unit_reports::submitted_at.asc(), unit_reports::id.asc()))
        .into_boxed();
    if let Some(u) = units {
        q = q.filter(unit_reports::unit_id.eq_any(u.to_vec()));
    }
    q.load(conn)
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<ReportRow>> {
    unit_reports::table
        .find(id)
        .select(ReportRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts `row` unless its id is taken (then 0): a retry racing its first send waits for it
/// on PostgreSQL and then reads it, instead of failing on the key.
pub fn insert(conn: &mut DbConn, row: &ReportRow) -> QueryResult<usize> {
    crate::per_engine!(conn, c => diesel::insert_into(unit_reports::table)
        .values(row)
        .on_conflict(unit_reports::id)
        .do_nothing()
        .execute(c))
}
