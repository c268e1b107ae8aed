//! What the summary is compiled from: plain rows the store reads, nothing more.

use chrono::{NaiveDate, NaiveDateTime};

use crate::templates::model::Template;
use crate::templates::scoring::ItemScore;

#[derive(Debug, Clone)]
pub struct RoundInput {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct UnitInput {
    pub unit_id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub team_id: String,
    pub team_name: String,
    /// The assignment's own deadline; `None`: the round's.
    pub due_on: Option<NaiveDate>,
    pub inspection: Option<InspectionInput>,
}

#[derive(Debug, Clone)]
pub struct InspectionInput {
    pub id: String,
    pub status: String,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub strengths: Option<String>,
    pub shortcomings: Option<String>,
    pub causes: Option<String>,
    /// The last submission (a returned inspection sent again is submitted anew).
    pub submitted_at: Option<NaiveDateTime>,
    pub approved_at: Option<NaiveDateTime>,
    /// The scoring of its answers, item by item.
    pub items: Vec<ItemScore>,
}

impl InspectionInput {
    pub fn approved(&self) -> bool {
        self.status == "approved"
    }
}

/// An inspector's recommendation, as recorded on an inspection.
#[derive(Debug, Clone)]
pub struct RecommendationInput {
    pub id: String,
    pub inspection_id: String,
    pub content: String,
    pub responsible_unit_id: Option<String>,
    pub responsible_unit_name: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub follow_up: String,
}

/// A lead's row for the report: new wording, a grouping, or several recommendations merged.
#[derive(Debug, Clone)]
pub struct LeadRecommendationInput {
    pub id: String,
    pub team_id: String,
    pub replaces: Vec<String>,
    pub grouping: Option<String>,
    pub content: String,
    pub responsible_unit_id: Option<String>,
    pub responsible_unit_name: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct ConclusionInput {
    pub id: String,
    pub team_id: String,
    pub body: String,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

pub struct Inputs<'a> {
    pub round: &'a RoundInput,
    pub template: &'a Template,
    pub units: &'a [UnitInput],
    pub recommendations: &'a [RecommendationInput],
    pub lead_recommendations: &'a [LeadRecommendationInput],
    pub conclusions: &'a [ConclusionInput],
}
