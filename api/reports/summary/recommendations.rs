//! The recommendations of approved inspections, with the leads' report rows standing in for
//! the ones they replace.

use std::collections::{BTreeSet, HashMap};

use super::inputs::{Inputs, RecommendationInput, UnitInput};
use super::model::RecommendationLine;
use super::Approved;

/// Who carries a recommendation out, as the report prints it: the words the inspector or lead
/// wrote when there are any ("Chủ tịch UBND phường Cửa Lò" names a person, not the ward), else
/// the responsible unit's name.
fn responsible(words: Option<&str>, unit_name: Option<&str>) -> Option<String> {
    words
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .or(unit_name)
        .map(str::to_owned)
}

fn follow_up_rank(f: &str) -> u8 {
    match f {
        "done" => 2,
        "in_progress" => 1,
        _ => 0,
    }
}

/// An inspector's recommendation and the approved unit it concerns, by recommendation id.
type Originals<'a> = HashMap<&'a str, (&'a RecommendationInput, &'a UnitInput)>;

/// The recommendations of approved inspections, with each lead's report row in place of the
/// ones it replaces (of that lead's team only: a lead cannot hide another team's).
pub(super) fn lines(i: &Inputs, approved: &[Approved]) -> Vec<RecommendationLine> {
    let unit_of: HashMap<&str, &UnitInput> =
        approved.iter().map(|(u, x)| (x.id.as_str(), *u)).collect();
    let originals: Originals = i
        .recommendations
        .iter()
        .filter_map(|r| {
            unit_of
                .get(r.inspection_id.as_str())
                .map(|u| (r.id.as_str(), (r, *u)))
        })
        .collect();
    let (mut out, replaced) = lead_lines(i, &originals);
    for r in i.recommendations {
        let Some((_, u)) = originals.get(r.id.as_str()) else {
            continue;
        };
        if replaced.contains(r.id.as_str()) {
            continue;
        }
        out.push(RecommendationLine {
            id: r.id.clone(),
            source: "inspection".into(),
            unit_id: Some(u.unit_id.clone()),
            unit_name: Some(u.name.clone()),
            team_id: u.team_id.clone(),
            team_name: u.team_name.clone(),
            content: r.content.clone(),
            responsible_unit_id: r.responsible_unit_id.clone(),
            responsible: responsible(r.responsible.as_deref(), r.responsible_unit_name.as_deref()),
            due_on: r.due_on,
            follow_up: r.follow_up.clone(),
            grouping: None,
            replaces: Vec::new(),
            version: None,
        });
    }
    out.sort_by(|a, b| {
        use crate::collate::cmp;
        cmp(&a.team_name, &b.team_name)
            .then_with(|| a.grouping.cmp(&b.grouping))
            .then_with(|| {
                cmp(
                    a.unit_name.as_deref().unwrap_or(""),
                    b.unit_name.as_deref().unwrap_or(""),
                )
            })
    });
    out
}

/// The leads' rows of the teams in view, and the ids of the inspectors' recommendations they
/// stand in for.
fn lead_lines<'a>(
    i: &'a Inputs,
    originals: &Originals<'a>,
) -> (Vec<RecommendationLine>, BTreeSet<&'a str>) {
    let team_name: HashMap<&str, &str> = i
        .units
        .iter()
        .map(|u| (u.team_id.as_str(), u.team_name.as_str()))
        .collect();
    let mut replaced: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    for l in i.lead_recommendations {
        let Some(team) = team_name.get(l.team_id.as_str()) else {
            continue;
        };
        let mine: Vec<&(&RecommendationInput, &UnitInput)> = l
            .replaces
            .iter()
            .filter_map(|id| originals.get(id.as_str()))
            .filter(|(_, u)| u.team_id == l.team_id)
            .collect();
        replaced.extend(mine.iter().map(|(r, _)| r.id.as_str()));
        let units: BTreeSet<&str> = mine.iter().map(|(_, u)| u.unit_id.as_str()).collect();
        let unit = (units.len() == 1)
            .then(|| mine.first().map(|(_, u)| *u))
            .flatten();
        let follow_up = mine
            .iter()
            .map(|(r, _)| r.follow_up.as_str())
            .min_by_key(|f| follow_up_rank(f))
            .unwrap_or("open");
        out.push(RecommendationLine {
            id: l.id.clone(),
            source: "lead".into(),
            unit_id: unit.map(|u| u.unit_id.clone()),
            unit_name: unit.map(|u| u.name.clone()),
            team_id: l.team_id.clone(),
            team_name: (*team).to_owned(),
            content: l.content.clone(),
            responsible_unit_id: l.responsible_unit_id.clone(),
            responsible: responsible(l.responsible.as_deref(), l.responsible_unit_name.as_deref()),
            due_on: l.due_on,
            follow_up: follow_up.into(),
            grouping: l.grouping.clone(),
            replaces: l.replaces.clone(),
            version: Some(l.version),
        });
    }
    (out, replaced)
}
