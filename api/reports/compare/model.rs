//! What a comparison is made of (plain inputs the store reads) and what it says (the JSON of
//! `GET /rounds/{id}/comparison`, which the XLSX and the web page render).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// A scored section of the round's checklist: a column of the table.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Column {
    pub id: String,
    pub title: String,
}

/// One section of one approved inspection, as `templates::scoring` scored it.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionIn {
    pub id: String,
    pub title: String,
    pub points: f64,
    pub max_points: f64,
    /// `points / max_points`; absent when nothing in the section counted.
    pub ratio: Option<f64>,
}

/// An approved inspection's figures: its stored score and band, and its sections.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredIn {
    pub total: Option<f64>,
    pub band: Option<String>,
    pub band_label: Option<String>,
    pub sections: Vec<SectionIn>,
}

/// A unit of the round, in the report's order, with its approved result if it has one.
#[derive(Debug, Clone)]
pub struct UnitIn {
    pub unit_id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub team_name: String,
    /// `not_started`, or the inspection's status.
    pub status: String,
    /// Present only when the inspection is approved.
    pub result: Option<ScoredIn>,
}

/// An approved inspection of a unit in an earlier round the caller may read.
#[derive(Debug, Clone)]
pub struct EarlierIn {
    pub unit_id: String,
    pub round_id: String,
    pub round_name: String,
    pub starts_on: NaiveDate,
    pub result: ScoredIn,
}

pub struct Inputs<'a> {
    pub round_id: &'a str,
    pub round_name: &'a str,
    /// The checklist's `max_score`, the scale of totals (0 without scoring).
    pub max_score: f64,
    pub columns: &'a [Column],
    pub units: &'a [UnitIn],
    /// Every candidate for a unit's previous result, in any order.
    pub earlier: &'a [EarlierIn],
}

/// One cell of a unit's row.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SectionCell {
    pub section_id: String,
    /// Share of the section's points earned, 0–100, rounded to 2 decimals; absent when the
    /// unit has no approved inspection or nothing in the section counted.
    pub percent: Option<f64>,
    pub points: Option<f64>,
    pub max_points: Option<f64>,
    /// `percent` minus the previous round's, when both exist.
    pub delta: Option<f64>,
}

/// The unit's previous result: the latest earlier round it was approved in.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Previous {
    pub round_id: String,
    pub round_name: String,
    pub starts_on: NaiveDate,
    pub total: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnitRow {
    pub unit_id: String,
    pub code: String,
    pub name: String,
    /// `department`, `commune`, `ward` or `other`.
    pub kind: String,
    pub team_name: String,
    /// `not_started`, or the inspection's status.
    pub status: String,
    /// True when approved: only then are the figures official and counted.
    pub counted: bool,
    /// One per column, in the columns' order.
    pub sections: Vec<SectionCell>,
    /// The inspection's score, on the checklist's `max_score` scale.
    pub total: Option<f64>,
    pub band: Option<String>,
    pub band_label: Option<String>,
    /// `total` minus the previous round's total, when both exist.
    pub total_delta: Option<f64>,
    pub previous: Option<Previous>,
}

/// Means over approved units: per column, and of the totals.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Means {
    /// Approved units the means are over.
    pub counted: usize,
    /// Units in the group, approved or not.
    pub units: usize,
    /// Mean `percent` per column (over the units where the section counted).
    pub sections: Vec<Option<f64>>,
    pub total: Option<f64>,
    /// Mean `total_delta` over the units that have one.
    pub total_delta: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct KindGroup {
    /// `department`, `commune`, `ward` or `other`.
    pub kind: String,
    /// The kind in Vietnamese.
    pub label: String,
    #[serde(flatten)]
    pub means: Means,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Comparison {
    pub round_id: String,
    pub round_name: String,
    /// The scale of totals: the checklist's `max_score` (0 when it has no scoring).
    pub max_score: f64,
    /// The checklist's scored sections, in its order; each row's `sections` follow them.
    pub columns: Vec<Column>,
    /// In the report's order: by team, departments before communes and wards, then by name.
    pub units: Vec<UnitRow>,
    /// One per unit kind present: departments, communes, wards, others.
    pub kinds: Vec<KindGroup>,
    pub overall: Means,
}
