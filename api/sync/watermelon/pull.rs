//! The pull: everything after `last_pulled_at`, in WatermelonDB's shape.

use std::collections::{BTreeMap, HashSet};

use diesel::prelude::*;

use super::cascade::{self, Tombstone};
use super::raw::raw;
use super::{table_of, TableChanges, WatermelonPull};
use crate::db::schema::devices;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::scope::Scope;
use crate::sync::pull::{self as engine, Change};

/// Everything after `last_pulled_at`, in WatermelonDB's shape, and whether the device still
/// needs its base position marked ([`mark_base`], a write of its own: the pull itself reads
/// only, in a read-only transaction).
pub fn pull(
    conn: &mut DbConn,
    scope: &Scope,
    device_id: &str,
    last_pulled_at: Option<i64>,
) -> Result<(WatermelonPull, bool), DomainError> {
    let first = last_pulled_at.is_none_or(|t| t <= 0);
    let (latest, cursor) = latest_changes(conn, scope, last_pulled_at.unwrap_or(0).max(0))?;
    let mut changes: BTreeMap<String, TableChanges> = BTreeMap::new();
    let mut tombstones = Vec::new();
    for ((entity, id), c) in latest {
        let Some(table) = table_of(&entity) else {
            continue;
        };
        let t = changes.entry(table.to_owned()).or_default();
        match (&c.data, c.deleted) {
            (Some(data), false) if first => t.created.push(raw(&entity, &id, data)),
            (Some(data), false) => t.updated.push(raw(&entity, &id, data)),
            _ => {
                if matches!(entity.as_str(), "team" | "round" | "inspection") {
                    tombstones.push(Tombstone {
                        entity: entity.clone(),
                        id: id.clone(),
                        seq: c.seq,
                    });
                }
                t.deleted.push(id);
            }
        }
    }
    // WatermelonDB deletes only the records it is told to: spell out what hangs on a team,
    // round or inspection that left the device (ids the device does not have are ignored).
    let mut listed: HashSet<(String, String)> = changes
        .iter()
        .flat_map(|(t, c)| c.deleted.iter().map(move |id| (t.clone(), id.clone())))
        .collect();
    for (table, dep) in cascade::dependents(conn, scope, &tombstones)? {
        if listed.insert((table.to_owned(), dep.clone())) {
            changes
                .entry(table.to_owned())
                .or_default()
                .deleted
                .push(dep);
        }
    }
    let unmarked: i64 = devices::table
        .find(device_id)
        .filter(devices::wm_base.is_null())
        .count()
        .get_result(conn)?;
    let page = WatermelonPull {
        changes,
        timestamp: cursor,
    };
    Ok((page, unmarked > 0))
}

/// A device's first pull marks its base position (once: a set base is never moved here).
pub fn mark_base(conn: &mut DbConn, device_id: &str, cursor: i64) -> Result<(), DomainError> {
    diesel::update(
        devices::table
            .find(device_id)
            .filter(devices::wm_base.is_null()),
    )
    .set(devices::wm_base.eq(cursor))
    .execute(conn)?;
    Ok(())
}

/// Every row changed after `cursor`, in its latest state (a row met twice across pages keeps
/// its last appearance), and the position reached.
#[allow(clippy::type_complexity)]
fn latest_changes(
    conn: &mut DbConn,
    scope: &Scope,
    mut cursor: i64,
) -> Result<(BTreeMap<(String, String), Change>, i64), DomainError> {
    let mut latest = BTreeMap::new();
    let mut at = engine::Cursor::at(cursor);
    loop {
        let page = engine::pull_at(conn, scope, at, engine::MAX_LIMIT)?;
        for c in page.changes {
            latest.insert((c.entity.clone(), c.id.clone()), c);
        }
        at = engine::Cursor::parse(&page.next_cursor).unwrap_or(at);
        cursor = at.at;
        if !page.has_more {
            return Ok((latest, cursor));
        }
    }
}
