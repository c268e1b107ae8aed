//! Reads a comparison's inputs in the caller's scope: the round's units as the summary has
//! them (`reports::service::in_view`, then `reports::store::load`), each approved
//! inspection's sections scored by `templates::scoring`, and the candidates for each unit's
//! previous result — approved inspections of earlier rounds whose team and round the caller
//! may see (`Scope::sees`), so no other team's score can reach a lead or an inspector.

use std::collections::HashMap;

use diesel::prelude::*;

use super::{Column, Comparison, EarlierIn, Inputs, ScoredIn, SectionIn, UnitIn};
use crate::db::schema::{answers, inspections, rounds};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::service::template_of;
use crate::inspections::store::{answers_of, AnswerRow, InspectionRow};
use crate::reports::service::{self, in_view};
use crate::reports::store::{self, Loaded};
use crate::rounds::store::RoundRow;
use crate::scope::Scope;
use crate::templates::model::{Answers, Template};
use crate::templates::scoring::score;

/// The round's comparison, over the teams the caller sees.
pub fn comparison(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
) -> Result<Comparison, DomainError> {
    let (round, teams) = in_view(conn, scope, round_id)?;
    let l = store::load(conn, &round, teams.as_deref())?;
    let columns = columns(&l.template);
    let units = units(&l);
    let ids: Vec<String> = units.iter().map(|u| u.unit_id.clone()).collect();
    let earlier = earlier(conn, scope, &round, &ids)?;
    Ok(super::compile(&Inputs {
        round_id: &round.id,
        round_name: &round.name,
        max_score: l.template.scoring.as_ref().map_or(0.0, |s| s.max_score),
        columns: &columns,
        units: &units,
        earlier: &earlier,
    }))
}

/// The checklist's sections that hold a scored item, in its order.
pub fn columns(t: &Template) -> Vec<Column> {
    t.sections
        .iter()
        .filter(|s| s.items.iter().any(|i| i.kind.is_scorable()))
        .map(|s| Column {
            id: s.id.clone(),
            title: s.title.clone(),
        })
        .collect()
}

/// An inspection's sections, scored from its answers under its own checklist.
fn scored(t: &Template, a: &Answers, total: Option<f64>, band: Option<String>) -> ScoredIn {
    let report = score(t, a);
    let sections = t
        .sections
        .iter()
        .zip(report.sections)
        .map(|(s, r)| SectionIn {
            id: r.section_id,
            title: s.title.clone(),
            points: r.points,
            max_points: r.max_points,
            ratio: r.ratio,
        })
        .collect();
    ScoredIn {
        total,
        band,
        band_label: None,
        sections,
    }
}

/// The units in the summary's order, each with its approved result.
fn units(l: &Loaded) -> Vec<UnitIn> {
    let summary = service::compile(l);
    let by_id: HashMap<&str, _> = l.units.iter().map(|u| (u.unit_id.as_str(), u)).collect();
    summary
        .units
        .into_iter()
        .map(|r| {
            let x = by_id
                .get(r.unit_id.as_str())
                .and_then(|u| u.inspection.as_ref())
                .filter(|x| r.counted && x.approved());
            let result = x.and_then(|x| {
                let (t, a) = (l.templates.get(&x.id)?, l.answers.get(&x.id)?);
                let mut s = scored(t, a, r.score, r.band.clone());
                s.band_label = r.band_label.clone();
                Some(s)
            });
            UnitIn {
                unit_id: r.unit_id,
                code: r.code,
                name: r.name,
                kind: r.kind,
                team_name: r.team_name,
                status: r.status,
                result,
            }
        })
        .collect()
}

/// Approved inspections of `unit_ids` in rounds that started before `round`, that the
/// caller may read (`None`: everything), each scored.
fn earlier(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round: &RoundRow,
    unit_ids: &[String],
) -> Result<Vec<EarlierIn>, DomainError> {
    let before: Vec<(String, String, chrono::NaiveDate, String)> = rounds::table
        .filter(rounds::starts_on.lt(round.starts_on))
        .filter(rounds::id.ne(&round.id))
        .select((rounds::id, rounds::name, rounds::starts_on, rounds::status))
        .load(conn)?;
    if before.is_empty() || unit_ids.is_empty() {
        return Ok(Vec::new());
    }
    let by_round: HashMap<&str, _> = before.iter().map(|r| (r.0.as_str(), r)).collect();
    let round_ids: Vec<&str> = by_round.keys().copied().collect();
    let rows: Vec<InspectionRow> = inspections::table
        .filter(inspections::round_id.eq_any(&round_ids))
        .filter(inspections::unit_id.eq_any(unit_ids))
        .filter(inspections::status.eq("approved"))
        .select(InspectionRow::as_select())
        .load(conn)?;
    // The scope rule of the round's own reads, applied to each earlier round: a lead or an
    // inspector reads only their own teams' work, in rounds their role may see.
    let rows: Vec<InspectionRow> = rows
        .into_iter()
        .filter(|x| {
            let status = by_round
                .get(x.round_id.as_str())
                .map_or("", |r| r.3.as_str());
            scope.is_none_or(|s| s.sees(&x.team_id, status))
        })
        .collect();
    let ids: Vec<&str> = rows.iter().map(|x| x.id.as_str()).collect();
    let mut by_inspection: HashMap<String, Vec<AnswerRow>> = HashMap::new();
    for a in answers::table
        .filter(answers::inspection_id.eq_any(&ids))
        .select(AnswerRow::as_select())
        .load::<AnswerRow>(conn)?
    {
        by_inspection
            .entry(a.inspection_id.clone())
            .or_default()
            .push(a);
    }
    let mut out = Vec::with_capacity(rows.len());
    for x in rows {
        let Some(r) = by_round.get(x.round_id.as_str()) else {
            continue;
        };
        let t = template_of(conn, &x)?;
        let a = answers_of(by_inspection.get(&x.id).map_or(&[][..], Vec::as_slice));
        out.push(EarlierIn {
            unit_id: x.unit_id.clone(),
            round_id: r.0.clone(),
            round_name: r.1.clone(),
            starts_on: r.2,
            result: scored(&t, &a, x.score, x.band.clone()),
        });
    }
    Ok(out)
}
