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

pub fn set_due(
    conn: &mut DbConn,
    year: i32,
    kind: &str,
    due_on: NaiveDate,
    user: &str,
) -> QueryResult<()> {
    diesel::delete(
        report_due_dates::table
            .filter(report_due_dates::year.eq(year))
            .filter(report_due_dates::kind.eq(kind)),
    )
    .execute(conn)?;
    diesel::insert_into(report_due_dates::table)
        .values((
            report_due_dates::year.eq(year),
            report_due_dates::kind.eq(kind),
            report_due_dates::due_on.eq(due_on),
            report_due_dates::updated_by.eq(user),
            report_due_dates::updated_at.eq(db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sets (or with `None` removes) a unit's own due date.
pub fn set_override(
    conn: &mut DbConn,
    year: i32,
    kind: &str,
    unit_id: &str,
    due_on: Option<NaiveDate>,
    user: &str,
) -> QueryResult<()> {
    diesel::delete(
        report_due_overrides::table
            .filter(report_due_overrides::year.eq(year))
            .filter(report_due_overrides::kind.eq(kind))
            .filter(report_due_overrides::unit_id.eq(unit_id)),
    )
    .execute(conn)?;
    if let Some(d) = due_on {
        diesel::insert_into(report_due_overrides::table)
            .values((
                report_due_overrides::year.eq(year),
                report_due_overrides::kind.eq(kind),
                report_due_overrides::unit_id.eq(unit_id),
                report_due_overrides::due_on.eq(d),
                report_due_overrides::updated_by.eq(user),
                report_due_overrides::updated_at.eq(db::now()),
            ))
            .execute(conn)?;
    }
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

pub fn insert(conn: &mut DbConn, row: &ReportRow) -> QueryResult<usize> {
    diesel::insert_into(unit_reports::table)
        .values(row)
        .execute(conn)
}
