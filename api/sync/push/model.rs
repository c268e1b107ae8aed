//! The push's vocabulary: the mutations a device sends and the answer each gets.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::inspections::service as inspections;
use crate::inspections::workflow::Action;

/// A field's value as its text: a string as is, `null` as none, anything else (the people
/// arrays) as its JSON text, which the service then checks.
fn text_or_json<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::String(s) => Some(crate::domain::nfc(&s)),
        other => Some(other.to_string()),
    })
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct FieldEdit {
    /// The new value (`null` clears the field): a text; for `held_at` an RFC 3339 time; for
    /// `members`/`attendees` the array of `{name, title}` (or its JSON text).
    #[serde(default, deserialize_with = "text_or_json")]
    #[schema(value_type = Option<Object>)]
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
        #[serde(default, deserialize_with = "crate::domain::deserialize_nfc_json")]
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
        /// `strengths`, `shortcomings`, `causes`, `place`, `held_at`, `members`, `attendees`.
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
    /// A recommendation's own fields changed while its inspection is being filled (absent
    /// fields stay as they are), from the `version` the device last saw: a recommendation
    /// changed meanwhile is refused (`version_mismatch`) and the device's values are kept for
    /// the lead.
    #[serde(rename = "recommendation.update")]
    RecommendationUpdate {
        id: String,
        inspection_id: String,
        base_version: i64,
        content: Option<String>,
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
#[schema(as = MutationStatus)]
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
    /// What the device should tell its user although the mutation applied: `round_ended`
    /// for an inspection started after its round's end date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<crate::inspections::late::Warning>,
}

impl MutationResult {
    pub fn new(mutation_id: &str, status: Status, entity: &str, id: &str) -> Self {
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
            warnings: Vec::new(),
        }
    }
}

/// (entity, id, inspection) a mutation is about.
pub fn target(m: &Mutation) -> (&'static str, String, Option<&str>) {
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
        }
        | Mutation::RecommendationUpdate {
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
