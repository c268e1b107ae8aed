//! Unit management: create, change, delete, and the all-or-nothing CSV import. Every change
//! is audited in the same transaction.

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::csv_import::CsvUnit;
use super::model::{UnitFields, UnitRow, UnitView};
use super::store;
use crate::audit::{self, Actor};
use crate::db::{self, DbConn};
use crate::domain::{DomainError, Faults};
use crate::sync::log::{self as changes, Keys};

fn snapshot(r: &UnitRow) -> serde_json::Value {
    serde_json::to_value(UnitView::from(r)).unwrap_or_default()
}

fn code_taken(code: &str) -> DomainError {
    DomainError::conflict(
        "unit_code_taken",
        format!("Another unit has code `{code}`."),
        format!("Đã có đơn vị khác mang mã `{code}`."),
    )
}

fn check_parent(
    conn: &mut DbConn,
    id: Option<&str>,
    parent: Option<&str>,
) -> Result<(), DomainError> {
    let Some(p) = parent else { return Ok(()) };
    if Some(p) == id || store::find(conn, p)?.is_none() {
        return Err(DomainError::invalid(
            "/parent_id",
            "unknown_parent",
            "The parent unit does not exist (or is the unit itself).",
            "Đơn vị cấp trên không tồn tại (hoặc chính là đơn vị này).",
        ));
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    f: &UnitFields,
    parent_id: Option<&str>,
) -> Result<UnitRow, DomainError> {
    if store::find_by_code(conn, &f.code)?.is_some() {
        return Err(code_taken(&f.code));
    }
    check_parent(conn, None, parent_id)?;
    let id = db::new_id();
    store::insert(conn, &id, f, parent_id)?;
    let row = store::find(conn, &id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "unit",
        &id,
        None,
        Some(&snapshot(&row)),
    )?;
    changes::record(conn, "unit", &id, Keys::default(), false)?;
    Ok(row)
}

pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    f: &UnitFields,
    parent_id: Option<&str>,
    expected_version: Option<i64>,
) -> Result<UnitRow, DomainError> {
    let row = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    DomainError::check_version(expected_version, row.version)?;
    if f.code != row.code && store::find_by_code(conn, &f.code)?.is_some() {
        return Err(code_taken(&f.code));
    }
    check_parent(conn, Some(id), parent_id)?;
    if f.same_as(&row, parent_id) {
        return Ok(row);
    }
    store::update(conn, &row, f, parent_id)?;
    let new = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "update",
        "unit",
        id,
        Some(&snapshot(&row)),
        Some(&snapshot(&new)),
    )?;
    changes::record(conn, "unit", id, Keys::default(), false)?;
    Ok(new)
}

pub fn delete(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<(), DomainError> {
    let row = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    if store::in_use(conn, id)? {
        return Err(DomainError::conflict("unit_in_use", "The unit has sub-units, assignments or inspections; it cannot be deleted.", "Đơn vị đang có đơn vị trực thuộc, được phân công hoặc đã được kiểm tra; không thể xóa."));
    }
    store::delete(conn, id)?;
    audit::append(
        conn,
        actor,
        "delete",
        "unit",
        id,
        Some(&snapshot(&row)),
        None,
    )?;
    changes::record(conn, "unit", id, Keys::default(), true)?;
    Ok(())
}

#[derive(Debug, Default, Serialize, ToSchema, PartialEq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// True when nothing was written because `dry_run` was asked for.
    pub dry_run: bool,
}

/// What an import does with one row of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOutcome {
    Create,
    Update,
    Unchanged,
}

/// What [`import`] would do with each row, read before it runs: the preview of an import
/// lists it line by line. Matches `import`'s rules: a row is unchanged only when its fields
/// and its parent (by code) are what is stored; a parent that only the file brings is new,
/// so it is always a change.
pub fn plan(conn: &mut DbConn, rows: &[CsvUnit]) -> Result<Vec<RowOutcome>, DomainError> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(old) = store::find_by_code(conn, &r.fields.code)? else {
            out.push(RowOutcome::Create);
            continue;
        };
        let same = match &r.parent_code {
            None => r.fields.same_as(&old, None),
            Some(code) => match store::find_by_code(conn, code)? {
                Some(p) => r.fields.same_as(&old, Some(&p.id)),
                None => false,
            },
        };
        out.push(if same {
            RowOutcome::Unchanged
        } else {
            RowOutcome::Update
        });
    }
    Ok(out)
}

/// Every parent code names the unit itself (refused) or a unit in the file or the database;
/// all faults at once, by line, before anything is written.
fn check_parents(conn: &mut DbConn, rows: &[CsvUnit]) -> Result<(), DomainError> {
    let mut faults = Faults::default();
    let in_file: std::collections::HashSet<&str> =
        rows.iter().map(|r| r.fields.code.as_str()).collect();
    for r in rows {
        if let Some(p) = &r.parent_code {
            if p == &r.fields.code {
                faults.push(
                    &format!("/lines/{}/parent_code", r.line),
                    "unknown_parent",
                    "A unit cannot be its own parent.",
                    "Đơn vị không thể là cấp trên của chính nó.",
                );
            } else if !in_file.contains(p.as_str()) && store::find_by_code(conn, p)?.is_none() {
                faults.push(
                    &format!("/lines/{}/parent_code", r.line),
                    "unknown_parent",
                    format!("No unit has code `{p}`."),
                    format!("Không có đơn vị nào mang mã `{p}`."),
                );
            }
        }
    }
    faults.finish()
}

/// Creates or updates every row by code, in one transaction: any fault rejects the file.
/// Parents may be named by code, of a unit already stored or of any row in the file.
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    rows: &[CsvUnit],
) -> Result<ImportReport, DomainError> {
    check_parents(conn, rows)?;

    let mut report = ImportReport::default();
    // Pass 1: every unit exists (parents kept as stored); pass 2: parents set by code.
    let mut ids = Vec::with_capacity(rows.len());
    for r in rows {
        match store::find_by_code(conn, &r.fields.code)? {
            Some(existing) => ids.push((existing.id.clone(), Some(existing))),
            None => {
                let id = db::new_id();
                store::insert(conn, &id, &r.fields, None)?;
                ids.push((id, None));
            }
        }
    }
    for (r, (id, existing)) in rows.iter().zip(ids) {
        let parent_id = match &r.parent_code {
            Some(code) => store::find_by_code(conn, code)?.map(|p| p.id),
            None => None,
        };
        match existing {
            Some(old) if r.fields.same_as(&old, parent_id.as_deref()) => report.unchanged += 1,
            Some(old) => {
                store::update(conn, &old, &r.fields, parent_id.as_deref())?;
                let new = store::find(conn, &id)?.ok_or(DomainError::NotFound)?;
                audit::append(
                    conn,
                    actor,
                    "import_update",
                    "unit",
                    &id,
                    Some(&snapshot(&old)),
                    Some(&snapshot(&new)),
                )?;
                changes::record(conn, "unit", &id, Keys::default(), false)?;
                report.updated += 1;
            }
            None => {
                if parent_id.is_some() {
                    store::set_parent(conn, &id, parent_id.as_deref())?;
                }
                let new = store::find(conn, &id)?.ok_or(DomainError::NotFound)?;
                audit::append(
                    conn,
                    actor,
                    "import_create",
                    "unit",
                    &id,
                    None,
                    Some(&json!({"line": r.line, "unit": snapshot(&new)})),
                )?;
                changes::record(conn, "unit", &id, Keys::default(), false)?;
                report.created += 1;
            }
        }
    }
    Ok(report)
}
