//! Comparisons: a round's unit × section score table, each unit's change since its previous
//! round, and means by unit kind. Plain functions over plain types; `store` reads the inputs
//! (in the caller's scope, previous rounds included), `xlsx` and the web page render them.
//!
//! - Figures come from approved inspections only, as the summary's do: the total is the
//!   inspection's stored score, a section's figure is its share of points earned (0–100) as
//!   `templates::scoring` computes it from the answers under the inspection's own checklist.
//! - A unit's previous result is its approved inspection in the latest earlier round (by
//!   `starts_on`) whose checklist shares at least one section with this round's, matched by
//!   section id, else by title. Sections are compared one by one; the total as stored.
//! - Nothing here reads a database or knows who is asking: scope is the store's job.

mod model;
pub mod store;
pub mod xlsx;

#[cfg(test)]
mod tests;

pub use model::{
    Column, Comparison, EarlierIn, Inputs, KindGroup, Means, Previous, ScoredIn, SectionCell,
    SectionIn, UnitIn, UnitRow,
};

use crate::reports::labels;

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| round2(sum / n as f64))
}

/// The section of `r` standing for column `c`: the same id, else the same title.
fn section_of<'a>(r: &'a ScoredIn, c: &Column) -> Option<&'a SectionIn> {
    r.sections
        .iter()
        .find(|s| s.id == c.id)
        .or_else(|| r.sections.iter().find(|s| s.title == c.title))
}

fn percent(s: &SectionIn) -> Option<f64> {
    s.ratio.map(|r| round2(100.0 * r))
}

/// The latest earlier result of `unit_id` whose checklist shares a section with `columns`.
pub fn previous_of<'a>(
    unit_id: &str,
    columns: &[Column],
    earlier: &'a [EarlierIn],
) -> Option<&'a EarlierIn> {
    let mut mine: Vec<&EarlierIn> = earlier.iter().filter(|e| e.unit_id == unit_id).collect();
    // Latest first; the round id only breaks ties so the choice never depends on load order.
    mine.sort_by(|a, b| (b.starts_on, &b.round_id).cmp(&(a.starts_on, &a.round_id)));
    mine.into_iter()
        .find(|e| columns.iter().any(|c| section_of(&e.result, c).is_some()))
}

fn delta(now: Option<f64>, before: Option<f64>) -> Option<f64> {
    Some(round2(now? - before?))
}

fn row(u: &UnitIn, columns: &[Column], earlier: &[EarlierIn]) -> UnitRow {
    let cur = u.result.as_ref();
    // Shown even before this round's approval: the committee sees where the unit stood.
    let prev = previous_of(&u.unit_id, columns, earlier);
    let sections = columns
        .iter()
        .map(|c| {
            let now = cur.and_then(|r| section_of(r, c));
            let before = prev.and_then(|p| section_of(&p.result, c));
            SectionCell {
                section_id: c.id.clone(),
                percent: now.and_then(percent),
                points: now.map(|s| s.points),
                max_points: now.map(|s| s.max_points),
                delta: delta(now.and_then(percent), before.and_then(percent)),
            }
        })
        .collect();
    let total = cur.and_then(|r| r.total);
    UnitRow {
        unit_id: u.unit_id.clone(),
        code: u.code.clone(),
        name: u.name.clone(),
        kind: u.kind.clone(),
        team_name: u.team_name.clone(),
        status: u.status.clone(),
        counted: cur.is_some(),
        sections,
        total,
        band: cur.and_then(|r| r.band.clone()),
        band_label: cur.and_then(|r| r.band_label.clone()),
        total_delta: delta(total, prev.and_then(|p| p.result.total)),
        previous: prev.map(|p| Previous {
            round_id: p.round_id.clone(),
            round_name: p.round_name.clone(),
            starts_on: p.starts_on,
            total: p.result.total,
        }),
    }
}

/// Means over the counted rows of `rows`.
pub fn means(rows: &[&UnitRow], columns: usize) -> Means {
    let counted: Vec<&&UnitRow> = rows.iter().filter(|r| r.counted).collect();
    Means {
        counted: counted.len(),
        units: rows.len(),
        sections: (0..columns)
            .map(|i| mean(counted.iter().filter_map(|r| r.sections[i].percent)))
            .collect(),
        total: mean(counted.iter().filter_map(|r| r.total)),
        total_delta: mean(counted.iter().filter_map(|r| r.total_delta)),
    }
}

/// The kinds in the order the committee reads them.
const KINDS: [&str; 4] = ["department", "commune", "ward", "other"];

fn kind_of(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|k| **k == code)
        .copied()
        .unwrap_or("other")
}

pub fn compile(i: &Inputs) -> Comparison {
    let units: Vec<UnitRow> = i
        .units
        .iter()
        .map(|u| row(u, i.columns, i.earlier))
        .collect();
    let kinds = KINDS
        .iter()
        .filter_map(|k| {
            let mine: Vec<&UnitRow> = units.iter().filter(|u| kind_of(&u.kind) == *k).collect();
            (!mine.is_empty()).then(|| KindGroup {
                kind: (*k).to_owned(),
                label: labels::unit_kind(k).to_owned(),
                means: means(&mine, i.columns.len()),
            })
        })
        .collect();
    let all: Vec<&UnitRow> = units.iter().collect();
    Comparison {
        round_id: i.round_id.to_owned(),
        round_name: i.round_name.to_owned(),
        max_score: i.max_score,
        columns: i.columns.to_vec(),
        overall: means(&all, i.columns.len()),
        kinds,
        units,
    }
}
