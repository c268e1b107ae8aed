//! Step 3 of a push: the device's records as the engine's mutations (created records first, in
//! the order a pull lists their tables).
//!
//! A mutation's HLC time is the record's `updated_at` when the device sends one (the time of
//! its edit), else the time of the push.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::concurrent::Later;
use super::raw::{answer_of, claimed_time, edit_time, field_text, text};
use super::TableChanges;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::service as inspections;
use crate::inspections::store as istore;
use crate::inspections::workflow::Action;
use crate::sync::hlc::{self, Hlc};
use crate::sync::push::{FieldEdit, Mutation};

const ORDER: [&str; 5] = [
    "inspections",
    "answers",
    "recommendations",
    "comments",
    "evidence",
];

/// What the translation needs besides the records.
pub(super) struct Context<'a> {
    /// The HLC node of the pushing device.
    pub node: &'a str,
    pub later: &'a Later,
    /// The push's own time, for edits that do not say when they were made.
    pub now: Hlc,
}

impl Context<'_> {
    fn stamp(&self, rec: &Map<String, Value>) -> String {
        edit_time(rec, self.node)
            .unwrap_or_else(|| self.now.clone())
            .to_string()
    }
}

pub(super) fn mutations(
    conn: &mut DbConn,
    cx: &Context<'_>,
    changes: &BTreeMap<String, TableChanges>,
) -> Result<Vec<Mutation>, DomainError> {
    let mut out = Vec::new();
    for table in ORDER {
        let Some(t) = changes.get(table) else {
            continue;
        };
        let records = t.created.iter().map(|r| (r, true));
        for (rec, created) in records.chain(t.updated.iter().map(|r| (r, false))) {
            out.extend(of_record(conn, cx, table, rec, created)?);
        }
        out.extend(deletions(conn, cx, table, &t.deleted)?);
    }
    Ok(out)
}

/// The mutations one created or updated record of `table` makes.
pub(super) fn of_record(
    conn: &mut DbConn,
    cx: &Context<'_>,
    table: &str,
    rec: &Map<String, Value>,
    created: bool,
) -> Result<Vec<Mutation>, DomainError> {
    let Some(id) = text(rec, "id") else {
        return Ok(Vec::new());
    };
    Ok(match table {
        "inspections" => inspection(conn, cx, &id, rec, created)?,
        "answers" => vec![answer(cx, &id, rec)],
        _ if created => creation(table, id, rec).into_iter().collect(),
        _ => Vec::new(),
    })
}

fn inspection(
    conn: &mut DbConn,
    cx: &Context<'_>,
    id: &str,
    rec: &Map<String, Value>,
    created: bool,
) -> Result<Vec<Mutation>, DomainError> {
    let mut out = Vec::new();
    if created {
        out.push(Mutation::InspectionCreate {
            id: id.to_owned(),
            round_id: text(rec, "round_id").unwrap_or_default(),
            unit_id: text(rec, "unit_id").unwrap_or_default(),
        });
    }
    let server = istore::find(conn, id)?;
    let version = rec.get("version").and_then(Value::as_i64).unwrap_or(0);
    // Fields taken as they come, and fields the server changed after the device did (merged as
    // concurrent: from version 0, so the engine compares times).
    let (mut taken, mut merged) = (BTreeMap::new(), BTreeMap::new());
    for f in inspections::FINDINGS_FIELDS {
        let local = field_text(rec, f);
        let theirs = server.as_ref().and_then(|s| inspections::finding(s, f));
        if !rec.contains_key(f) || local == theirs {
            continue;
        }
        let edit = FieldEdit {
            value: local,
            hlc: cx.stamp(rec),
            base_value: None,
        };
        if cx.later.fields.contains(&(id.to_owned(), f.to_owned())) {
            merged.insert(f.to_owned(), edit);
        } else {
            taken.insert(f.to_owned(), edit);
        }
    }
    if !taken.is_empty() {
        out.push(Mutation::InspectionUpdate {
            id: id.to_owned(),
            base_version: version.max(server.as_ref().map_or(0, |s| s.version)),
            fields: taken,
        });
    }
    if !merged.is_empty() {
        out.push(Mutation::InspectionUpdate {
            id: id.to_owned(),
            base_version: 0,
            fields: merged,
        });
    }
    let draft = server
        .as_ref()
        .is_some_and(|s| s.status == "draft" || s.status == "returned");
    if text(rec, "status").as_deref() == Some("submitted") && draft {
        out.push(Mutation::InspectionTransition {
            id: id.to_owned(),
            action: Action::Submit,
            reason: None,
        });
    }
    Ok(out)
}

fn answer(cx: &Context<'_>, id: &str, rec: &Map<String, Value>) -> Mutation {
    let a = answer_of(rec);
    let version = rec.get("version").and_then(Value::as_i64).unwrap_or(0);
    Mutation::AnswerSet {
        inspection_id: text(rec, "inspection_id").unwrap_or_default(),
        item_id: text(rec, "item_id").unwrap_or_default(),
        value: a["value"].clone(),
        na: a["na"].as_bool().unwrap_or(false),
        // Concurrent with a later server change: from version 0, so the engine compares times.
        base_version: Some(if cx.later.answers.contains(id) {
            0
        } else {
            version
        }),
        base_value: None,
        hlc: cx.stamp(rec),
    }
}

/// Recommendations, comments and photo records the device made.
fn creation(table: &str, id: String, rec: &Map<String, Value>) -> Option<Mutation> {
    Some(match table {
        "recommendations" => Mutation::RecommendationCreate {
            id,
            inspection_id: text(rec, "inspection_id").unwrap_or_default(),
            content: text(rec, "content").unwrap_or_default(),
            responsible_unit_id: text(rec, "responsible_unit_id"),
            responsible: text(rec, "responsible"),
            due_on: text(rec, "due_on")
                .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            follow_up: text(rec, "follow_up"),
        },
        "comments" => Mutation::CommentCreate {
            id,
            inspection_id: text(rec, "inspection_id").unwrap_or_default(),
            item_id: text(rec, "item_id"),
            body: text(rec, "body").unwrap_or_default(),
        },
        "evidence" => Mutation::EvidenceCreate {
            id,
            inspection_id: text(rec, "inspection_id").unwrap_or_default(),
            item_id: text(rec, "item_id").unwrap_or_default(),
            caption: text(rec, "caption"),
            taken_at: claimed_time(rec.get("claimed_taken_at")),
            latitude: rec.get("claimed_latitude").and_then(Value::as_f64),
            longitude: rec.get("claimed_longitude").and_then(Value::as_f64),
        },
        _ => return None,
    })
}

/// A photo removed on the device (while its inspection may still change); a deleted answer is
/// a cleared one. Other deletions are not a device's to make.
fn deletions(
    conn: &mut DbConn,
    cx: &Context<'_>,
    table: &str,
    ids: &[String],
) -> Result<Vec<Mutation>, DomainError> {
    let mut out = Vec::new();
    for id in ids {
        match table {
            "evidence" => out.push(Mutation::EvidenceDelete {
                id: id.clone(),
                inspection_id: crate::media::store::find(conn, id)?
                    .map(|e| e.inspection_id)
                    .unwrap_or_default(),
            }),
            "answers" => {
                if let Some((iid, item)) = id.split_once('/') {
                    out.push(Mutation::AnswerSet {
                        inspection_id: iid.to_owned(),
                        item_id: item.to_owned(),
                        value: Value::Null,
                        na: false,
                        base_version: None,
                        base_value: None,
                        hlc: cx.now.to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The push's own time.
pub(super) fn now() -> Hlc {
    Hlc::server(hlc::now_ms())
}
