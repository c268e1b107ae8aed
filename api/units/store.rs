//! Unit rows in and out of the database.

use diesel::prelude::*;

use super::model::{UnitFields, UnitRow};
use crate::db::schema::{assignments, inspections, units};
use crate::db::{self, DbConn};

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<UnitRow>> {
    units::table
        .find(id)
        .select(UnitRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn find_by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<UnitRow>> {
    units::table
        .filter(units::code.eq(code))
        .select(UnitRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConn,
    id: &str,
    f: &UnitFields,
    parent_id: Option<&str>,
) -> QueryResult<()> {
    let now = db::now();
    diesel::insert_into(units::table)
        .values((
            units::id.eq(id),
            units::code.eq(&f.code),
            units::name.eq(&f.name),
            units::name_folded.eq(super::fold::fold(&f.name)),
            units::kind.eq(f.kind.as_str()),
            units::parent_id.eq(parent_id),
            units::address.eq(&f.address),
            units::latitude.eq(f.latitude),
            units::longitude.eq(f.longitude),
            units::version.eq(1),
            units::created_at.eq(now),
            units::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Overwrites the fields and bumps the version.
pub fn update(
    conn: &mut DbConn,
    row: &UnitRow,
    f: &UnitFields,
    parent_id: Option<&str>,
) -> QueryResult<()> {
    diesel::update(units::table.find(&row.id))
        .set((
            units::code.eq(&f.code),
            units::name.eq(&f.name),
            units::name_folded.eq(super::fold::fold(&f.name)),
            units::kind.eq(f.kind.as_str()),
            units::parent_id.eq(parent_id),
            units::address.eq(&f.address),
            units::latitude.eq(f.latitude),
            units::longitude.eq(f.longitude),
            units::version.eq(row.version + 1),
            units::updated_at.eq(db::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Sets the parent of a unit created in the same transaction (no new version: nobody has
/// seen the first).
pub fn set_parent(conn: &mut DbConn, id: &str, parent_id: Option<&str>) -> QueryResult<()> {
    diesel::update(units::table.find(id))
        .set(units::parent_id.eq(parent_id))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    diesel::delete(units::table.find(id)).execute(conn)
}

/// Whether anything still points at the unit (children, assignments, inspections).
pub fn in_use(conn: &mut DbConn, id: &str) -> QueryResult<bool> {
    let children: i64 = units::table
        .filter(units::parent_id.eq(id))
        .count()
        .get_result(conn)?;
    let assigned: i64 = assignments::table
        .filter(assignments::unit_id.eq(id))
        .count()
        .get_result(conn)?;
    let inspected: i64 = inspections::table
        .filter(inspections::unit_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(children + assigned + inspected > 0)
}

pub struct UnitFilter {
    /// Folded search text: matches the folded name or the code.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub parent_id: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

fn like_pattern(s: &str) -> String {
    format!(
        "%{}%",
        s.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

pub fn list(conn: &mut DbConn, f: &UnitFilter) -> QueryResult<(Vec<UnitRow>, i64)> {
    let filtered = || {
        let mut q = units::table.into_boxed();
        if let Some(text) = &f.q {
            let pattern = like_pattern(text);
            q = q.filter(
                units::name_folded
                    .like(pattern.clone())
                    .escape('\\')
                    .or(units::code
                        .like(like_pattern(&text.to_uppercase()))
                        .escape('\\'))
                    .or(units::code.like(pattern).escape('\\')),
            );
        }
        if let Some(k) = &f.kind {
            q = q.filter(units::kind.eq(k.clone()));
        }
        if let Some(p) = &f.parent_id {
            q = q.filter(units::parent_id.eq(p.clone()));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((units::kind.asc(), units::name_folded.asc()))
        .limit(f.limit)
        .offset(f.offset)
        .select(UnitRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The units with these ids (e.g. the parents of one page of a list), in one query.
pub fn find_many(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<UnitRow>> {
    units::table
        .filter(units::id.eq_any(ids))
        .select(UnitRow::as_select())
        .load(conn)
}
