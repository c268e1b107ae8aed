//! Saving answers: checked against the pinned checklist, written row by row, scored.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::{bump, editable, keys, template_of, visible_for_write, writer};
use crate::audit::{self, Actor};
use crate::db::schema::answers;
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::inspections::store::{self, InspectionRow};
use crate::scope::Scope;
use crate::sync::hlc::{self, Hlc};
use crate::sync::log as changes;
use crate::templates::answers::check_answers;
use crate::templates::model::Answers;
use crate::templates::scoring::score;

/// The sync id of an answer row.
pub fn answer_id(inspection_id: &str, item_id: &str) -> String {
    format!("{inspection_id}/{item_id}")
}

/// Writes one answer row (a cleared one keeps its row, with no value), stamped with `hlc`, and
/// records the change for sync. `old_version` is the row's version, if it exists.
pub fn write_answer(
    conn: &mut DbConn,
    actor: &Actor,
    row: &InspectionRow,
    item: &str,
    answer: &crate::templates::model::Answer,
    stamp: &Hlc,
    old_version: Option<i64>,
) -> Result<(), DomainError> {
    let id = &row.id;
    let now = db::now();
    let cleared = !answer.na && answer.value.is_null();
    let value = (!answer.value.is_null()).then(|| answer.value.to_string());
    // Clearing keeps the row, versioned, with no value (see `batch`).
    match (old_version, cleared) {
        (None, true) => return Ok(()),
        (Some(v), _) => {
            diesel::update(answers::table.find((id, item)))
                .set((
                    answers::value.eq(value),
                    answers::na.eq(answer.na),
                    answers::version.eq(v + 1),
                    answers::updated_by.eq(actor.user_id.clone().unwrap_or_default()),
                    answers::updated_device.eq(&actor.device_id),
                    answers::updated_at.eq(now),
                    answers::hlc.eq(stamp.to_string()),
                ))
                .execute(conn)?;
        }
        (None, false) => {
            diesel::insert_into(answers::table)
                .values((
                    answers::inspection_id.eq(id),
                    answers::item_id.eq(item),
                    answers::value.eq(value),
                    answers::na.eq(answer.na),
                    answers::version.eq(1),
                    answers::updated_by.eq(actor.user_id.clone().unwrap_or_default()),
                    answers::updated_device.eq(&actor.device_id),
                    answers::updated_at.eq(now),
                    answers::hlc.eq(stamp.to_string()),
                ))
                .execute(conn)?;
        }
    }
    changes::record(conn, "answer", &answer_id(id, item), keys(row), false)?;
    Ok(())
}

/// Saves some answers (`value: null` clears one). Types, options, ranges and visibility are
/// checked now; required items and evidence only at submission.
/// Saves answers through the REST API, stamped with the server's clock.
pub fn save_answers(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    changed: &Answers,
    expected_version: Option<i64>,
) -> Result<InspectionRow, DomainError> {
    save_answers_stamped(
        conn,
        actor,
        scope,
        id,
        changed,
        expected_version,
        &Hlc::server(hlc::now_ms()),
    )
}

/// Saves answers with the given HLC stamp (a device's, for pushed changes).
pub fn save_answers_stamped(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    changed: &Answers,
    expected_version: Option<i64>,
    stamp: &Hlc,
) -> Result<InspectionRow, DomainError> {
    let (row, round_status) = visible_for_write(conn, scope, id)?;
    writer(scope, &row, &round_status)?;
    editable(&row)?;
    DomainError::check_version(expected_version, row.version)?;
    let template = template_of(conn, &row)?;
    let current_rows = store::answer_rows(conn, id)?;
    let current = store::answers_of(&current_rows);
    let mut merged = current.clone();
    for (k, v) in changed {
        merged.insert(k.clone(), v.clone());
    }
    let faults = check_answers(&template, changed, &merged);
    if !faults.is_empty() {
        return Err(DomainError::Invalid(faults));
    }
    let mut before = serde_json::Map::new();
    let mut after = serde_json::Map::new();
    for (item, answer) in changed {
        let old = current_rows
            .iter()
            .find(|r| &r.item_id == item)
            .map(|r| r.version);
        before.insert(
            item.clone(),
            current.get(item).map_or(Value::Null, |a| json!(a)),
        );
        after.insert(item.clone(), json!(answer));
        write_answer(conn, actor, &row, item, answer, stamp, old)?;
    }
    let r = score(&template, &merged);
    let mut new = bump(conn, &row, Some(&r))?;
    let old_findings = crate::templates::answers::FINDINGS_ITEMS
        .iter()
        .any(|(item, _)| changed.contains_key(*item));
    if old_findings && crate::inspections::legacy::fold(conn, actor, id)? {
        new = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    }
    audit::append(
        conn,
        actor,
        "answer",
        "inspection",
        id,
        Some(&Value::Object(before)),
        Some(&Value::Object(after)),
    )?;
    Ok(new)
}
