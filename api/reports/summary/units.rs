//! The units of the report: their order, the counts, and one row each with its status and,
//! once approved, its score and rating.

use chrono::{NaiveDate, NaiveDateTime};

use super::inputs::{InspectionInput, UnitInput};
use super::model::{Counts, UnitResult};
use crate::templates::model::Band;

pub(super) fn kind_rank(kind: &str) -> u8 {
    match kind {
        "department" => 0,
        "commune" | "ward" => 1,
        _ => 2,
    }
}

/// As the committee reads a report: by team, departments before communes and wards, then by
/// name in Vietnamese order with numbers by value ("Phường 3" before "Phường 11").
pub(super) fn in_report_order(units: &[UnitInput]) -> Vec<&UnitInput> {
    use crate::collate::cmp;
    let mut units: Vec<&UnitInput> = units.iter().collect();
    units.sort_by(|a, b| {
        cmp(&a.team_name, &b.team_name)
            .then_with(|| kind_rank(&a.kind).cmp(&kind_rank(&b.kind)))
            .then_with(|| cmp(&a.name, &b.name))
            .then_with(|| a.code.cmp(&b.code))
    });
    units
}

pub(super) fn counts(units: &[&UnitInput], approved: usize) -> Counts {
    Counts {
        assigned: units.len(),
        approved,
        pending: units.len() - approved,
        not_started: units.iter().filter(|u| u.inspection.is_none()).count(),
    }
}

/// One row per unit; score, rating and approval only for approved inspections. Late marks are
/// against the unit's deadline (its assignment's, else the round's `due_on`), a local day that
/// counts whole.
pub(super) fn results(units: &[&UnitInput], bands: &[Band], due_on: NaiveDate) -> Vec<UnitResult> {
    let late =
        |t: Option<NaiveDateTime>, due: NaiveDate| t.is_some_and(|t| crate::time::is_late(t, due));
    let band_label = |code: &str| {
        bands
            .iter()
            .find(|b| b.code == code)
            .map(|b| b.label.clone())
    };
    units
        .iter()
        .map(|u| {
            let x = u.inspection.as_ref();
            let counted = x.is_some_and(InspectionInput::approved);
            let band = x.filter(|_| counted).and_then(|x| x.band.clone());
            let due = u.due_on.unwrap_or(due_on);
            UnitResult {
                unit_id: u.unit_id.clone(),
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind.clone(),
                team_id: u.team_id.clone(),
                team_name: u.team_name.clone(),
                status: x.map_or("not_started".into(), |x| x.status.clone()),
                counted,
                score: x.filter(|_| counted).and_then(|x| x.score),
                band_label: band.as_deref().and_then(band_label),
                band,
                submitted_at: x.and_then(|x| x.submitted_at),
                due_on: due,
                submitted_late: late(x.and_then(|x| x.submitted_at), due),
                approved_at: x.filter(|_| counted).and_then(|x| x.approved_at),
                approved_late: late(x.filter(|_| counted).and_then(|x| x.approved_at), due),
            }
        })
        .collect()
}
