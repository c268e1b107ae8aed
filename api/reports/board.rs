//! The round dashboard: one row per assigned unit with everything a lead asks of it before
//! the deadline (state, score, who is filling it and when they last synced, missing
//! evidence, open conflicts, lateness), with the filters and orders people use. Plain
//! functions over the summary's and progress's own figures, so the page and the reports
//! agree.

use std::cmp::Ordering;

use super::progress::Progress;
use super::store::activity::Activity;
use super::summary::UnitResult;

#[derive(Debug, Clone)]
pub struct BoardRow {
    pub unit: UnitResult,
    pub inspection_id: Option<String>,
    /// The score so far of an inspection not yet approved (the official score is the
    /// approved one, `unit.score`).
    pub provisional_score: Option<f64>,
    pub missing_evidence: usize,
    pub open_conflicts: usize,
    /// Not approved although the unit's deadline (`unit.due_on`) has passed.
    pub overdue: bool,
    pub last: Option<Activity>,
}

#[derive(Debug, Clone)]
pub struct Board {
    pub progress: Progress,
    pub rows: Vec<BoardRow>,
}

/// How to order the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// The report's order: by unit kind and name.
    #[default]
    Unit,
    Status,
    /// Highest score first; unscored last.
    Score,
    /// Most recently synced first; never synced last.
    LastSync,
    /// Most to do first: conflicts, then missing evidence.
    Attention,
}

impl Sort {
    pub fn parse(s: &str) -> Sort {
        match s {
            "trang-thai" => Sort::Status,
            "diem" => Sort::Score,
            "dong-bo" => Sort::LastSync,
            "can-xu-ly" => Sort::Attention,
            _ => Sort::Unit,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub team_id: Option<String>,
    /// `not_started`, `draft`, `submitted`, `returned` or `approved`.
    pub status: Option<String>,
    pub overdue_only: bool,
    /// Only rows with missing evidence or open conflicts.
    pub attention_only: bool,
    /// Words of the unit's name or code, compared folded (no diacritics, any case).
    pub query: Option<String>,
    pub sort: Sort,
}

fn status_rank(s: &str) -> u8 {
    match s {
        "not_started" => 0,
        "draft" => 1,
        "returned" => 2,
        "submitted" => 3,
        _ => 4,
    }
}

fn order(a: &BoardRow, b: &BoardRow, sort: Sort) -> Ordering {
    match sort {
        Sort::Unit => Ordering::Equal,
        Sort::Status => status_rank(&a.unit.status).cmp(&status_rank(&b.unit.status)),
        Sort::Score => match (
            a.unit.score.or(a.provisional_score),
            b.unit.score.or(b.provisional_score),
        ) {
            (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        Sort::LastSync => match (&a.last, &b.last) {
            (Some(x), Some(y)) => y.at.cmp(&x.at),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        Sort::Attention => (b.open_conflicts, b.missing_evidence, b.overdue).cmp(&(
            a.open_conflicts,
            a.missing_evidence,
            a.overdue,
        )),
    }
}

/// The rows `f` keeps, in its order (stable: ties keep the report's order).
pub fn apply(rows: &[BoardRow], f: &Filter) -> Vec<BoardRow> {
    let words: Vec<String> = f
        .query
        .as_deref()
        .map(crate::units::fold::fold)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let mut kept: Vec<BoardRow> = rows
        .iter()
        .filter(|r| f.team_id.as_ref().is_none_or(|t| &r.unit.team_id == t))
        .filter(|r| f.status.as_ref().is_none_or(|s| &r.unit.status == s))
        .filter(|r| !f.overdue_only || r.overdue)
        .filter(|r| !f.attention_only || r.open_conflicts > 0 || r.missing_evidence > 0)
        .filter(|r| {
            let hay = crate::units::fold::fold(&format!("{} {}", r.unit.name, r.unit.code));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .cloned()
        .collect();
    kept.sort_by(|a, b| order(a, b, f.sort));
    kept
}

#[cfg(test)]
mod tests;
