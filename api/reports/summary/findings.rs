//! What the report quotes in words: each approved inspection's strengths, shortcomings and
//! causes, and each team lead's conclusion.

use std::collections::HashMap;

use super::inputs::{ConclusionInput, UnitInput};
use super::model::{ConclusionLine, FindingsLine};
use super::Approved;

pub(super) fn findings(approved: &[Approved]) -> Vec<FindingsLine> {
    approved
        .iter()
        .map(|(u, x)| FindingsLine {
            unit_id: u.unit_id.clone(),
            unit_name: u.name.clone(),
            team_name: u.team_name.clone(),
            strengths: x.strengths.clone(),
            shortcomings: x.shortcomings.clone(),
            causes: x.causes.clone(),
        })
        .collect()
}

/// The conclusions of the teams in view, by team name.
pub(super) fn conclusions(
    units: &[&UnitInput],
    conclusions: &[ConclusionInput],
) -> Vec<ConclusionLine> {
    let team_name: HashMap<&str, &str> = units
        .iter()
        .map(|u| (u.team_id.as_str(), u.team_name.as_str()))
        .collect();
    let mut out: Vec<ConclusionLine> = conclusions
        .iter()
        .filter_map(|c| {
            team_name.get(c.team_id.as_str()).map(|t| ConclusionLine {
                id: c.id.clone(),
                team_id: c.team_id.clone(),
                team_name: (*t).to_owned(),
                body: c.body.clone(),
                version: c.version,
                updated_at: c.updated_at,
            })
        })
        .collect();
    out.sort_by(|a, b| crate::collate::cmp(&a.team_name, &b.team_name));
    out
}
