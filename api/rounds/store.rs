//! Round and assignment rows.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{assignments, rounds};
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = rounds)]
pub struct RoundRow {
    pub id: String,
    #[schema(example = "Kiểm tra công tác dân vận chính quyền năm 2026")]
    pub name: String,
    /// `half_year` (sơ kết 6 tháng), `year` (tổng kết năm) or `thematic`.
    pub kind: String,
    /// The published checklist version inspections of this round use.
    pub template_version_id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Results due to the committee (the plan: 30/11/2026).
    pub due_on: NaiveDate,
    /// `planned`, `open` or `closed`.
    pub status: String,
    pub version: i64,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
    #[serde(skip)]
    pub updated_at: NaiveDateTime,
    /// The plan this round carries out, e.g. `125/KH-BCĐ`.
    pub plan_number: Option<String>,
    /// The plan's date.
    pub plan_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = assignments)]
pub struct AssignmentRow {
    pub id: String,
    pub round_id: String,
    pub unit_id: String,
    pub team_id: String,
    pub version: i64,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
    #[serde(skip)]
    pub updated_at: NaiveDateTime,
    /// This unit's own deadline; `null`: the round's `due_on`.
    pub due_on: Option<NaiveDate>,
}

impl AssignmentRow {
    /// The deadline that counts: the assignment's own, else the round's.
    pub fn effective_due(&self, round_due: NaiveDate) -> NaiveDate {
        self.due_on.unwrap_or(round_due)
    }
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<RoundRow>> {
    rounds::table
        .find(id)
        .select(RoundRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<RoundRow>> {
    rounds::table
        .order(rounds::starts_on.desc())
        .select(RoundRow::as_select())
        .load(conn)
}

pub fn assignments_of(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<AssignmentRow>> {
    assignments::table
        .filter(assignments::round_id.eq(round_id))
        .select(AssignmentRow::as_select())
        .load(conn)
}

pub fn assignment(
    conn: &mut DbConn,
    round_id: &str,
    unit_id: &str,
) -> QueryResult<Option<AssignmentRow>> {
    assignments::table
        .filter(assignments::round_id.eq(round_id))
        .filter(assignments::unit_id.eq(unit_id))
        .select(AssignmentRow::as_select())
        .first(conn)
        .optional()
}

/// Rounds in which any of `team_ids` has an assignment.
pub fn round_ids_of_teams(conn: &mut DbConn, team_ids: &[String]) -> QueryResult<Vec<String>> {
    let mut ids: Vec<String> = assignments::table
        .filter(assignments::team_id.eq_any(team_ids.to_vec()))
        .select(assignments::round_id)
        .load(conn)?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}
