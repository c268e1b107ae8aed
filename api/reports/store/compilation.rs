//! What the leads compiled and what is still open: the inspectors' recommendations, the leads'
//! report recommendations and conclusions, and the open sync conflicts.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::units::Names;
use crate::db::schema::{conflicts, recommendations, report_conclusions, report_recommendations};
use crate::db::{DbConn, DbError};
use crate::domain::DomainError;
use crate::inspections::store::RecommendationRow;
use crate::reports::summary::{ConclusionInput, LeadRecommendationInput, RecommendationInput};

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

/// The inspectors' recommendations of these inspections, oldest first.
pub fn recommendations(
    conn: &mut DbConn,
    inspection_ids: &[String],
    names: &Names,
) -> QueryResult<Vec<RecommendationInput>> {
    let recs: Vec<RecommendationRow> = recommendations::table
        .filter(recommendations::inspection_id.eq_any(inspection_ids))
        .order(recommendations::created_at.asc())
        .select(RecommendationRow::as_select())
        .load(conn)?;
    Ok(recs
        .into_iter()
        .map(|r| RecommendationInput {
            responsible_unit_name: names.unit(&r.responsible_unit_id),
            id: r.id,
            inspection_id: r.inspection_id,
            content: r.content,
            responsible_unit_id: r.responsible_unit_id,
            responsible: r.responsible,
            due_on: r.due_on,
            follow_up: r.follow_up,
        })
        .collect())
}

/// The leads' report recommendations of the teams in view, oldest first.
pub fn lead_recommendations(
    conn: &mut DbConn,
    round_id: &str,
    names: &Names,
    in_view: &dyn Fn(&str) -> bool,
) -> Result<Vec<LeadRecommendationInput>, DomainError> {
    let lead_rows: Vec<LeadRecRow> = report_recommendations::table
        .filter(report_recommendations::round_id.eq(round_id))
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
    let mut out = Vec::new();
    for (id, team_id, replaces, grouping, content, unit, responsible, due_on, version) in lead_rows
    {
        if !in_view(&team_id) {
            continue;
        }
        let replaces: Vec<String> = serde_json::from_str(&replaces)
            .map_err(|e| DomainError::Db(DbError::Corrupt(e.to_string())))?;
        out.push(LeadRecommendationInput {
            responsible_unit_name: names.unit(&unit),
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
    Ok(out)
}

/// The leads' conclusions of the teams in view.
pub fn conclusions(
    conn: &mut DbConn,
    round_id: &str,
    in_view: &dyn Fn(&str) -> bool,
) -> QueryResult<Vec<ConclusionInput>> {
    let rows: Vec<(String, String, String, i64, NaiveDateTime)> = report_conclusions::table
        .filter(report_conclusions::round_id.eq(round_id))
        .select((
            report_conclusions::id,
            report_conclusions::team_id,
            report_conclusions::body,
            report_conclusions::version,
            report_conclusions::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, t, ..)| in_view(t))
        .map(|(id, team_id, body, version, updated_at)| ConclusionInput {
            id,
            team_id,
            body,
            version,
            updated_at,
        })
        .collect())
}

/// Open sync conflicts by inspection id.
pub fn open_conflicts(conn: &mut DbConn, round_id: &str) -> QueryResult<HashMap<String, usize>> {
    let open: Vec<String> = conflicts::table
        .filter(conflicts::round_id.eq(round_id))
        .filter(conflicts::status.eq("open"))
        .select(conflicts::inspection_id)
        .load(conn)?;
    let mut by_inspection = HashMap::new();
    for id in open {
        *by_inspection.entry(id).or_insert(0) += 1;
    }
    Ok(by_inspection)
}
