//! Reads everything a round's reports need, in a handful of queries (never one per unit), and
//! hands it over as the plain inputs of `summary` and `progress`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::summary::{
    ConclusionInput, InspectionInput, LeadRecommendationInput, RecommendationInput, RoundInput,
    UnitInput,
};
use crate::db::schema::{
    answers, assignments, conflicts, inspections, recommendations, report_conclusions,
    report_recommendations, teams, units,
};
use crate::db::{DbConn, DbError};
use crate::domain::DomainError;
use crate::inspections::service::template_of;
use crate::inspections::store::{answers_of, AnswerRow, InspectionRow, RecommendationRow};
use crate::rounds::store::RoundRow;
use crate::templates::model::{Answers, Template};
use crate::templates::scoring::score;

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

type LeadRecRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<NaiveDate>,
    i64,
);

/// Loads the round for `teams` (`None`: every team).
pub fn load(
    conn: &mut DbConn,
    round: &RoundRow,
    teams_in_view: Option<&[String]>,
) -> Result<Loaded, DomainError> {
    let in_view = |team: &str| teams_in_view.is_none_or(|ts| ts.iter().any(|t| t == team));
    let (_, template) =
        crate::templates::service::published_template(conn, &round.template_version_id)?;
    // Every unit, not only the round's: a recommendation may name any unit as responsible.
    let unit_rows: Vec<(String, String, String, String)> = units::table
        .select((units::id, units::code, units::name, units::kind))
        .load(conn)?;
    let unit_by_id: HashMap<String, (String, String, String)> = unit_rows
        .into_iter()
        .map(|(id, code, name, kind)| (id, (code, name, kind)))
        .collect();
    let team_names: HashMap<String, String> = teams::table
        .select((teams::id, teams::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let assigned: Vec<(String, String)> = assignments::table
        .filter(assignments::round_id.eq(&round.id))
        .select((assignments::unit_id, assignments::team_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .filter(|(_, t)| in_view(t))
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
    let answer_rows: Vec<AnswerRow> = answers::table
        .inner_join(inspections::table)
        .filter(inspections::round_id.eq(&round.id))
        .select(AnswerRow::as_select())
        .load(conn)?;
    let mut rows_by_inspection: HashMap<String, Vec<AnswerRow>> = HashMap::new();
    for a in answer_rows {
        rows_by_inspection
            .entry(a.inspection_id.clone())
            .or_default()
            .push(a);
    }

    let mut units_out = Vec::with_capacity(assigned.len());
    let mut answers_out = HashMap::new();
    let mut templates = HashMap::new();
    for (unit_id, team_id) in assigned {
        let (code, name, kind) = unit_by_id.get(&unit_id).cloned().unwrap_or_default();
        let inspection = match by_unit.remove(&unit_id) {
            None => None,
            Some(row) => {
                let t = template_of(conn, &row)?;
                let a = answers_of(rows_by_inspection.get(&row.id).map_or(&[], Vec::as_slice));
                let items = score(&t, &a).items;
                answers_out.insert(row.id.clone(), a);
                templates.insert(row.id.clone(), t);
                Some(InspectionInput {
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
        };
        units_out.push(UnitInput {
            unit_id,
            code,
            name,
            kind,
            team_name: team_names.get(&team_id).cloned().unwrap_or_default(),
            team_id,
            inspection,
        });
    }

    let inspection_ids: Vec<String> = units_out
        .iter()
        .filter_map(|u| u.inspection.as_ref().map(|i| i.id.clone()))
        .collect();
    let unit_name = |id: &Option<String>| {
        id.as_ref()
            .and_then(|u| unit_by_id.get(u))
            .map(|(_, n, _)| n.clone())
    };
    let recs: Vec<RecommendationRow> = recommendations::table
        .filter(recommendations::inspection_id.eq_any(&inspection_ids))
        .order(recommendations::created_at.asc())
        .select(RecommendationRow::as_select())
        .load(conn)?;
    let recommendations_out = recs
        .into_iter()
        .map(|r| RecommendationInput {
            responsible_unit_name: unit_name(&r.responsible_unit_id),
            id: r.id,
            inspection_id: r.inspection_id,
            content: r.content,
            responsible_unit_id: r.responsible_unit_id,
            responsible: r.responsible,
            due_on: r.due_on,
            follow_up: r.follow_up,
        })
        .collect();

    let lead_rows: Vec<LeadRecRow> = report_recommendations::table
        .filter(report_recommendations::round_id.eq(&round.id))
        .order(report_recommendations::created_at.asc())
        .select((
            report_recommendations::id,
            report_recommendations::team_id,
            report_recommendations::replaces,
            report_recommendations::grouping,
            report_recommendations::content,
            report_recommendations::responsible_unit_id,
            report_recommendations::responsible,
            report_recommendations::due_on,
            report_recommendations::version,
        ))
        .load(conn)?;
    let mut lead_out = Vec::new();
    for (id, team_id, replaces, grouping, content, unit, responsible, due_on, version) in lead_rows
    {
        if !in_view(&team_id) {
            continue;
        }
        let replaces: Vec<String> = serde_json::from_str(&replaces)
            .map_err(|e| DomainError::Db(DbError::Corrupt(e.to_string())))?;
        lead_out.push(LeadRecommendationInput {
            responsible_unit_name: unit_name(&unit),
            id,
            team_id,
            replaces,
            grouping,
            content,
            responsible_unit_id: unit,
            responsible,
            due_on,
            version,
        });
    }

    let conclusion_rows: Vec<(String, String, String, i64, NaiveDateTime)> =
        report_conclusions::table
            .filter(report_conclusions::round_id.eq(&round.id))
            .select((
                report_conclusions::id,
                report_conclusions::team_id,
                report_conclusions::body,
                report_conclusions::version,
                report_conclusions::updated_at,
            ))
            .load(conn)?;
    let conclusions_out = conclusion_rows
        .into_iter()
        .filter(|(_, t, ..)| in_view(t))
        .map(|(id, team_id, body, version, updated_at)| ConclusionInput {
            id,
            team_id,
            body,
            version,
            updated_at,
        })
        .collect();

    let open: Vec<String> = conflicts::table
        .filter(conflicts::round_id.eq(&round.id))
        .filter(conflicts::status.eq("open"))
        .select(conflicts::inspection_id)
        .load(conn)?;
    let mut open_conflicts = HashMap::new();
    for id in open {
        *open_conflicts.entry(id).or_insert(0) += 1;
    }

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
        units: units_out,
        answers: answers_out,
        templates,
        recommendations: recommendations_out,
        lead_recommendations: lead_out,
        conclusions: conclusions_out,
        open_conflicts,
    })
}
