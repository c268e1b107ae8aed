//! The WatermelonDB face of the sync engine: the same pull and push, in the shape
//! `synchronize()` of `@nozbe/watermelondb` expects, so a React Native app built on it syncs
//! with no custom code. Tables and columns: see docs/sync.md.
//!
//! - Pull answers `{changes: {table: {created, updated, deleted}}, timestamp}`; the
//!   timestamp is the change-log position (`last_pulled_at` next time).
//! - Push refuses (409) a batch in which a record changed on the server since
//!   `last_pulled_at`, as WatermelonDB's protocol asks: the client pulls and pushes again.
//!   Before refusing, a concurrent edit of the same field is kept as a conflict record for the
//!   lead, so the edit that the client's retry then overwrites is not lost.

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use super::conflicts::{self, NewConflict};
use super::hlc::{self, Hlc};
use super::pull::{self, Change};
use super::push::{self, Envelope, FieldEdit, Mutation};
use crate::audit::Actor;
use crate::db::schema::{change_heads, conflicts as conflict_table, devices};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::service as inspections;
use crate::inspections::store as istore;
use crate::inspections::workflow::Action;
use crate::scope::Scope;

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
        _ => return None,
    })
}

fn entity_of(table: &str) -> Option<&'static str> {
    [
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
    ]
    .into_iter()
    .find(|e| table_of(e) == Some(table))
}

/// A row as a WatermelonDB raw record: flat columns, JSON documents as text.
fn raw(entity: &str, id: &str, data: &Value) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    let columns: &[&str] = match entity {
        "unit" => &[
            "code",
            "name",
            "kind",
            "parent_id",
            "address",
            "latitude",
            "longitude",
            "version",
        ],
        "team" => &["name", "lead_id", "version"],
        "template_version" => &["template_id", "number", "content_hash"],
        "round" => &[
            "name",
            "kind",
            "template_version_id",
            "starts_on",
            "ends_on",
            "due_on",
            "status",
            "version",
        ],
        "assignment" => &["round_id", "unit_id", "team_id", "version"],
        "inspection" => &[
            "round_id",
            "unit_id",
            "team_id",
            "template_version_id",
            "status",
            "score",
            "band",
            "strengths",
            "shortcomings",
            "causes",
            "return_reason",
            "version",
        ],
        "answer" => &["inspection_id", "item_id", "na", "version"],
        "recommendation" => &[
            "inspection_id",
            "content",
            "responsible_unit_id",
            "responsible",
            "due_on",
            "follow_up",
            "version",
        ],
        "comment" => &["inspection_id", "item_id", "author_id", "body"],
        "evidence" => &[
            "inspection_id",
            "item_id",
            "caption",
            "claimed_taken_at",
            "claimed_latitude",
            "claimed_longitude",
            "upload_state",
            "sha256",
            "size_bytes",
            "media_type",
            "width",
            "height",
            "exif_taken_at",
            "exif_latitude",
            "exif_longitude",
            "version",
        ],
        _ => &[],
    };
    for c in columns {
        m.insert((*c).into(), data.get(*c).cloned().unwrap_or(Value::Null));
    }
    match entity {
        "template_version" => {
            m.insert("content".into(), json!(data["content"].to_string()));
        }
        "answer" => {
            let v = &data["value"];
            m.insert(
                "value".into(),
                if v.is_null() {
                    Value::Null
                } else {
                    json!(v.to_string())
                },
            );
        }
        _ => {}
    }
    m
}

/// Everything after `last_pulled_at`, in WatermelonDB's shape.
pub fn pull(
    conn: &mut DbConn,
    scope: &Scope,
    device_id: &str,
    last_pulled_at: Option<i64>,
) -> Result<WatermelonPull, DomainError> {
    let first = last_pulled_at.is_none_or(|t| t <= 0);
    let mut cursor = last_pulled_at.unwrap_or(0).max(0);
    let mut changes: BTreeMap<String, TableChanges> = BTreeMap::new();
    // Latest state only: a row met twice across pages keeps its last appearance.
    let mut latest: BTreeMap<(String, String), Change> = BTreeMap::new();
    loop {
        let page = pull::pull(conn, scope, cursor, pull::MAX_LIMIT)?;
        for c in page.changes {
            latest.insert((c.entity.clone(), c.id.clone()), c);
        }
        cursor = page.next_cursor.parse().unwrap_or(cursor);
        if !page.has_more {
            break;
        }
    }
    let mut cascade = Vec::new();
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
                    cascade.push((entity.clone(), id.clone()));
                }
                t.deleted.push(id);
            }
        }
    }
    // WatermelonDB deletes only the records it is told to: spell out what hangs on a team,
    // round or inspection that left the device (ids the device does not have are ignored).
    for (entity, id) in cascade {
        for (table, dep) in dependents(conn, &entity, &id)? {
            let t = changes.entry(table.to_owned()).or_default();
            if !t.deleted.contains(&dep) {
                t.deleted.push(dep);
            }
        }
    }
    diesel::update(
        devices::table
            .find(device_id)
            .filter(devices::wm_base.is_null()),
    )
    .set(devices::wm_base.eq(cursor))
    .execute(conn)?;
    Ok(WatermelonPull {
        changes,
        timestamp: cursor,
    })
}

/// The rows that belong to a team, round or inspection, as (table, id).
fn dependents(
    conn: &mut DbConn,
    entity: &str,
    id: &str,
) -> Result<Vec<(&'static str, String)>, DomainError> {
    use crate::db::schema::{assignments, inspections as insp};
    let (assignment_ids, inspection_ids): (Vec<String>, Vec<String>) = match entity {
        "inspection" => (Vec::new(), vec![id.to_owned()]),
        "round" => (
            assignments::table
                .filter(assignments::round_id.eq(id))
                .select(assignments::id)
                .load(conn)?,
            insp::table
                .filter(insp::round_id.eq(id))
                .select(insp::id)
                .load(conn)?,
        ),
        "team" => (
            assignments::table
                .filter(assignments::team_id.eq(id))
                .select(assignments::id)
                .load(conn)?,
            insp::table
                .filter(insp::team_id.eq(id))
                .select(insp::id)
                .load(conn)?,
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let mut out: Vec<(&'static str, String)> = assignment_ids
        .into_iter()
        .map(|a| ("assignments", a))
        .collect();
    for i in inspection_ids {
        if i != id {
            out.push(("inspections", i.clone()));
        }
        out.extend(
            istore::answer_rows(conn, &i)?
                .into_iter()
                .map(|a| ("answers", inspections::answer_id(&i, &a.item_id))),
        );
        out.extend(
            istore::recommendations_of(conn, &i)?
                .into_iter()
                .map(|r| ("recommendations", r.id)),
        );
        out.extend(
            istore::comments_of(conn, &i)?
                .into_iter()
                .map(|c| ("comments", c.id)),
        );
        out.extend(
            crate::media::store::of_inspection(conn, &i)?
                .into_iter()
                .map(|e| ("evidence", e.id)),
        );
    }
    Ok(out)
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

fn text(m: &Map<String, Value>, k: &str) -> Option<String> {
    m.get(k).and_then(Value::as_str).map(str::to_owned)
}

/// Keeps a device value that is about to be refused as stale, once.
/// A device value about to be overwritten or refused, and the server value it competes with.
struct Kept<'a> {
    entity: &'a str,
    entity_id: &'a str,
    field: &'a str,
    server: &'a Value,
    device: &'a Value,
}

fn keep_conflict(
    conn: &mut DbConn,
    actor: &Actor,
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
    let device_s = device.to_string();
    let already: i64 = conflict_table::table
        .filter(conflict_table::inspection_id.eq(&row.id))
        .filter(conflict_table::field.eq(field))
        .filter(conflict_table::status.eq("open"))
        .filter(conflict_table::device_value.eq(&device_s))
        .filter(conflict_table::device_author.eq(actor.user_id.clone().unwrap_or_default()))
        .count()
        .get_result(conn)?;
    if already > 0 {
        return Ok(());
    }
    let stamp = Hlc::server(hlc::now_ms()).to_string();
    conflicts::create(
        conn,
        actor,
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
            Some(row) => inspections::FINDINGS_FIELDS
                .iter()
                .all(|f| !rec.contains_key(*f) || text(rec, f) == inspections::finding(&row, f)),
            None => false,
        },
        "recommendation" => istore::find_recommendation(conn, id)?.is_some(),
        "comment" => istore::find_comment(conn, id)?.is_some(),
        "evidence" => crate::media::store::find(conn, id)?.is_some(),
        _ => false,
    })
}

/// A device's photo time: WatermelonDB apps store dates as epoch milliseconds; what the server
/// sends is ISO 8601 (UTC). Either is taken.
fn claimed_time(v: Option<&Value>) -> Option<chrono::DateTime<chrono::Utc>> {
    match v? {
        Value::Number(n) => n.as_i64().and_then(chrono::DateTime::from_timestamp_millis),
        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.to_utc())
            .ok()
            .or_else(|| {
                chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                    .ok()
                    .map(|t| t.and_utc())
            }),
        _ => None,
    }
}

/// A pushed answer record as the engine writes answers (`{"value": …}`, `"na": true` only when set).
fn answer_of(m: &Map<String, Value>) -> Value {
    let value = text(m, "value")
        .and_then(|v| serde_json::from_str::<Value>(&v).ok())
        .unwrap_or(Value::Null);
    json!(crate::templates::model::Answer {
        value,
        na: m.get("na").and_then(Value::as_bool).unwrap_or(false)
    })
}

pub fn push(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    last_pulled_at: i64,
    changes: &BTreeMap<String, TableChanges>,
) -> Result<PushOutcome, DomainError> {
    let device = actor.device_id.clone().unwrap_or_default();
    let mid = |table: &str, id: &str, what: &str| {
        format!("wm-{device}-{last_pulled_at}-{table}-{id}-{what}")
    };

    // 1. Anything pushed that the server changed since the client's last pull?
    let mut stale = Vec::new();
    for (table, t) in changes {
        let Some(entity) = entity_of(table) else {
            continue;
        };
        for rec in t.updated.iter().chain(t.created.iter()) {
            let Some(id) = text(rec, "id") else { continue };
            let seq: Option<i64> = change_heads::table
                .find((entity, &id))
                .select(change_heads::seq)
                .get_result(conn)
                .optional()?;
            if seq.is_some_and(|s| s > last_pulled_at) && !already_there(conn, entity, &id, rec)? {
                // Keep the device's competing values before refusing.
                match entity {
                    "answer" => {
                        if let Some((iid, item)) = id.split_once('/') {
                            if let Ok((row, _)) = inspections::visible(conn, scope, iid) {
                                let current = istore::answers_of(&istore::answer_rows(conn, iid)?);
                                let server = json!(current.get(item).cloned().unwrap_or_default());
                                keep_conflict(
                                    conn,
                                    actor,
                                    &row,
                                    Kept {
                                        entity: "answer",
                                        entity_id: &id,
                                        field: item,
                                        server: &server,
                                        device: &answer_of(rec),
                                    },
                                    &mid(table, &id, "stale"),
                                )?;
                            }
                        }
                    }
                    "inspection" => {
                        if let Ok((row, _)) = inspections::visible(conn, scope, &id) {
                            for f in inspections::FINDINGS_FIELDS {
                                if let Some(v) = rec.get(f) {
                                    let server = json!(inspections::finding(&row, f));
                                    keep_conflict(
                                        conn,
                                        actor,
                                        &row,
                                        Kept {
                                            entity: "inspection",
                                            entity_id: &id,
                                            field: f,
                                            server: &server,
                                            device: v,
                                        },
                                        &mid(table, &id, f),
                                    )?;
                                }
                            }
                        }
                    }
                    _ => {}
                }
                stale.push(StaleRecord {
                    table: table.clone(),
                    id,
                });
            }
        }
    }
    if !stale.is_empty() {
        return Ok(PushOutcome::Stale(stale));
    }

    // 2. Edits to rows that someone else changed after this device's reconciled state were
    //    made without seeing that change: the device's value will win (WatermelonDB keeps local
    //    edits), so the other one is kept as a conflict for the lead.
    let base: i64 = devices::table
        .find(&device)
        .select(devices::wm_base)
        .first::<Option<i64>>(conn)
        .optional()?
        .flatten()
        .unwrap_or(last_pulled_at);
    for (table, t) in changes {
        let entity = match table.as_str() {
            "answers" => "answer",
            "inspections" => "inspection",
            _ => continue,
        };
        for rec in &t.updated {
            let Some(id) = text(rec, "id") else { continue };
            let changed = text(rec, "_changed").unwrap_or_default();
            let seq: Option<i64> = change_heads::table
                .find((entity, &id))
                .select(change_heads::seq)
                .get_result(conn)
                .optional()?;
            if seq.is_none_or(|s| s <= base) {
                continue;
            }
            if entity == "answer" {
                let Some((iid, item)) = id.split_once('/') else {
                    continue;
                };
                if !changed.split(',').any(|c| c == "value" || c == "na") {
                    continue;
                }
                let Ok((row, _)) = inspections::visible(conn, scope, iid) else {
                    continue;
                };
                let Some(server) = istore::answer_rows(conn, iid)?
                    .into_iter()
                    .find(|r| r.item_id == item)
                else {
                    continue;
                };
                if server.updated_device.as_deref() == Some(device.as_str()) {
                    continue;
                }
                let server_val = json!(crate::templates::model::Answer {
                    value: server
                        .value
                        .as_deref()
                        .and_then(|v| serde_json::from_str::<Value>(v).ok())
                        .unwrap_or_default(),
                    na: server.na
                });
                keep_conflict(
                    conn,
                    actor,
                    &row,
                    Kept {
                        entity: "answer",
                        entity_id: &id,
                        field: item,
                        server: &server_val,
                        device: &answer_of(rec),
                    },
                    &mid(table, &id, "concurrent"),
                )?;
            } else {
                let Ok((row, _)) = inspections::visible(conn, scope, &id) else {
                    continue;
                };
                let meta = inspections::field_meta(&row);
                for f in inspections::FINDINGS_FIELDS {
                    let by_me =
                        meta.get(f).and_then(|m| m["dev"].as_str()) == Some(device.as_str());
                    let changed_since = meta.get(f).and_then(|m| m["v"].as_i64()).is_some();
                    if changed.split(',').any(|c| c == f) && changed_since && !by_me {
                        let server = json!(inspections::finding(&row, f));
                        keep_conflict(
                            conn,
                            actor,
                            &row,
                            Kept {
                                entity: "inspection",
                                entity_id: &id,
                                field: f,
                                server: &server,
                                device: rec.get(f).unwrap_or(&Value::Null),
                            },
                            &mid(table, &id, f),
                        )?;
                    }
                }
            }
        }
    }

    // 3. Translate into the engine's mutations (created records first, as pulled order does).
    let now = Hlc::server(hlc::now_ms()).to_string();
    let mut muts = Vec::new();
    let order = [
        "inspections",
        "answers",
        "recommendations",
        "comments",
        "evidence",
    ];
    for table in order {
        let Some(t) = changes.get(table) else {
            continue;
        };
        for (rec, created) in t
            .created
            .iter()
            .map(|r| (r, true))
            .chain(t.updated.iter().map(|r| (r, false)))
        {
            let Some(id) = text(rec, "id") else { continue };
            let version = rec.get("version").and_then(Value::as_i64).unwrap_or(0);
            let m = match table {
                "inspections" => {
                    let mut out = Vec::new();
                    if created {
                        out.push(Mutation::InspectionCreate {
                            id: id.clone(),
                            round_id: text(rec, "round_id").unwrap_or_default(),
                            unit_id: text(rec, "unit_id").unwrap_or_default(),
                        });
                    }
                    let server = istore::find(conn, &id)?;
                    let mut fields = BTreeMap::new();
                    for f in inspections::FINDINGS_FIELDS {
                        let local = text(rec, f);
                        let theirs = server.as_ref().and_then(|s| inspections::finding(s, f));
                        if rec.contains_key(f) && local != theirs {
                            fields.insert(
                                f.to_owned(),
                                FieldEdit {
                                    value: local,
                                    hlc: now.clone(),
                                    base_value: None,
                                },
                            );
                        }
                    }
                    if !fields.is_empty() {
                        out.push(Mutation::InspectionUpdate {
                            id: id.clone(),
                            base_version: version.max(server.as_ref().map_or(0, |s| s.version)),
                            fields,
                        });
                    }
                    if text(rec, "status").as_deref() == Some("submitted")
                        && server
                            .as_ref()
                            .is_some_and(|s| s.status == "draft" || s.status == "returned")
                    {
                        out.push(Mutation::InspectionTransition {
                            id: id.clone(),
                            action: Action::Submit,
                            reason: None,
                        });
                    }
                    out
                }
                "answers" => {
                    let a = answer_of(rec);
                    vec![Mutation::AnswerSet {
                        inspection_id: text(rec, "inspection_id").unwrap_or_default(),
                        item_id: text(rec, "item_id").unwrap_or_default(),
                        value: a["value"].clone(),
                        na: a["na"].as_bool().unwrap_or(false),
                        base_version: Some(version),
                        base_value: None,
                        hlc: now.clone(),
                    }]
                }
                "recommendations" if created => vec![Mutation::RecommendationCreate {
                    id: id.clone(),
                    inspection_id: text(rec, "inspection_id").unwrap_or_default(),
                    content: text(rec, "content").unwrap_or_default(),
                    responsible_unit_id: text(rec, "responsible_unit_id"),
                    responsible: text(rec, "responsible"),
                    due_on: text(rec, "due_on")
                        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    follow_up: text(rec, "follow_up"),
                }],
                "comments" if created => vec![Mutation::CommentCreate {
                    id: id.clone(),
                    inspection_id: text(rec, "inspection_id").unwrap_or_default(),
                    item_id: text(rec, "item_id"),
                    body: text(rec, "body").unwrap_or_default(),
                }],
                "evidence" if created => vec![Mutation::EvidenceCreate {
                    id: id.clone(),
                    inspection_id: text(rec, "inspection_id").unwrap_or_default(),
                    item_id: text(rec, "item_id").unwrap_or_default(),
                    caption: text(rec, "caption"),
                    taken_at: claimed_time(rec.get("claimed_taken_at")),
                    latitude: rec.get("claimed_latitude").and_then(Value::as_f64),
                    longitude: rec.get("claimed_longitude").and_then(Value::as_f64),
                }],
                _ => Vec::new(),
            };
            for (i, mutation) in m.into_iter().enumerate() {
                muts.push(Envelope {
                    mutation_id: mid(table, &id, &i.to_string()),
                    mutation,
                });
            }
        }
        // A photo removed on the device (while its inspection may still change).
        if table == "evidence" {
            for id in &t.deleted {
                let inspection_id = crate::media::store::find(conn, id)?
                    .map(|e| e.inspection_id)
                    .unwrap_or_default();
                muts.push(Envelope {
                    mutation_id: mid(table, id, "deleted"),
                    mutation: Mutation::EvidenceDelete {
                        id: id.clone(),
                        inspection_id,
                    },
                });
            }
        }
        // A deleted answer is a cleared one; other deletions are not a device's to make.
        if table == "answers" {
            for id in &t.deleted {
                if let Some((iid, item)) = id.split_once('/') {
                    muts.push(Envelope {
                        mutation_id: mid(table, id, "deleted"),
                        mutation: Mutation::AnswerSet {
                            inspection_id: iid.to_owned(),
                            item_id: item.to_owned(),
                            value: Value::Null,
                            na: false,
                            base_version: None,
                            base_value: None,
                            hlc: now.clone(),
                        },
                    });
                }
            }
        }
    }
    push::push(conn, actor, scope, &muts)?;
    diesel::update(devices::table.find(&device))
        .set(devices::wm_base.eq(last_pulled_at))
        .execute(conn)?;
    Ok(PushOutcome::Done)
}
