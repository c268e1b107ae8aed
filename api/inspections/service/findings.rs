//! The findings (ưu điểm, hạn chế, nguyên nhân): typed fields of the inspection, each
//! stamped with its own clock in `field_meta` so devices merge them field by field.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::{bump, editable, visible_for_write, writer};
use crate::audit::{self, Actor};
use crate::db::schema::inspections;
use crate::db::DbConn;
use crate::domain::{DomainError, Faults};
use crate::inspections::store::InspectionRow;
use crate::scope::Scope;
use crate::sync::hlc::{self, Hlc};

pub struct Findings {
    pub strengths: Option<String>,
    pub shortcomings: Option<String>,
    pub causes: Option<String>,
}

/// Writes the findings (ưu điểm, hạn chế, nguyên nhân); absent fields keep their value.
pub fn update_findings(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    f: &Findings,
    expected_version: Option<i64>,
) -> Result<InspectionRow, DomainError> {
    let fields: Vec<(&str, Option<String>)> = [
        ("strengths", &f.strengths),
        ("shortcomings", &f.shortcomings),
        ("causes", &f.causes),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().map(|v| (k, Some(v))))
    .collect();
    write_findings(
        conn,
        actor,
        scope,
        id,
        &fields,
        expected_version,
        &Hlc::server(hlc::now_ms()),
    )
}

/// Sets one findings field (`None` clears it), e.g. when a conflict is resolved.
pub fn set_findings_field(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    field: &str,
    value: Option<String>,
    stamp: &Hlc,
) -> Result<InspectionRow, DomainError> {
    write_findings(conn, actor, scope, id, &[(field, value)], None, stamp)
}

pub const FINDINGS_FIELDS: [&str; 3] = ["strengths", "shortcomings", "causes"];

/// Per findings field, the inspection version and HLC of its last change.
pub fn field_meta(row: &InspectionRow) -> serde_json::Map<String, Value> {
    row.field_meta
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default()
}

pub fn finding(row: &InspectionRow, field: &str) -> Option<String> {
    match field {
        "strengths" => row.strengths.clone(),
        "shortcomings" => row.shortcomings.clone(),
        "causes" => row.causes.clone(),
        _ => None,
    }
}

/// Writes findings fields, stamping each with `stamp` in `field_meta`.
pub fn write_findings(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    fields: &[(&str, Option<String>)],
    expected_version: Option<i64>,
    stamp: &Hlc,
) -> Result<InspectionRow, DomainError> {
    let (row, round_status) = visible_for_write(conn, scope, id)?;
    writer(scope, &row, &round_status)?;
    editable(&row)?;
    DomainError::check_version(expected_version, row.version)?;
    let mut faults = Faults::default();
    for (name, v) in fields {
        if !FINDINGS_FIELDS.contains(name) {
            faults.push(
                &format!("/{name}"),
                "unknown_field",
                "Not a findings field.",
                "Không phải trường kết quả kiểm tra.",
            );
        }
        if v.as_ref().is_some_and(|t| t.chars().count() > 50_000) {
            faults.push(
                &format!("/{name}"),
                "too_long",
                "At most 50,000 characters.",
                "Tối đa 50.000 ký tự.",
            );
        }
    }
    faults.finish()?;
    let value_of = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map_or_else(|| finding(&row, name), |(_, v)| v.clone())
    };
    let mut meta = field_meta(&row);
    for (name, _) in fields {
        meta.insert(
            (*name).to_owned(),
            json!({"v": row.version + 1, "hlc": stamp.to_string(), "dev": actor.device_id}),
        );
    }
    diesel::update(inspections::table.find(id))
        .set((
            inspections::strengths.eq(value_of("strengths")),
            inspections::shortcomings.eq(value_of("shortcomings")),
            inspections::causes.eq(value_of("causes")),
            inspections::field_meta.eq(Value::Object(meta).to_string()),
        ))
        .execute(conn)?;
    let new = bump(conn, &row, None)?;
    let view = |r: &InspectionRow| json!({"strengths": r.strengths, "shortcomings": r.shortcomings, "causes": r.causes});
    audit::append(
        conn,
        actor,
        "findings",
        "inspection",
        id,
        Some(&view(&row)),
        Some(&view(&new)),
    )?;
    Ok(new)
}
