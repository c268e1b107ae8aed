//! The round's units in view, each with its inspection scored from its answers.

use std::collections::HashMap;
use std::sync::Arc;

use diesel::prelude::*;

use crate::db::schema::{answers, assignments, inspections, teams, units};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::service::template_of;
use crate::inspections::store::{answers_of, AnswerRow, InspectionRow};
use crate::reports::summary::{InspectionInput, UnitInput};
use crate::rounds::store::RoundRow;
use crate::templates::model::{Answers, Template};
use crate::templates::scoring::score;

/// Every unit's code, name and kind, and every team's name. Every unit, not only the round's:
/// a recommendation may name any unit as responsible.
pub struct Names {
    pub units: HashMap<String, (String, String, String)>,
    pub teams: HashMap<String, String>,
}

impl Names {
    pub fn load(conn: &mut DbConn) -> QueryResult<Names> {
        let unit_rows: Vec<(String, String, String, String)> = units::table
            .select((units::id, units::code, units::name, units::kind))
            .load(conn)?;
        let teams = teams::table
            .select((teams::id, teams::name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        Ok(Names {
            units: unit_rows
                .into_iter()
                .map(|(id, code, name, kind)| (id, (code, name, kind)))
                .collect(),
            teams,
        })
    }

    /// The name of unit `id`, if it is one.
    pub fn unit(&self, id: &Option<String>) -> Option<String> {
        id.as_ref()
            .and_then(|u| self.units.get(u))
            .map(|(_, n, _)| n.clone())
    }
}

pub struct Read {
    pub units: Vec<UnitInput>,
    pub answers: HashMap<String, Answers>,
    pub templates: HashMap<String, Arc<Template>>,
}

/// The assigned units of the teams in view, in assignment order, with their inspections.
pub fn read(
    conn: &mut DbConn,
    round: &RoundRow,
    names: &Names,
    in_view: &dyn Fn(&str) -> bool,
) -> Result<Read, DomainError> {
    type Assigned = (String, String, Option<chrono::NaiveDate>);
    let assigned: Vec<Assigned> = assignments::table
        .filter(assignments::round_id.eq(&round.id))
        .select((
            assignments::unit_id,
            assignments::team_id,
            assignments::due_on,
        ))
        .load::<Assigned>(conn)?
        .into_iter()
        .filter(|(_, t, _)| in_view(t))
        .collect();
    let rows: Vec<InspectionRow> = inspections::table
        .filter(inspections::round_id.eq(&round.id))
        .select(InspectionRow::as_select())
        .load(conn)?;
    let mut by_unit: HashMap<String, InspectionRow> = rows
        .into_iter()
        .filter(|r| in_view(&r.team_id))
        .map(|r| (r.unit_id.clone(), r))
        .collect();
    let mut answer_rows = answers_by_inspection(conn, &round.id)?;
    let mut out = Read {
        units: Vec::with_capacity(assigned.len()),
        answers: HashMap::new(),
        templates: HashMap::new(),
    };
    for (unit_id, team_id, due_on) in assigned {
        let (code, name, kind) = names.units.get(&unit_id).cloned().unwrap_or_default();
        let inspection = match by_unit.remove(&unit_id) {
            None => None,
            Some(row) => {
                let rows = answer_rows.remove(&row.id).unwrap_or_default();
                Some(inspection(conn, row, &rows, &mut out)?)
            }
        };
        out.units.push(UnitInput {
            unit_id,
            code,
            name,
            kind,
            team_name: names.teams.get(&team_id).cloned().unwrap_or_default(),
            team_id,
            due_on,
            inspection,
        });
    }
    Ok(out)
}

fn answers_by_inspection(
    conn: &mut DbConn,
    round_id: &str,
) -> QueryResult<HashMap<String, Vec<AnswerRow>>> {
    let answer_rows: Vec<AnswerRow> = answers::table
        .inner_join(inspections::table)
        .filter(inspections::round_id.eq(round_id))
        .select(AnswerRow::as_select())
        .load(conn)?;
    let mut by_inspection: HashMap<String, Vec<AnswerRow>> = HashMap::new();
    for a in answer_rows {
        by_inspection
            .entry(a.inspection_id.clone())
            .or_default()
            .push(a);
    }
    Ok(by_inspection)
}

/// One inspection scored under its own (pinned) checklist; its answers and checklist are kept
/// in `out` for the answers table.
fn inspection(
    conn: &mut DbConn,
    row: InspectionRow,
    rows: &[AnswerRow],
    out: &mut Read,
) -> Result<InspectionInput, DomainError> {
    let t = template_of(conn, &row)?;
    let a = answers_of(rows);
    let items = score(&t, &a).items;
    out.answers.insert(row.id.clone(), a);
    out.templates.insert(row.id.clone(), t);
    Ok(InspectionInput {
        id: row.id,
        status: row.status,
        score: row.score,
        band: row.band,
        strengths: row.strengths,
        shortcomings: row.shortcomings,
        causes: row.causes,
        submitted_at: row.submitted_at,
        approved_at: row.approved_at,
        items,
    })
}
