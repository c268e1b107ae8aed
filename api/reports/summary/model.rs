//! What the summary says: the JSON of `GET /rounds/{id}/summary`, which every export renders.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoundRef {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Counts {
    /// Units assigned to the teams in view.
    pub assigned: usize,
    /// Approved inspections: the only ones the official figures count.
    pub approved: usize,
    /// Assigned units whose inspection is not approved yet (not started included).
    pub pending: usize,
    pub not_started: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitResult {
    pub unit_id: String,
    pub code: String,
    pub name: String,
    /// `department`, `commune`, `ward` or `other`.
    pub kind: String,
    pub team_id: String,
    pub team_name: String,
    /// `not_started`, or the inspection's status.
    pub status: String,
    /// True when approved: only then are score and rating official and counted.
    pub counted: bool,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub band_label: Option<String>,
    /// When the inspection was last submitted, if it was.
    #[serde(serialize_with = "crate::time::utc_opt")]
    pub submitted_at: Option<NaiveDateTime>,
    /// The deadline that counts for this unit: its assignment's own, else the round's.
    pub due_on: NaiveDate,
    /// Submitted after `due_on` (after the end of that day, local time).
    pub submitted_late: bool,
    #[serde(serialize_with = "crate::time::utc_opt")]
    pub approved_at: Option<NaiveDateTime>,
    /// Approved after `due_on` (after the end of that day, local time).
    pub approved_late: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BandCount {
    pub code: String,
    pub label: String,
    pub count: usize,
    /// `count / approved`, 0 when nothing is approved.
    pub share: f64,
}

/// How often a section or an item fell short among approved units.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WeakPoint {
    pub id: String,
    /// The section, for an item.
    pub section_id: Option<String>,
    pub label: String,
    /// Approved units where it counted (visible, applicable, worth points).
    pub counted: usize,
    /// Of those, units that earned less than its maximum.
    pub fell_short: usize,
    /// `fell_short / counted`, 0 when nothing counted.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RecommendationLine {
    pub id: String,
    /// `inspection` (as the inspectors recorded it) or `lead` (the lead's report row).
    pub source: String,
    /// The inspected unit it concerns; absent for a lead's row spanning several units.
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub team_id: String,
    pub team_name: String,
    pub content: String,
    pub responsible_unit_id: Option<String>,
    /// Who carries it out: the words written (`responsible`) when there are any, else the
    /// responsible unit's name.
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// `open`, `in_progress` or `done`; for a lead's row, the least advanced of those it
    /// replaces.
    pub follow_up: String,
    pub grouping: Option<String>,
    /// The inspectors' recommendations a lead's row stands for.
    pub replaces: Vec<String>,
    /// The lead's row version, for editing it.
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingsLine {
    pub unit_id: String,
    pub unit_name: String,
    pub team_name: String,
    /// Ưu điểm.
    pub strengths: Option<String>,
    /// Hạn chế.
    pub shortcomings: Option<String>,
    /// Nguyên nhân.
    pub causes: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConclusionLine {
    pub id: String,
    pub team_id: String,
    pub team_name: String,
    /// Kết luận of the team's lead.
    pub body: String,
    pub version: i64,
    #[serde(serialize_with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    pub round: RoundRef,
    pub counts: Counts,
    /// Mean score of approved inspections.
    pub mean_score: Option<f64>,
    pub units: Vec<UnitResult>,
    pub distribution: Vec<BandCount>,
    pub sections: Vec<WeakPoint>,
    pub items: Vec<WeakPoint>,
    /// The items most often fallen short of, weakest first (at most 10).
    pub weakest: Vec<WeakPoint>,
    pub recommendations: Vec<RecommendationLine>,
    pub findings: Vec<FindingsLine>,
    pub conclusions: Vec<ConclusionLine>,
    /// Whose scoring scheme the points and bands are: the template's `scoring.note`, or the
    /// default saying the committee set them (the plan sets none).
    pub scheme_note: String,
}
