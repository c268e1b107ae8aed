//! Reads everything a round's reports need, in a handful of queries (never one per unit), and
//! hands it over as the plain inputs of `summary` and `progress`.

pub mod activity;
mod compilation;
mod units;

use std::collections::HashMap;
use std::sync::Arc;

use diesel::prelude::*;

use super::summary::{
    ConclusionInput, LeadRecommendationInput, RecommendationInput, RoundInput, UnitInput,
};
use crate::db::schema::assignments;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::rounds::store::RoundRow;
use crate::templates::model::{Answers, Template};

/// A round's data for the teams in view.
pub struct Loaded {
    pub round: RoundInput,
    /// The round's checklist: labels, sections and bands of the report.
    pub template: Arc<Template>,
    pub units: Vec<UnitInput>,
    /// Answers by inspection id.
    pub answers: HashMap<String, Answers>,
    /// Each inspection's own (pinned) checklist, by inspection id.
    pub templates: HashMap<String, Arc<Template>>,
    pub recommendations: Vec<RecommendationInput>,
    pub lead_recommendations: Vec<LeadRecommendationInput>,
    pub conclusions: Vec<ConclusionInput>,
    /// Open sync conflicts by inspection id.
    pub open_conflicts: HashMap<String, usize>,
}

/// Distinct team ids with an assignment in the round.
pub fn assigned_teams(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<String>> {
    let mut ids: Vec<String> = assignments::table
        .filter(assignments::round_id.eq(round_id))
        .select(assignments::team_id)
        .load(conn)?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// Loads the round for `teams` (`None`: every team).
pub fn load(
    conn: &mut DbConn,
    round: &RoundRow,
    teams_in_view: Option<&[String]>,
) -> Result<Loaded, DomainError> {
    let in_view = |team: &str| teams_in_view.is_none_or(|ts| ts.iter().any(|t| t == team));
    let (_, template) =
        crate::templates::service::published_template(conn, &round.template_version_id)?;
    let names = units::Names::load(conn)?;
    let read = units::read(conn, round, &names, &in_view)?;
    let inspection_ids: Vec<String> = read
        .units
        .iter()
        .filter_map(|u| u.inspection.as_ref().map(|i| i.id.clone()))
        .collect();
    Ok(Loaded {
        round: RoundInput {
            id: round.id.clone(),
            name: round.name.clone(),
            kind: round.kind.clone(),
            starts_on: round.starts_on,
            due_on: round.due_on,
            status: round.status.clone(),
        },
        template: Arc::new(template),
        recommendations: compilation::recommendations(conn, &inspection_ids, &names)?,
        lead_recommendations: compilation::lead_recommendations(conn, &round.id, &names, &in_view)?,
        conclusions: compilation::conclusions(conn, &round.id, &in_view)?,
        open_conflicts: compilation::open_conflicts(conn, &round.id)?,
        units: read.units,
        answers: read.answers,
        templates: read.templates,
    })
}
