//! Self-assessments on devices. The team that visits a unit needs the unit's submitted
//! self-assessment beside its inspection, offline. It is one sync entity,
//! `self_assessment` (id: the self-assessment's id), with its answers inline: once submitted
//! it never changes, so a row per answer would only multiply rows and positions. Its change
//! head is keyed by the team the unit is assigned to in that round and by the round, so it
//! reaches exactly the people who see that assignment, through the ordinary scope rules,
//! tombstones and re-sends (`sync::scope_change`). A draft is the unit's own: it is never
//! logged, so no device receives it. See docs/sync.md.

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde_json::{json, Value};

use super::store;
use crate::db::schema::{change_heads, self_assessments};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::scope::Scope;
use crate::sync::log::{self as changes, Keys};

pub const ENTITY: &str = "self_assessment";

/// Logs the unit's self-assessment of the round as it stands: live, keyed by the unit's
/// assignment, once submitted; a tombstone under its last keys when the unit is no longer
/// assigned in the round. Called on submission and whenever the unit is assigned, moved or
/// unassigned. A draft logs nothing.
pub fn announce(conn: &mut DbConn, round_id: &str, unit_id: &str) -> Result<(), DomainError> {
    let Some(row) = store::find(conn, round_id, unit_id)? else {
        return Ok(());
    };
    if row.status != "submitted" {
        return Ok(());
    }
    match crate::rounds::store::assignment(conn, round_id, unit_id)? {
        Some(a) => {
            let keys = Keys {
                team_id: Some(&a.team_id),
                round_id: Some(round_id),
            };
            changes::record(conn, ENTITY, &row.id, keys, false)?;
        }
        None => {
            // Gone from the round: its devices drop it, under the keys they saw it by.
            let team: Option<Option<String>> = change_heads::table
                .filter(change_heads::entity.eq(ENTITY))
                .filter(change_heads::entity_id.eq(&row.id))
                .select(change_heads::team_id)
                .first(conn)
                .optional()?;
            if let Some(team) = team {
                let keys = Keys {
                    team_id: team.as_deref(),
                    round_id: Some(round_id),
                };
                changes::record(conn, ENTITY, &row.id, keys, true)?;
            }
        }
    }
    Ok(())
}

/// The synced self-assessment of a unit in a round, as (entity, id), when there is one: what
/// moves with the unit's assignment to another team.
pub fn rows_of(
    conn: &mut DbConn,
    round_id: &str,
    unit_id: &str,
) -> Result<Vec<(String, String)>, DomainError> {
    Ok(store::find(conn, round_id, unit_id)?
        .filter(|r| r.status == "submitted")
        .map(|r| (ENTITY.to_owned(), r.id))
        .into_iter()
        .collect())
}

/// The row as a device stores it; `None` (a tombstone) unless it exists and is submitted.
pub fn load(conn: &mut DbConn, id: &str) -> Result<Option<Value>, DomainError> {
    let row = self_assessments::table
        .find(id)
        .select(store::SelfRow::as_select())
        .first(conn)
        .optional()?;
    let Some(r) = row.filter(|r| r.status == "submitted") else {
        return Ok(None);
    };
    let answers: BTreeMap<String, Value> = store::answers_of(&store::answer_rows(conn, &r.id)?)
        .into_iter()
        .map(|(k, a)| (k, json!(a)))
        .collect();
    Ok(Some(json!({
        "id": r.id, "round_id": r.round_id, "unit_id": r.unit_id,
        "template_version_id": r.template_version_id, "status": r.status,
        "score": r.score, "band": r.band,
        "submitted_at": r.submitted_at.map(|t| t.and_utc()),
        "version": r.version, "answers": answers,
    })))
}

/// Whether the caller may read this row now: by the same rule as
/// `GET /rounds/{id}/units/{unit_id}/self-assessment` (the team assigned to the unit in that
/// round, administrators and viewers, the unit itself).
pub fn readable(conn: &mut DbConn, scope: &Scope, data: &Value) -> Result<bool, DomainError> {
    let field = |k: &str| data.get(k).and_then(Value::as_str).unwrap_or_default();
    match super::service::reach(conn, scope, field("round_id"), field("unit_id")) {
        Ok(_) => Ok(true),
        Err(DomainError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}
