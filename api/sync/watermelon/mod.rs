//! The WatermelonDB face of the sync engine: the same pull and push, in the shape
//! `synchronize()` of `@nozbe/watermelondb` expects, so a React Native app built on it syncs
//! with no custom code. Tables and columns: see docs/sync.md.
//!
//! - Pull answers `{changes: {table: {created, updated, deleted}}, timestamp}`; the
//!   timestamp is the change-log position (`last_pulled_at` next time). When a team, round or
//!   inspection leaves the device, `deleted` also names what belongs to it, but only rows the
//!   caller could read (`cascade`).
//! - Push refuses (409) a batch in which a record changed on the server since
//!   `last_pulled_at`, as WatermelonDB's protocol asks: the client pulls and pushes again.
//!   Before refusing, a concurrent edit of the same field is kept as a conflict record for the
//!   lead, so the edit that the client's retry then overwrites is not lost (`stale`).
//! - Edits to rows someone else changed after the device last reconciled were made without
//!   seeing that change: the device's value wins and the other is kept for the lead, unless
//!   the record says when it was edited (`updated_at`) and the server's change is later; then
//!   the engine merges them as concurrent and the later one wins (`concurrent`).
//! - Otherwise the records become the engine's mutations (`translate`), each under an id
//!   made from `last_pulled_at` and its content, so a retried push changes nothing twice and
//!   a different edit is never taken for a retry (`ids`, `push`).
//! - Notifications (the caller's own), remedies, earlier recommendations and self-assessments
//!   reach devices by the engine's scope (`followup`). A device may push new remedies and
//!   read marks, taken by the REST API's own services and rules; anything else of those
//!   tables, or a refused remedy, refuses the whole push with a problem (`followup_push`).
//! - WatermelonDB marks every pushed record synced when the push answers 200. A record the
//!   engine refused, or whose value lost a concurrent edit, is therefore sent again by the
//!   next pull with the server's state, or deleted by it if the server has no such row
//!   (`converge`).

mod cascade;
mod concurrent;
mod converge;
mod followup;
mod followup_push;
mod ids;
mod pull;
mod push;
mod raw;
mod stale;
mod translate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

pub use self::pull::{mark_base, pull};
pub use self::push::{push, push_with};

#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
pub struct TableChanges {
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub created: Vec<Map<String, Value>>,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub updated: Vec<Map<String, Value>>,
    #[serde(default)]
    pub deleted: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WatermelonPull {
    pub changes: BTreeMap<String, TableChanges>,
    /// Pass back as `last_pulled_at`.
    pub timestamp: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaleRecord {
    pub table: String,
    pub id: String,
}

pub enum PushOutcome {
    Done,
    /// Records changed on the server since `last_pulled_at`: pull, then push again.
    Stale(Vec<StaleRecord>),
}

/// Our entity names, in the order a first pull lists their tables.
const ENTITIES: [&str; 14] = [
    "unit",
    "team",
    "template_version",
    "round",
    "assignment",
    "inspection",
    "answer",
    "recommendation",
    "comment",
    "evidence",
    "notification",
    "remedy",
    "earlier_recommendation",
    "self_assessment",
];

/// Our entity names → WatermelonDB table names.
pub fn table_of(entity: &str) -> Option<&'static str> {
    Some(match entity {
        "unit" => "units",
        "team" => "teams",
        "template_version" => "template_versions",
        "round" => "rounds",
        "assignment" => "assignments",
        "inspection" => "inspections",
        "answer" => "answers",
        "recommendation" => "recommendations",
        "comment" => "comments",
        "evidence" => "evidence",
        "notification" => "notifications",
        "remedy" => "remedies",
        "earlier_recommendation" => "earlier_recommendations",
        "self_assessment" => "self_assessments",
        _ => return None,
    })
}

fn entity_of(table: &str) -> Option<&'static str> {
    ENTITIES.into_iter().find(|e| table_of(e) == Some(table))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entity_has_a_table_and_back() {
        for e in ENTITIES {
            let table = table_of(e).unwrap();
            assert_eq!(entity_of(table), Some(e));
        }
        assert_eq!(table_of("conflict"), None);
        assert_eq!(entity_of("conflicts"), None);
    }
}
