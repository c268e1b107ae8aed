//! The inspection's own fields: the findings (ưu điểm, hạn chế, nguyên nhân) and the biên
//! bản record (place, held_at, members, attendees). Each is stamped with its own clock in
//! `field_meta`, so devices merge them field by field; values take the one form
//! `record::canonical` gives them.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::{bump, editable, visible_for_write, writer};
use crate::audit::{self, Actor};
use crate::db::schema::inspections;
use crate::db::DbConn;
use crate::domain::{DomainError, Faults};
use crate::inspections::record::{self, canonical, parse_time, time_text};
use crate::inspections::store::InspectionRow;
use crate::scope::Scope;
use crate::sync::hlc::{self, Hlc};

/// Fields to write, in their text form (`members`/`attendees`: the JSON text of the array);
/// `None` keeps a field, `Some("")` clears it.
#[derive(Default)]
pub struct Findings {
    pub strengths: Option<String>,
    pub shortcomings: Option<String>,
    pub causes: Option<String>,
    pub place: Option<String>,
    pub held_at: Option<String>,
    pub members: Option<String>,
    pub attendees: Option<String>,
}

/// Every field merged one by one: the findings and the biên bản record.
pub const FINDINGS_FIELDS: [&str; 7] = record::FIELDS;

/// Writes the fields given; absent fields keep their value.
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
        ("place", &f.place),
        ("held_at", &f.held_at),
        ("members", &f.members),
        ("attendees", &f.attendees),
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

/// Sets one field (`None` clears it), e.g. when a conflict is resolved.
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

/// Per field, the inspection version and HLC of its last change.
pub fn field_meta(row: &InspectionRow) -> serde_json::Map<String, Value> {
    row.field_meta
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default()
}

/// A field's current value in its text form (as [`record::canonical`] writes it).
pub fn finding(row: &InspectionRow, field: &str) -> Option<String> {
    match field {
        "strengths" => row.strengths.clone(),
        "shortcomings" => row.shortcomings.clone(),
        "causes" => row.causes.clone(),
        "place" => row.place.clone(),
        "held_at" => row.held_at.as_ref().map(time_text),
        "members" => row.members.clone(),
        "attendees" => row.attendees.clone(),
        _ => None,
    }
}

/// Checks and normalises fields; 422 with every fault.
pub fn checked(
    fields: &[(&str, Option<String>)],
) -> Result<Vec<(String, Option<String>)>, DomainError> {
    let mut faults = Faults::default();
    let out = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), canonical(k, v.as_deref(), &mut faults)))
        .collect();
    faults.finish()?;
    Ok(out)
}

/// Writes fields, stamping each with `stamp` in `field_meta`, after the caller's checks.
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
    let fields = checked(fields)?;
    apply(conn, actor, &row, &fields, stamp)
}

/// Writes already checked fields, whatever the inspection's state: the access checks are the
/// caller's (this also serves the one-off fold of old checklist answers, which must reach
/// approved inspections too).
pub(crate) fn apply(
    conn: &mut DbConn,
    actor: &Actor,
    row: &InspectionRow,
    fields: &[(String, Option<String>)],
    stamp: &Hlc,
) -> Result<InspectionRow, DomainError> {
    let value_of = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or_else(|| finding(row, name), |(_, v)| v.clone())
    };
    let mut meta = field_meta(row);
    for (name, _) in fields {
        meta.insert(
            name.clone(),
            json!({"v": row.version + 1, "hlc": stamp.to_string(), "dev": actor.device_id}),
        );
    }
    diesel::update(inspections::table.find(&row.id))
        .set((
            inspections::strengths.eq(value_of("strengths")),
            inspections::shortcomings.eq(value_of("shortcomings")),
            inspections::causes.eq(value_of("causes")),
            inspections::place.eq(value_of("place")),
            inspections::held_at.eq(value_of("held_at").as_deref().and_then(parse_time)),
            inspections::members.eq(value_of("members")),
            inspections::attendees.eq(value_of("attendees")),
            inspections::field_meta.eq(Value::Object(meta).to_string()),
        ))
        .execute(conn)?;
    let new = bump(conn, row, None)?;
    let view = |r: &InspectionRow| {
        Value::Object(
            FINDINGS_FIELDS
                .iter()
                .map(|f| ((*f).to_owned(), json!(finding(r, f))))
                .collect(),
        )
    };
    audit::append(
        conn,
        actor,
        "findings",
        "inspection",
        &row.id,
        Some(&view(row)),
        Some(&view(&new)),
    )?;
    Ok(new)
}
