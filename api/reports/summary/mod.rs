//! The round summary: official figures from approved inspections only. Plain functions over
//! plain types; the store gathers the inputs, the exports render the output, and nothing here
//! touches a database or knows HTTP.
//!
//! - per unit: its status, and its score and rating once approved (`units`);
//! - the rating distribution and mean score over approved inspections, and per section and per
//!   item the share of approved units that fell short, weakest first in `weakest` (`weak`);
//! - every recommendation of approved inspections, with the leads' report rows standing in for
//!   the ones they replace (`recommendations`);
//! - the strengths, shortcomings and causes quoted from each approved inspection, and the
//!   leads' conclusions (`findings`);
//! - how many units are still pending, so nobody mistakes a partial picture for the whole.

mod findings;
mod inputs;
mod model;
mod recommendations;
mod units;
mod weak;

#[cfg(test)]
mod tests;

use crate::templates::model::DEFAULT_SCHEME_NOTE;

pub use inputs::{
    ConclusionInput, Inputs, InspectionInput, LeadRecommendationInput, RecommendationInput,
    RoundInput, UnitInput,
};
pub use model::{
    BandCount, ConclusionLine, Counts, FindingsLine, RecommendationLine, RoundRef, Summary,
    UnitResult, WeakPoint,
};

/// How many items `weakest` lists.
pub const WEAKEST: usize = 10;

/// An approved unit and its inspection: the only pairs the official figures count.
type Approved<'a> = (&'a UnitInput, &'a InspectionInput);

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn compile(i: &Inputs) -> Summary {
    let units = units::in_report_order(i.units);
    let approved: Vec<Approved> = units
        .iter()
        .filter_map(|u| {
            u.inspection
                .as_ref()
                .filter(|x| x.approved())
                .map(|x| (*u, x))
        })
        .collect();
    let bands = weak::bands(i.template);
    let scores: Vec<f64> = approved.iter().filter_map(|(_, x)| x.score).collect();
    let mean_score =
        (!scores.is_empty()).then(|| round2(scores.iter().sum::<f64>() / scores.len() as f64));
    let (sections, items) = weak::weak_points(i.template, &approved);
    let weakest = weak::weakest(&items);
    Summary {
        round: RoundRef {
            id: i.round.id.clone(),
            name: i.round.name.clone(),
            kind: i.round.kind.clone(),
            starts_on: i.round.starts_on,
            due_on: i.round.due_on,
            status: i.round.status.clone(),
        },
        counts: units::counts(&units, approved.len()),
        mean_score,
        units: units::results(&units, &bands, i.round.due_on),
        distribution: weak::distribution(&bands, &approved),
        sections,
        items,
        weakest,
        recommendations: recommendations::lines(i, &approved),
        findings: findings::findings(&approved),
        conclusions: findings::conclusions(&units, i.conclusions),
        scheme_note: i
            .template
            .scoring
            .as_ref()
            .map_or(DEFAULT_SCHEME_NOTE, |s| s.scheme_note())
            .to_owned(),
    }
}
