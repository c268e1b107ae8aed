//! Step 1 of a push: is any pushed record changed on the server since `last_pulled_at`?
//! Then WatermelonDB's protocol asks for a refusal (the client pulls and pushes again). A
//! device value that the retry will make current is kept first, as a conflict record, with
//! the server value it will overwrite.

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde_json::{json, Map, Value};

use super::concurrent::Later;
use super::followup::followup_entity;
use super::ids::Ids;
use super::push::delivered;
use super::raw::{answer_of, edit_time, field_text, text};
use super::translate::{self, Context};
use super::{entity_of, StaleRecord, TableChanges};
use crate::audit::Actor;
use crate::db::schema::{change_heads, conflicts as conflict_table};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::service as inspections;
use crate::inspections::store as istore;
use crate::scope::Scope;
use crate::sync::conflicts::{self, NewConflict};
use crate::sync::hlc::{self, Hlc};

/// Who pushes: the actor, their scope, and the ids and HLC node of their pushes.
pub(super) struct Pusher<'a> {
    pub actor: &'a Actor,
    pub scope: &'a Scope,
    pub ids: Ids,
    pub node: String,
}

/// The records changed on the server since `last_pulled_at` (keeping the device's values
/// that compete with them).
pub(super) fn check(
    conn: &mut DbConn,
    who: &Pusher<'_>,
    last_pulled_at: i64,
    changes: &BTreeMap<String, TableChanges>,
) -> Result<Vec<StaleRecord>, DomainError> {
    let mut stale = Vec::new();
    for (table, t) in changes {
        // The follow-up tables have their own rule for a stale push (`followup_push`).
        let Some(entity) = entity_of(table).filter(|_| followup_entity(table).is_none()) else {
            continue;
        };
        let records = t.updated.iter().map(|r| (r, false));
        for (rec, created) in records.chain(t.created.iter().map(|r| (r, true))) {
            let Some(id) = text(rec, "id") else { continue };
            let seq = head_seq(conn, entity, &id)?;
            if seq.is_some_and(|s| s > last_pulled_at)
                && !already_there(conn, entity, &id, rec)?
                && !retried(conn, who, table, rec, created)?
            {
                keep_competing(conn, who, table, entity, &id, rec)?;
                stale.push(StaleRecord {
                    table: table.clone(),
                    id,
                });
            }
        }
    }
    Ok(stale)
}

/// Whether this record's changes were all pushed before, at this `last_pulled_at`: a retried
/// push (its answer lost). Its first attempt was applied and settled (the record's head may
/// have moved for that very reason); the retry changes nothing.
fn retried(
    conn: &mut DbConn,
    who: &Pusher<'_>,
    table: &str,
    rec: &Map<String, Value>,
    created: bool,
) -> Result<bool, DomainError> {
    let later = Later::default();
    let cx = Context {
        node: &who.node,
        later: &later,
        now: translate::now(),
    };
    let mids = translate::of_record(conn, &cx, table, rec, created)?
        .iter()
        .map(|m| who.ids.of_mutation(m))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&str> = mids.iter().map(String::as_str).collect();
    Ok(!mids.is_empty() && delivered(conn, who.scope, &refs)?.len() == mids.len())
}

pub(super) fn head_seq(conn: &mut DbConn, entity: &str, id: &str) -> QueryResult<Option<i64>> {
    change_heads::table
        .find((entity, id))
        .select(change_heads::seq)
        .get_result(conn)
        .optional()
}

/// Keeps the device's competing values before refusing, unless the device says it edited
/// before the server's change: then the server's value stays, and the retry's own merge keeps
/// the device's.
fn keep_competing(
    conn: &mut DbConn,
    who: &Pusher<'_>,
    table: &str,
    entity: &str,
    id: &str,
    rec: &Map<String, Value>,
) -> Result<(), DomainError> {
    match entity {
        "answer" => keep_answer(
            conn,
            who,
            &who.ids.of(&format!("stale:{table}:{id}")),
            id,
            rec,
        ),
        "inspection" => keep_findings(conn, who, table, id, rec),
        _ => Ok(()),
    }
}

fn keep_answer(
    conn: &mut DbConn,
    who: &Pusher<'_>,
    mutation_id: &str,
    id: &str,
    rec: &Map<String, Value>,
) -> Result<(), DomainError> {
    let Some((iid, item)) = id.split_once('/') else {
        return Ok(());
    };
    let Ok((row, _)) = inspections::visible(conn, who.scope, iid) else {
        return Ok(());
    };
    let server = istore::answer_row(conn, iid, item)?;
    let server_hlc = server.as_ref().and_then(|a| a.hlc.as_deref());
    if server_is_later(server_hlc, edit_time(rec, &who.node).as_ref()) {
        return Ok(());
    }
    let current = istore::answers_of(&server.into_iter().collect::<Vec<_>>());
    let server = json!(current.get(item).cloned().unwrap_or_default());
    let kept = Kept {
        entity: "answer",
        entity_id: id,
        field: item,
        server: &server,
        device: &answer_of(rec),
    };
    keep_conflict(conn, who, &row, kept, mutation_id)
}

fn keep_findings(
    conn: &mut DbConn,
    who: &Pusher<'_>,
    table: &str,
    id: &str,
    rec: &Map<String, Value>,
) -> Result<(), DomainError> {
    let Ok((row, _)) = inspections::visible(conn, who.scope, id) else {
        return Ok(());
    };
    let edited = edit_time(rec, &who.node);
    let meta = inspections::field_meta(&row);
    for f in inspections::FINDINGS_FIELDS {
        let Some(v) = rec.get(f) else { continue };
        // A column the device holds as the server does is nothing to keep (every record
        // carries all its columns, the record fields included).
        if field_text(rec, f) == inspections::finding(&row, f) {
            continue;
        }
        let server_hlc = meta.get(f).and_then(|m| m["hlc"].as_str());
        if server_is_later(server_hlc, edited.as_ref()) {
            continue;
        }
        let server = json!(inspections::finding(&row, f));
        let kept = Kept {
            entity: "inspection",
            entity_id: id,
            field: f,
            server: &server,
            device: v,
        };
        let mutation_id = who.ids.of(&format!("stale:{table}:{id}:{f}"));
        keep_conflict(conn, who, &row, kept, &mutation_id)?;
    }
    Ok(())
}

/// Whether the server's value was set at or after the device's edit (both known).
pub(super) fn server_is_later(server_hlc: Option<&str>, edited: Option<&Hlc>) -> bool {
    match (server_hlc.and_then(Hlc::parse), edited) {
        (Some(s), Some(d)) => s >= *d,
        _ => false,
    }
}

/// A device value about to be overwritten or refused, and the server value it competes with.
pub(super) struct Kept<'a> {
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub field: &'a str,
    pub server: &'a Value,
    pub device: &'a Value,
}

/// Keeps a device value that will overwrite the server's as a conflict record, once.
pub(super) fn keep_conflict(
    conn: &mut DbConn,
    who: &Pusher<'_>,
    row: &istore::InspectionRow,
    kept: Kept<'_>,
    mutation_id: &str,
) -> Result<(), DomainError> {
    let Kept {
        entity,
        entity_id,
        field,
        server,
        device,
    } = kept;
    if server == device {
        return Ok(());
    }
    // Only a writer of an inspection that may still change leaves a conflict that way: a
    // viewer's or outsider's push keeps nothing, and an edit the workflow refuses is kept by
    // the engine as a `rejected` record, which does not block approval.
    let round_status = istore::round_status(conn, &row.round_id)?;
    if inspections::writer(who.scope, row, &round_status).is_err()
        || inspections::editable(row).is_err()
    {
        return Ok(());
    }
    let device_s = device.to_string();
    let already: i64 = conflict_table::table
        .filter(conflict_table::inspection_id.eq(&row.id))
        .filter(conflict_table::field.eq(field))
        .filter(conflict_table::status.eq("open"))
        .filter(conflict_table::device_value.eq(&device_s))
        .filter(conflict_table::device_author.eq(who.actor.user_id.clone().unwrap_or_default()))
        .count()
        .get_result(conn)?;
    if already > 0 {
        return Ok(());
    }
    let stamp = Hlc::server(hlc::now_ms()).to_string();
    conflicts::create(
        conn,
        who.actor,
        &NewConflict {
            inspection: row,
            entity,
            entity_id,
            field,
            kind: "concurrent",
            reason: None,
            base_value: None,
            server_value: Some(server),
            device_value: Some(device),
            server_author: None,
            server_device: None,
            server_hlc: None,
            device_hlc: Some(&stamp),
            // The client will pull, keep its local value and push again: it will be current.
            winner: "device",
            mutation_id,
        },
    )?;
    Ok(())
}

/// Whether the server already holds what this record says (a retried push whose first
/// attempt went through): then there is nothing to reconcile.
fn already_there(
    conn: &mut DbConn,
    entity: &str,
    id: &str,
    rec: &Map<String, Value>,
) -> Result<bool, DomainError> {
    Ok(match entity {
        "answer" => {
            let Some((iid, item)) = id.split_once('/') else {
                return Ok(false);
            };
            let current = istore::answers_of(&istore::answer_rows(conn, iid)?);
            let server = json!(current.get(item).cloned().unwrap_or_default());
            server == answer_of(rec)
        }
        "inspection" => match istore::find(conn, id)? {
            Some(row) => inspections::FINDINGS_FIELDS.iter().all(|f| {
                !rec.contains_key(*f) || field_text(rec, f) == inspections::finding(&row, f)
            }),
            None => false,
        },
        "recommendation" => istore::find_recommendation(conn, id)?.is_some(),
        "comment" => istore::find_comment(conn, id)?.is_some(),
        "evidence" => crate::media::store::find(conn, id)?.is_some(),
        _ => false,
    })
}
