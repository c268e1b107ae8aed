//! Step 2 of a push: edits to rows that someone else changed after this device's reconciled
//! state (its first pull, then each successful push) were made without seeing that change.
//! WatermelonDB keeps local edits over pulled values and takes the pulled `version`, so the
//! engine alone would simply take them. Instead:
//! - when the device says when it edited (`updated_at`) and the server's change is later, the
//!   edit goes to the engine as concurrent, which keeps the server's value and the device's in
//!   a conflict record ([`Later`]);
//! - otherwise the device's value will win, and the one it overwrites is kept here as a
//!   conflict record for the lead.

use std::collections::{BTreeMap, HashSet};

use serde_json::{json, Map, Value};

use super::raw::{answer_of, edit_time, text};
use super::stale::{head_seq, keep_conflict, server_is_later, Kept, Pusher};
use super::TableChanges;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::service as inspections;
use crate::inspections::store as istore;

/// Edits the server changed later than the device made them: the engine is to merge them as
/// concurrent (the later one wins), not take them.
#[derive(Debug, Default)]
pub(super) struct Later {
    /// Answer ids.
    pub answers: HashSet<String>,
    /// (inspection id, findings field).
    pub fields: HashSet<(String, String)>,
}

/// Finds the concurrent edits among `changes`, made after `base` on the server.
pub(super) fn sort_out(
    conn: &mut DbConn,
    who: &Pusher<'_>,
    base: i64,
    changes: &BTreeMap<String, TableChanges>,
) -> Result<Later, DomainError> {
    let mut later = Later::default();
    for (table, t) in changes {
        let entity = match table.as_str() {
            "answers" => "answer",
            "inspections" => "inspection",
            _ => continue,
        };
        for rec in &t.updated {
            let Some(id) = text(rec, "id") else { continue };
            if head_seq(conn, entity, &id)?.is_none_or(|s| s <= base) {
                continue;
            }
            if entity == "answer" {
                answer(conn, who, &id, rec, &mut later)?;
            } else {
                findings(conn, who, &id, rec, &mut later)?;
            }
        }
    }
    Ok(later)
}

fn changed(rec: &Map<String, Value>, column: &str) -> bool {
    text(rec, "_changed")
        .unwrap_or_default()
        .split(',')
        .any(|c| c == column)
}

fn answer(
    conn: &mut DbConn,
    who: &Pusher<'_>,
    id: &str,
    rec: &Map<String, Value>,
    later: &mut Later,
) -> Result<(), DomainError> {
    let Some((iid, item)) = id.split_once('/') else {
        return Ok(());
    };
    if !changed(rec, "value") && !changed(rec, "na") {
        return Ok(());
    }
    let Ok((row, _)) = inspections::visible(conn, who.scope, iid) else {
        return Ok(());
    };
    let Some(server) = istore::answer_row(conn, iid, item)? else {
        return Ok(());
    };
    let device = who.actor.device_id.as_deref().unwrap_or_default();
    if server.updated_device.as_deref() == Some(device) {
        return Ok(());
    }
    if server_is_later(server.hlc.as_deref(), edit_time(rec, &who.node).as_ref()) {
        later.answers.insert(id.to_owned());
        return Ok(());
    }
    let server_val = json!(crate::templates::model::Answer {
        value: server
            .value
            .as_deref()
            .and_then(|v| serde_json::from_str::<Value>(v).ok())
            .unwrap_or_default(),
        na: server.na
    });
    let kept = Kept {
        entity: "answer",
        entity_id: id,
        field: item,
        server: &server_val,
        device: &answer_of(rec),
    };
    keep_conflict(
        conn,
        who,
        &row,
        kept,
        &who.ids.of(&format!("concurrent:answers:{id}")),
    )
}

fn findings(
    conn: &mut DbConn,
    who: &Pusher<'_>,
    id: &str,
    rec: &Map<String, Value>,
    later: &mut Later,
) -> Result<(), DomainError> {
    let Ok((row, _)) = inspections::visible(conn, who.scope, id) else {
        return Ok(());
    };
    let device = who.actor.device_id.as_deref().unwrap_or_default();
    let edited = edit_time(rec, &who.node);
    let meta = inspections::field_meta(&row);
    for f in inspections::FINDINGS_FIELDS {
        let Some(m) = meta.get(f) else { continue };
        let by_me = m["dev"].as_str() == Some(device);
        if !changed(rec, f) || m["v"].as_i64().is_none() || by_me {
            continue;
        }
        if server_is_later(m["hlc"].as_str(), edited.as_ref()) {
            later.fields.insert((id.to_owned(), f.to_owned()));
            continue;
        }
        let server = json!(inspections::finding(&row, f));
        let kept = Kept {
            entity: "inspection",
            entity_id: id,
            field: f,
            server: &server,
            device: rec.get(f).unwrap_or(&Value::Null),
        };
        keep_conflict(
            conn,
            who,
            &row,
            kept,
            &who.ids.of(&format!("concurrent:inspections:{id}:{f}")),
        )?;
    }
    Ok(())
}
