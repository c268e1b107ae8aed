//! Ties scope, the store and the pure compilers together: what a caller sees of a round's
//! progress and summary, and the whole report the exports render.

use chrono::NaiveDate;

use super::answer_sheet::{self, AnswerLine};
use super::board::{Board, BoardRow};
use super::progress::{self, Progress, UnitProgress};
use super::store::{self, Loaded};
use super::summary::{self, Inputs, Summary};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::rounds::store::{self as rounds, RoundRow};
use crate::scope::Scope;

/// Everything an export prints: the summary, every answer, and the day it is issued.
pub struct Report {
    pub summary: Summary,
    /// The checklist's title.
    pub checklist: String,
    pub answers: Vec<AnswerLine>,
    pub issued_on: NaiveDate,
    /// The plan's wider work, after the findings (`extra`).
    pub extra: Vec<super::extra::Section>,
}

/// Today on the local calendar (`KIEMTRA_TIMEZONE`), the one deadlines are kept in.
pub fn today() -> NaiveDate {
    crate::time::today_local()
}

/// The round and the teams whose work in it the caller may see (`None`: all). Not found when
/// the caller sees no team of the round, as for the round itself.
pub fn in_view(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
) -> Result<(RoundRow, Option<Vec<String>>), DomainError> {
    let round = rounds::find(conn, round_id)?.ok_or(DomainError::NotFound)?;
    let Some(scope) = scope.filter(|s| !s.sees_all()) else {
        return Ok((round, None));
    };
    let mine: Vec<String> = store::assigned_teams(conn, round_id)?
        .into_iter()
        .filter(|t| scope.sees(t, &round.status))
        .collect();
    if mine.is_empty() {
        return Err(DomainError::NotFound);
    }
    Ok((round, Some(mine)))
}

fn load(conn: &mut DbConn, scope: Option<&Scope>, round_id: &str) -> Result<Loaded, DomainError> {
    let (round, teams) = in_view(conn, scope, round_id)?;
    store::load(conn, &round, teams.as_deref())
}

pub(crate) fn compile(l: &Loaded) -> Summary {
    summary::compile(&Inputs {
        round: &l.round,
        template: &l.template,
        units: &l.units,
        recommendations: &l.recommendations,
        lead_recommendations: &l.lead_recommendations,
        conclusions: &l.conclusions,
    })
}

pub fn summary(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
) -> Result<Summary, DomainError> {
    Ok(compile(&load(conn, scope, round_id)?))
}

pub fn progress(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
    as_of: NaiveDate,
) -> Result<Progress, DomainError> {
    let l = load(conn, scope, round_id)?;
    Ok(progress_of(conn, &l, as_of)?.0)
}

/// The round dashboard: progress per team, and a row per unit in the report's order.
pub fn board(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
    as_of: NaiveDate,
) -> Result<Board, DomainError> {
    let l = load(conn, scope, round_id)?;
    let (progress, units) = progress_of(conn, &l, as_of)?;
    let summary = compile(&l);
    let ids: Vec<String> = l.answers.keys().cloned().collect();
    let mut last = store::activity::last_writes(conn, &ids)?;
    let by_unit: std::collections::HashMap<&str, (&summary::UnitInput, &UnitProgress)> = l
        .units
        .iter()
        .zip(&units)
        .map(|(u, p)| (u.unit_id.as_str(), (u, p)))
        .collect();
    let rows = summary
        .units
        .into_iter()
        .filter_map(|unit| {
            let (input, p) = by_unit.get(unit.unit_id.as_str())?;
            let inspection_id = input.inspection.as_ref().map(|x| x.id.clone());
            let provisional_score = input
                .inspection
                .as_ref()
                .filter(|x| !x.approved())
                .and_then(|x| x.score);
            Some(BoardRow {
                provisional_score,
                overdue: progress.as_of > unit.due_on && unit.status != "approved",
                last: inspection_id.as_ref().and_then(|id| last.remove(id)),
                inspection_id,
                missing_evidence: p.missing_evidence,
                open_conflicts: p.open_conflicts,
                unit,
            })
        })
        .collect();
    Ok(Board { progress, rows })
}

/// Progress, and each unit's own figures in the order of `l.units`.
fn progress_of(
    conn: &mut DbConn,
    l: &Loaded,
    as_of: NaiveDate,
) -> Result<(Progress, Vec<UnitProgress>), DomainError> {
    let ids: Vec<String> = l.answers.keys().cloned().collect();
    let photos = crate::media::store::photo_counts_of(conn, &ids)?;
    let none = Default::default();
    let units: Vec<UnitProgress> = l
        .units
        .iter()
        .map(|u| {
            let x = u.inspection.as_ref();
            let missing = x
                .and_then(|x| Some((x, l.templates.get(&x.id)?, l.answers.get(&x.id)?)))
                .map_or(0, |(x, t, a)| {
                    progress::missing_evidence(t, a, photos.get(&x.id).unwrap_or(&none))
                });
            UnitProgress {
                due_on: u.due_on.unwrap_or(l.round.due_on),
                team_id: u.team_id.clone(),
                team_name: u.team_name.clone(),
                status: x.map(|x| x.status.clone()),
                open_conflicts: x
                    .and_then(|x| l.open_conflicts.get(&x.id).copied())
                    .unwrap_or(0),
                missing_evidence: missing,
            }
        })
        .collect();
    let p = progress::compile(&l.round.id, l.round.due_on, as_of, &units);
    Ok((p, units))
}

pub fn report(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
    issued_on: NaiveDate,
) -> Result<Report, DomainError> {
    let (round, teams) = in_view(conn, scope, round_id)?;
    let l = store::load(conn, &round, teams.as_deref())?;
    let extra = super::extra::gather(conn, &round, teams.as_deref())?;
    let summary = compile(&l);
    // In the summary's order, so every table reads the same way.
    let by_id: std::collections::HashMap<&str, &summary::UnitInput> =
        l.units.iter().map(|u| (u.unit_id.as_str(), u)).collect();
    let mut answers = Vec::new();
    for r in &summary.units {
        let Some(u) = by_id.get(r.unit_id.as_str()) else {
            continue;
        };
        if let Some(x) = u.inspection.as_ref().filter(|x| x.approved()) {
            if let Some(a) = l.answers.get(&x.id) {
                answers.extend(answer_sheet::lines(&l.template, u, a));
            }
        }
    }
    Ok(Report {
        summary,
        checklist: l.template.title.clone(),
        answers,
        issued_on,
        extra,
    })
}
