//! The checklist template format (`schemas/checklist-template.schema.json`) as Rust types,
//! and the answers an inspection holds. Plain data; the rules live beside it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub code: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring: Option<Scoring>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scoring {
    pub max_score: f64,
    pub bands: Vec<Band>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical_cap: Option<String>,
    /// Who set this scheme. The plan sets no points, weights, bands or điểm liệt, so every
    /// output that shows a score must say whose scheme it is (see [`Scoring::scheme_note`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Said of a scoring scheme whose template gives no `scoring.note`.
pub const DEFAULT_SCHEME_NOTE: &str = "Thang điểm, trọng số và xếp loại do Ban Chỉ đạo quy định \
     cho phiên bản phiếu này; Kế hoạch không quy định thang điểm.";

impl Scoring {
    /// The template's own label for its scheme, or the default one.
    pub fn scheme_note(&self) -> &str {
        self.note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(DEFAULT_SCHEME_NOTE)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub code: String,
    pub label: String,
    pub min: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    pub items: Vec<Item>,
}

impl Section {
    pub fn weight(&self) -> f64 {
        self.weight.unwrap_or(1.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemType {
    YesNo,
    SingleChoice,
    MultiChoice,
    Text,
    Number,
    Date,
    Rating,
    Photo,
}

impl ItemType {
    pub fn is_scorable(self) -> bool {
        matches!(
            self,
            ItemType::YesNo | ItemType::SingleChoice | ItemType::MultiChoice | ItemType::Rating
        )
    }

    /// Types whose answers are discrete values a condition or evidence rule can name.
    pub fn has_discrete_values(self) -> bool {
        matches!(
            self,
            ItemType::YesNo | ItemType::SingleChoice | ItemType::MultiChoice
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    pub min: i64,
    pub max: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YesNoPoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub item: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    #[serde(rename = "in", default, skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<String>>,
}

impl Condition {
    pub fn values(&self) -> Vec<&str> {
        self.equals
            .iter()
            .chain(self.any_of.iter().flatten())
            .map(String::as_str)
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_photos: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_when: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ItemType,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_na: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<ChoiceOption>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_points: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<YesNoPoints>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_if: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
}

impl Item {
    pub fn options(&self) -> &[ChoiceOption] {
        self.options.as_deref().unwrap_or(&[])
    }

    /// The values an answer to this item can take, for types with discrete values.
    pub fn discrete_values(&self) -> Vec<&str> {
        match self.kind {
            ItemType::YesNo => vec!["yes", "no"],
            ItemType::SingleChoice | ItemType::MultiChoice => {
                self.options().iter().map(|o| o.value.as_str()).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// One answer: a value, or "not applicable". A JSON `null` value with `na: false` means
/// "not answered" (a cleared answer).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Answer {
    #[serde(default)]
    pub value: Value,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub na: bool,
}

impl Answer {
    pub fn value(v: Value) -> Self {
        Answer {
            value: v,
            na: false,
        }
    }

    pub fn na() -> Self {
        Answer {
            value: Value::Null,
            na: true,
        }
    }

    pub fn is_answered(&self) -> bool {
        !self.na && !self.value.is_null()
    }

    /// The discrete values this answer names (one for yes/no and single choice, several
    /// for multi choice).
    pub fn chosen(&self) -> Vec<&str> {
        match &self.value {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

/// Answers by item id.
pub type Answers = BTreeMap<String, Answer>;

impl Template {
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().find(|i| i.id == id)
    }
}
