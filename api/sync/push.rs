//! Push: a batch of device mutations, in one transaction, in order, each answered as if it
//! had been applied alone, so one refused mutation does not undo the others. Answers are
//! decided in memory and written together (`inspections::batch`); any other mutation runs in a
//! savepoint of its own. Every mutation is answered `applied`, `merged`, `conflict` or
//! `rejected`, and the answer is stored under its `mutation_id`: a retried mutation changes
//! nothing twice and gets the same answer.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::conflicts::{self, NewConflict};
use super::hlc::{self, Hlc};
use super::merge::{merge_field, FieldMerge};
use crate::audit::Actor;
use crate::db::schema::sync_mutations;
use crate::db::{self, DbConn, DbError};
use crate::domain::DomainError;
use crate::inspections::batch::AnswerBatch;
use crate::inspections::service::{self as inspections, RecommendationInput};
use crate::inspections::store as istore;
use crate::inspections::workflow::Action;
use crate::scope::Scope;
use crate::templates::answers::check_value;
use crate::templates::model::Answer;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct FieldEdit {
    /// The new text (`null` clears the field).
    pub value: Option<String>,
    /// The device's HLC time of this edit.
    pub hlc: String,
    /// The value the device started from, kept in a conflict record if one arises.
    #[serde(default)]
    pub base_value: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(tag = "type")]
pub enum Mutation {
    #[serde(rename = "inspection.create")]
    InspectionCreate {
        id: String,
        round_id: String,
        unit_id: String,
    },
    #[serde(rename = "answer.set")]
    AnswerSet {
        inspection_id: String,
        item_id: String,
        #[serde(default)]
        #[schema(value_type = Object)]
        value: Value,
        #[serde(default)]
        na: bool,
        /// The answer's `version` the device last saw (absent or 0 if it saw none).
        base_version: Option<i64>,
        #[serde(default)]
        #[schema(value_type = Option<Object>)]
        base_value: Option<Value>,
        hlc: String,
    },
    #[serde(rename = "inspection.update")]
    InspectionUpdate {
        id: String,
        /// The inspection's `version` the device last saw.
        base_version: i64,
        /// `strengths`, `shortcomings`, `causes`.
        fields: BTreeMap<String, FieldEdit>,
    },
    #[serde(rename = "inspection.transition")]
    InspectionTransition {
        id: String,
        action: Action,
        reason: Option<String>,
    },
    #[serde(rename = "recommendation.create")]
    RecommendationCreate {
        id: String,
        inspection_id: String,
        content: String,
        responsible_unit_id: Option<String>,
        responsible: Option<String>,
        due_on: Option<NaiveDate>,
        follow_up: Option<String>,
    },
    #[serde(rename = "comment.create")]
    CommentCreate {
        id: String,
        inspection_id: String,
        item_id: Option<String>,
        body: String,
    },
    /// A photo's record, made on the device when it was taken; its bytes go separately
    /// (`PUT /evidence/{id}/content` or tus).
    #[serde(rename = "evidence.create")]
    EvidenceCreate {
        id: String,
        inspection_id: String,
        item_id: String,
        caption: Option<String>,
        taken_at: Option<chrono::DateTime<chrono::Utc>>,
        latitude: Option<f64>,
        longitude: Option<f64>,
    },
    #[serde(rename = "evidence.delete")]
    EvidenceDelete { id: String, inspection_id: String },
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct Envelope {
    /// Made by the device (a UUID), unique per mutation, kept across retries.
    pub mutation_id: String,
    #[serde(flatten)]
    pub mutation: Mutation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Taken as sent.
    Applied,
    /// Taken; the row had changed elsewhere, in other fields.
    Merged,
    /// The same field changed elsewhere too: the later HLC won, the other value is kept in a
    /// conflict record for the lead (see `conflict_ids` and `current`).
    Conflict,
    /// Refused (see `reason`); the device's data is kept in a conflict record when it belongs
    /// to an inspection the device may see.
    Rejected,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MutationResult {
    pub mutation_id: String,
    pub status: Status,
    /// For `rejected`: a problem code (`inspection_read_only`, `validation_failed`, `not_found` …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For `rejected` with `validation_failed`: the faults.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<Value>,
    pub entity: String,
    pub id: String,
    /// `true` when the device's value is the current one (for `conflict`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_won: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflict_ids: Vec<String>,
    /// The row's state on the server after this mutation.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub current: Option<Value>,
}

impl MutationResult {
    fn new(mutation_id: &str, status: Status, entity: &str, id: &str) -> Self {
        MutationResult {
            mutation_id: mutation_id.to_owned(),
            status,
            reason: None,
            errors: Vec::new(),
            entity: entity.to_owned(),
            id: id.to_owned(),
            device_won: None,
            conflict_ids: Vec::new(),
            current: None,
        }
    }
}

fn target(m: &Mutation) -> (&'static str, String, Option<&str>) {
    match m {
        Mutation::InspectionCreate { id, .. } => ("inspection", id.clone(), None),
        Mutation::AnswerSet {
            inspection_id,
            item_id,
            ..
        } => (
            "answer",
            inspections::answer_id(inspection_id, item_id),
            Some(inspection_id),
        ),
        Mutation::InspectionUpdate { id, .. } | Mutation::InspectionTransition { id, .. } => {
            ("inspection", id.clone(), Some(id))
        }
        Mutation::RecommendationCreate {
            id, inspection_id, ..
        } => ("recommendation", id.clone(), Some(inspection_id)),
        Mutation::CommentCreate {
            id, inspection_id, ..
        } => ("comment", id.clone(), Some(inspection_id)),
        Mutation::EvidenceCreate {
            id, inspection_id, ..
        }
        | Mutation::EvidenceDelete { id, inspection_id } => {
            ("evidence", id.clone(), Some(inspection_id))
        }
    }
}

fn device_hlc(raw: &str) -> Result<Hlc, DomainError> {
    Hlc::parse(raw)
        .map(|h| h.clamped(hlc::now_ms()))
        .ok_or_else(|| {
            DomainError::invalid(
                "/hlc",
                "invalid_hlc",
                "An HLC is \"<unix ms>:<counter>:<node>\".",
                "HLC có dạng \"<unix ms>:<bộ đếm>:<nút>\".",
            )
        })
}

/// A push's answers, one per mutation in order, each also as JSON text (made once: it is both
/// stored and sent).
pub struct Pushed {
    pub results: Vec<MutationResult>,
    encoded: Vec<String>,
}

impl Pushed {
    /// The response body, `{"results": […]}`.
    pub fn body(&self) -> String {
        format!("{{\"results\":[{}]}}", self.encoded.join(","))
    }
}

pub fn push(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    batch: &[Envelope],
) -> Result<Pushed, DomainError> {
    let stored = stored_results(conn, batch)?;
    let mut results: Vec<MutationResult> = Vec::with_capacity(batch.len());
    // Mutations first seen in this batch, by id: a repeat within the batch is a retry too.
    let mut fresh: HashMap<&str, usize> = HashMap::with_capacity(batch.len());
    let mut answers = AnswerBatch::new(actor);
    for env in batch {
        if let Some((user, result)) = stored.get(&env.mutation_id) {
            results.push(replay(env, scope, user, result));
            continue;
        }
        if let Some(&i) = fresh.get(env.mutation_id.as_str()) {
            let again = results[i].clone();
            results.push(again);
            continue;
        }
        // Answers are decided in memory and written together; anything else is written at
        // once, in a savepoint of its own, after the answers before it.
        let batched = matches!(env.mutation, Mutation::AnswerSet { .. });
        let outcome = if batched {
            apply(conn, actor, scope, env, &mut answers)
        } else {
            answers.settle(conn)?;
            conn.transaction::<_, DomainError, _>(|c| apply(c, actor, scope, env, &mut answers))
        };
        let result = match outcome {
            Ok(r) => r,
            Err(DomainError::Db(e)) => return Err(DomainError::Db(e)),
            Err(refusal) => {
                answers.flush(conn)?;
                conn.transaction::<_, DomainError, _>(|c| reject(c, actor, scope, env, refusal))?
            }
        };
        fresh.insert(&env.mutation_id, results.len());
        results.push(result);
    }
    answers.settle(conn)?;
    let encoded = results
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| DomainError::Db(DbError::Corrupt(e.to_string())))?;
    store_results(conn, actor, scope, &encoded, &fresh)?;
    Ok(Pushed { results, encoded })
}

/// The stored answers of those mutations that were pushed before: (user, stored JSON).
fn stored_results(
    conn: &mut DbConn,
    batch: &[Envelope],
) -> Result<HashMap<String, (String, String)>, DomainError> {
    let ids: Vec<&str> = batch.iter().map(|e| e.mutation_id.as_str()).collect();
    let mut found = HashMap::new();
    for chunk in ids.chunks(db::ROWS_PER_INSERT) {
        let rows: Vec<(String, String, String)> = sync_mutations::table
            .filter(sync_mutations::mutation_id.eq_any(chunk))
            .select((
                sync_mutations::mutation_id,
                sync_mutations::user_id,
                sync_mutations::result,
            ))
            .load(conn)?;
        found.extend(rows.into_iter().map(|(m, u, r)| (m, (u, r))));
    }
    Ok(found)
}

/// A retried mutation's first answer; a mutation id someone else used is refused.
fn replay(env: &Envelope, scope: &Scope, user: &str, stored: &str) -> MutationResult {
    let same = if user == scope.user_id {
        serde_json::from_str::<Value>(stored)
            .ok()
            .and_then(|v| serde_json::from_value::<MutationResult>(v["result"].clone()).ok())
    } else {
        None
    };
    same.unwrap_or_else(|| {
        let (entity, id, _) = target(&env.mutation);
        let mut r = MutationResult::new(&env.mutation_id, Status::Rejected, entity, &id);
        r.reason = Some("mutation_id_taken".into());
        r
    })
}

/// Keeps each new mutation's answer (`encoded`, by position) under its id, so a retry gets
/// the same answer.
fn store_results(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    encoded: &[String],
    fresh: &HashMap<&str, usize>,
) -> Result<(), DomainError> {
    let now = db::now();
    let mut kept: Vec<(&str, String)> = fresh
        .iter()
        .filter_map(|(mid, &i)| Some((*mid, format!("{{\"result\":{}}}", encoded.get(i)?))))
        .collect();
    // In id order, so the index takes them in one sweep.
    kept.sort_by_key(|(mid, _)| *mid);
    // Owned values: a cached statement's type may not borrow.
    let rows: Vec<_> = kept
        .into_iter()
        .map(|(mid, result)| {
            (
                sync_mutations::mutation_id.eq(mid.to_owned()),
                sync_mutations::user_id.eq(scope.user_id.clone()),
                sync_mutations::device_id.eq(actor.device_id.clone()),
                sync_mutations::result.eq(result),
                sync_mutations::created_at.eq(now),
            )
        })
        .collect();
    crate::per_engine!(conn, c => crate::insert_in_chunks!(c, rows, |v| diesel::insert_into(sync_mutations::table).values(v)))?;
    Ok(())
}

/// A refused mutation: answered `rejected`, and its data kept in a conflict record when it
/// belongs to an inspection the device may see.
fn reject(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    env: &Envelope,
    refusal: DomainError,
) -> Result<MutationResult, DomainError> {
    let (entity, id, inspection_id) = target(&env.mutation);
    let mut r = MutationResult::new(&env.mutation_id, Status::Rejected, entity, &id);
    let (code, errors) = match &refusal {
        DomainError::NotFound => ("not_found".to_owned(), Vec::new()),
        DomainError::Forbidden => ("forbidden".to_owned(), Vec::new()),
        DomainError::Invalid(f) => (
            "validation_failed".to_owned(),
            f.iter()
                .map(|e| json!({"pointer": e.pointer, "code": e.code, "message": e.message.en}))
                .collect(),
        ),
        DomainError::Conflict { code, .. } => ((*code).to_owned(), Vec::new()),
        DomainError::Db(e) => return Err(DomainError::Db(DbError::Corrupt(e.to_string()))),
    };
    r.reason = Some(code.clone());
    r.errors = errors;
    let visible = match inspection_id {
        Some(iid) => inspections::visible(conn, scope, iid)
            .ok()
            .map(|(row, _)| row),
        None => None,
    };
    if let Some(row) = &visible {
        // (field, device value, device HLC) of each value the refused mutation carried.
        let kept: Vec<(String, Value, Option<String>)> = match &env.mutation {
            Mutation::AnswerSet {
                item_id,
                value,
                na,
                hlc,
                ..
            } => vec![(
                item_id.clone(),
                json!(Answer {
                    value: value.clone(),
                    na: *na
                }),
                Some(hlc.clone()),
            )],
            Mutation::InspectionUpdate { fields, .. } => fields
                .iter()
                .map(|(name, e)| (name.clone(), json!(e.value), Some(e.hlc.clone())))
                .collect(),
            // The photo's record is kept so the lead sees what the device tried to attach.
            Mutation::EvidenceCreate { item_id, .. } => {
                vec![(item_id.clone(), json!(env.mutation), None)]
            }
            _ => Vec::new(),
        };
        let kept_entity = match env.mutation {
            Mutation::AnswerSet { .. } => "answer",
            Mutation::EvidenceCreate { .. } => "evidence",
            _ => "inspection",
        };
        for (field, value, hlc) in &kept {
            let c = NewConflict {
                inspection: row,
                entity: kept_entity,
                entity_id: &id,
                field,
                kind: "rejected",
                reason: Some(&code),
                base_value: None,
                server_value: None,
                device_value: Some(value),
                server_author: None,
                server_device: None,
                server_hlc: None,
                device_hlc: hlc.as_deref(),
                winner: "server",
                mutation_id: &env.mutation_id,
            };
            r.conflict_ids.push(conflicts::create(conn, actor, &c)?);
        }
    }
    if visible.is_some() || inspection_id.is_none() {
        r.current = super::pull::load(conn, entity, &id).ok().flatten();
    }
    Ok(r)
}

fn apply(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    env: &Envelope,
    answers: &mut AnswerBatch,
) -> Result<MutationResult, DomainError> {
    let mid = &env.mutation_id;
    match &env.mutation {
        Mutation::InspectionCreate {
            id,
            round_id,
            unit_id,
        } => {
            let id = crate::domain::client_id("/id", Some(id))?;
            let (round_id, unit_id) = (
                crate::domain::parse_id(round_id)?,
                crate::domain::parse_id(unit_id)?,
            );
            inspections::create(conn, actor, scope, &id, &round_id, &unit_id)?;
            let mut r = MutationResult::new(mid, Status::Applied, "inspection", &id);
            r.current = super::pull::load(conn, "inspection", &id)?;
            Ok(r)
        }
        Mutation::AnswerSet {
            inspection_id,
            item_id,
            value,
            na,
            base_version,
            base_value,
            hlc,
        } => {
            let stamp = device_hlc(hlc)?;
            let open = answers.open(conn, scope, inspection_id)?;
            let device = Answer {
                value: value.clone(),
                na: *na,
            };
            // (server value, device value) as JSON, made only when there is something to
            // compare: most pushed answers are to items with no answer yet.
            let mut compared = None;
            let decision = match open.answer(item_id) {
                None if !device.is_answered() && !device.na => FieldMerge::Same,
                None => FieldMerge::Take,
                Some(e) => {
                    let server_json = open
                        .answer_value(item_id)
                        .map_or(json!(Answer::default()), |a| json!(a));
                    let device_json = json!(device);
                    let d = merge_field(
                        base_version.unwrap_or(0),
                        e.version,
                        &server_json,
                        &device_json,
                        e.hlc.as_deref().and_then(Hlc::parse).as_ref(),
                        &stamp,
                    );
                    compared = Some((server_json, device_json));
                    d
                }
            };
            let aid = inspections::answer_id(inspection_id, item_id);
            let mut r = MutationResult::new(mid, Status::Applied, "answer", &aid);
            match decision {
                FieldMerge::Same => {}
                FieldMerge::Take => {
                    answers.write(scope, inspection_id, item_id, &device, &stamp)?
                }
                FieldMerge::DeviceWins | FieldMerge::ServerWins => {
                    let device_won = decision == FieldMerge::DeviceWins;
                    let row = open.row.clone();
                    let existing = open.answer(item_id).cloned();
                    let (server_json, device_json) = compared.unwrap_or_default();
                    if device_won {
                        answers.write(scope, inspection_id, item_id, &device, &stamp)?;
                    } else {
                        // The device's value is kept, not applied; still, it must be one the
                        // form allows.
                        check_value(open.template(), item_id, &device)
                            .map_err(|f| DomainError::Invalid(vec![f]))?;
                    }
                    // The conflict's own change-log and audit entries come after the answers'.
                    answers.flush(conn)?;
                    let e = existing.as_ref();
                    let stamp_s = stamp.to_string();
                    let c = NewConflict {
                        inspection: &row,
                        entity: "answer",
                        entity_id: &aid,
                        field: item_id,
                        kind: "concurrent",
                        reason: None,
                        base_value: base_value.as_ref(),
                        server_value: Some(&server_json),
                        device_value: Some(&device_json),
                        server_author: e.map(|e| e.updated_by.as_str()),
                        server_device: e.and_then(|e| e.updated_device.as_deref()),
                        server_hlc: e.and_then(|e| e.hlc.as_deref()),
                        device_hlc: Some(&stamp_s),
                        winner: if device_won { "device" } else { "server" },
                        mutation_id: mid,
                    };
                    r.conflict_ids.push(conflicts::create(conn, actor, &c)?);
                    r.status = Status::Conflict;
                    r.device_won = Some(device_won);
                }
            }
            r.current = answers
                .open(conn, scope, inspection_id)?
                .answer(item_id)
                .map(super::pull::answer_view);
            Ok(r)
        }
        Mutation::InspectionUpdate {
            id,
            base_version,
            fields,
        } => {
            let (row, _) = inspections::visible_for_write(conn, scope, id)?;
            let meta = inspections::field_meta(&row);
            let mut r = MutationResult::new(mid, Status::Applied, "inspection", &row.id);
            let mut conflicted = false;
            for (name, edit) in fields {
                if !inspections::FINDINGS_FIELDS.contains(&name.as_str()) {
                    return Err(DomainError::invalid(
                        &format!("/fields/{name}"),
                        "unknown_field",
                        "Not a findings field.",
                        "Không phải trường kết quả kiểm tra.",
                    ));
                }
                let stamp = device_hlc(&edit.hlc)?;
                let current = istore::find(conn, &row.id)?.ok_or(DomainError::NotFound)?;
                let server_val = json!(inspections::finding(&current, name));
                let device_val = json!(edit.value);
                let field_v = meta.get(name).and_then(|m| m["v"].as_i64()).unwrap_or(0);
                let server_hlc = meta
                    .get(name)
                    .and_then(|m| m["hlc"].as_str())
                    .and_then(Hlc::parse);
                let decision = merge_field(
                    *base_version,
                    field_v,
                    &server_val,
                    &device_val,
                    server_hlc.as_ref(),
                    &stamp,
                );
                if matches!(decision, FieldMerge::Take | FieldMerge::DeviceWins) {
                    inspections::set_findings_field(
                        conn,
                        actor,
                        scope,
                        &row.id,
                        name,
                        edit.value.clone(),
                        &stamp,
                    )?;
                }
                if matches!(decision, FieldMerge::DeviceWins | FieldMerge::ServerWins) {
                    let stamp_s = stamp.to_string();
                    let base = edit.base_value.as_ref().map(|b| json!(b));
                    let server_hlc_s = server_hlc.map(|h| h.to_string());
                    let c = NewConflict {
                        inspection: &row,
                        entity: "inspection",
                        entity_id: &row.id,
                        field: name,
                        kind: "concurrent",
                        reason: None,
                        base_value: base.as_ref(),
                        server_value: Some(&server_val),
                        device_value: Some(&device_val),
                        server_author: None,
                        server_device: None,
                        server_hlc: server_hlc_s.as_deref(),
                        device_hlc: Some(&stamp_s),
                        winner: if decision == FieldMerge::DeviceWins {
                            "device"
                        } else {
                            "server"
                        },
                        mutation_id: mid,
                    };
                    r.conflict_ids.push(conflicts::create(conn, actor, &c)?);
                    conflicted = true;
                }
            }
            r.status = if conflicted {
                Status::Conflict
            } else if row.version > *base_version {
                Status::Merged
            } else {
                Status::Applied
            };
            r.current = super::pull::load(conn, "inspection", &row.id)?;
            Ok(r)
        }
        Mutation::InspectionTransition { id, action, reason } => {
            let row = inspections::act(conn, actor, scope, id, *action, reason.as_deref())?;
            let mut r = MutationResult::new(mid, Status::Applied, "inspection", &row.id);
            r.current = super::pull::load(conn, "inspection", &row.id)?;
            Ok(r)
        }
        Mutation::RecommendationCreate {
            id,
            inspection_id,
            content,
            responsible_unit_id,
            responsible,
            due_on,
            follow_up,
        } => {
            let id = crate::domain::client_id("/id", Some(id))?;
            let input = RecommendationInput {
                content: Some(content.clone()),
                responsible_unit_id: responsible_unit_id.clone(),
                responsible: responsible.clone(),
                due_on: *due_on,
                follow_up: follow_up.clone(),
            };
            inspections::add_recommendation(conn, actor, scope, inspection_id, &id, &input)?;
            let mut r = MutationResult::new(mid, Status::Applied, "recommendation", &id);
            r.current = super::pull::load(conn, "recommendation", &id)?;
            Ok(r)
        }
        Mutation::CommentCreate {
            id,
            inspection_id,
            item_id,
            body,
        } => {
            let id = crate::domain::client_id("/id", Some(id))?;
            inspections::add_comment(
                conn,
                actor,
                scope,
                inspection_id,
                &id,
                item_id.as_deref(),
                body,
            )?;
            let mut r = MutationResult::new(mid, Status::Applied, "comment", &id);
            r.current = super::pull::load(conn, "comment", &id)?;
            Ok(r)
        }
        Mutation::EvidenceCreate {
            id,
            inspection_id,
            item_id,
            caption,
            taken_at,
            latitude,
            longitude,
        } => {
            let n = crate::media::service::NewEvidence {
                id: crate::domain::client_id("/id", Some(id))?,
                inspection_id: inspection_id.clone(),
                item_id: item_id.clone(),
                caption: caption.clone(),
                taken_at: *taken_at,
                latitude: *latitude,
                longitude: *longitude,
            };
            crate::media::service::create(conn, actor, scope, &n)?;
            let mut r = MutationResult::new(mid, Status::Applied, "evidence", &n.id);
            r.current = super::pull::load(conn, "evidence", &n.id)?;
            Ok(r)
        }
        Mutation::EvidenceDelete { id, .. } => {
            crate::media::service::delete(conn, actor, scope, id)?;
            Ok(MutationResult::new(mid, Status::Applied, "evidence", id))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_the_results_as_json() {
        let mut conflict = MutationResult::new("m2", Status::Conflict, "answer", "i/b");
        conflict.device_won = Some(false);
        conflict.conflict_ids = vec!["c1".into()];
        conflict.current = Some(json!({"value": "Một phần"}));
        let results = vec![
            MutationResult::new("m1", Status::Applied, "answer", "i/a"),
            conflict,
        ];
        let encoded = results
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect();
        let pushed = Pushed { results, encoded };
        let body: Value = serde_json::from_str(&pushed.body()).unwrap();
        assert_eq!(body, json!({"results": pushed.results}));
        let empty = Pushed {
            results: vec![],
            encoded: vec![],
        };
        assert_eq!(empty.body(), r#"{"results":[]}"#);
    }
}
