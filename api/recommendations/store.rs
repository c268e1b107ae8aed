//! Rows: recommendations of approved inspections with their unit and round, and remedies.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{assignments, inspections, recommendations, remedies, rounds, units};
use crate::db::DbConn;
use crate::inspections::store::RecommendationRow;

/// A khắc phục note: what was done about a recommendation, and the follow-up it set.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = remedies)]
pub struct RemedyRow {
    pub id: String,
    pub recommendation_id: String,
    /// What the unit did (kết quả khắc phục).
    pub note: String,
    /// The follow-up status this note set: `open`, `in_progress` or `done`.
    pub follow_up: String,
    pub created_by: String,
    pub device_id: Option<String>,
    #[serde(serialize_with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
}

/// A recommendation with where it came from: the approved inspection, its unit and round.
#[derive(Debug, Clone)]
pub struct Located {
    pub rec: RecommendationRow,
    pub unit_id: String,
    pub unit_code: String,
    pub unit_name: String,
    pub round_id: String,
    pub round_name: String,
    pub round_starts_on: NaiveDate,
    pub round_created_at: NaiveDateTime,
    /// The inspection's review status: only `approved` ones are official and followed up.
    pub inspection_status: String,
}

impl Located {
    /// The round's place in time, for "earlier than" (see `status::earlier`).
    pub fn round_key(&self) -> (NaiveDate, NaiveDateTime, &str) {
        (self.round_starts_on, self.round_created_at, &self.round_id)
    }
}

/// Which recommendations to read.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Only these units (the caller's reach); `None`: every unit.
    pub units_in: Option<Vec<String>>,
    pub unit_id: Option<String>,
    pub round_id: Option<String>,
    pub id: Option<String>,
    /// Also recommendations of inspections not approved yet (one read by its inspection's
    /// readers); lists never set it.
    pub any_status: bool,
}

type Joined = (
    RecommendationRow,
    (String, String, String),
    (String, String, NaiveDate, NaiveDateTime),
    String,
);

/// Recommendations of approved inspections (only those are official, unless `any_status`),
/// oldest round first,
/// then by unit and creation.
pub fn located(conn: &mut DbConn, f: &Filter) -> QueryResult<Vec<Located>> {
    let mut q = recommendations::table
        .inner_join(inspections::table.on(inspections::id.eq(recommendations::inspection_id)))
        .inner_join(units::table.on(units::id.eq(inspections::unit_id)))
        .inner_join(rounds::table.on(rounds::id.eq(inspections::round_id)))
        .select((
            RecommendationRow::as_select(),
            (units::id, units::code, units::name),
            (
                rounds::id,
                rounds::name,
                rounds::starts_on,
                rounds::created_at,
            ),
            inspections::status,
        ))
        .into_boxed();
    if !f.any_status {
        q = q.filter(inspections::status.eq("approved"));
    }
    if let Some(u) = &f.units_in {
        q = q.filter(inspections::unit_id.eq_any(u.clone()));
    }
    if let Some(u) = &f.unit_id {
        q = q.filter(inspections::unit_id.eq(u.clone()));
    }
    if let Some(r) = &f.round_id {
        q = q.filter(inspections::round_id.eq(r.clone()));
    }
    if let Some(id) = &f.id {
        q = q.filter(recommendations::id.eq(id.clone()));
    }
    let mut rows: Vec<Joined> = q.load(conn)?;
    // Sorted here, not in SQL: PostgreSQL's collation and SQLite's byte order put unit codes
    // ("XA-01", "XA.02") in different orders, and a list must read the same on both engines.
    rows.sort_by(
        |(a, (_, a_code, _), (_, _, a_start, a_made), _),
         (b, (_, b_code, _), (_, _, b_start, b_made), _)| {
            (
                a_start,
                a_made,
                a_code.as_bytes(),
                a.created_at,
                a.id.as_bytes(),
            )
                .cmp(&(
                    b_start,
                    b_made,
                    b_code.as_bytes(),
                    b.created_at,
                    b.id.as_bytes(),
                ))
        },
    );
    Ok(rows
        .into_iter()
        .map(
            |(rec, (unit_id, unit_code, unit_name), (rid, rname, starts, created), status)| {
                Located {
                    rec,
                    unit_id,
                    unit_code,
                    unit_name,
                    round_id: rid,
                    round_name: rname,
                    round_starts_on: starts,
                    round_created_at: created,
                    inspection_status: status,
                }
            },
        )
        .collect())
}

/// Units assigned to any of `teams` in rounds the caller may see (`open_only`: open rounds).
pub fn units_of_teams(
    conn: &mut DbConn,
    teams: &[String],
    open_only: bool,
) -> QueryResult<Vec<String>> {
    let mut q = assignments::table
        .inner_join(rounds::table)
        .filter(assignments::team_id.eq_any(teams.to_vec()))
        .select(assignments::unit_id)
        .into_boxed();
    if open_only {
        q = q.filter(rounds::status.eq("open"));
    }
    let mut ids: Vec<String> = q.load(conn)?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

pub fn remedies_of(conn: &mut DbConn, recommendation_id: &str) -> QueryResult<Vec<RemedyRow>> {
    remedies::table
        .filter(remedies::recommendation_id.eq(recommendation_id))
        .order((remedies::created_at.asc(), remedies::id.asc()))
        .select(RemedyRow::as_select())
        .load(conn)
}

pub fn find_remedy(conn: &mut DbConn, id: &str) -> QueryResult<Option<RemedyRow>> {
    remedies::table
        .find(id)
        .select(RemedyRow::as_select())
        .get_result(conn)
        .optional()
}

/// The latest remedy of each of `ids` (those that have one).
pub fn latest_remedies(conn: &mut DbConn, ids: &[&str]) -> QueryResult<HashMap<String, RemedyRow>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<RemedyRow> = remedies::table
            .filter(remedies::recommendation_id.eq_any(chunk))
            .order((remedies::created_at.asc(), remedies::id.asc()))
            .select(RemedyRow::as_select())
            .load(conn)?;
        // In time order, so the last one written per recommendation stays.
        for r in rows {
            out.insert(r.recommendation_id.clone(), r);
        }
    }
    Ok(out)
}

/// A remedy as devices store it: the row, with its recommendation's inspection (whose scope
/// it shares).
pub fn remedy_view(conn: &mut DbConn, id: &str) -> QueryResult<Option<serde_json::Value>> {
    let Some(r) = find_remedy(conn, id)? else {
        return Ok(None);
    };
    let inspection: Option<String> = recommendations::table
        .find(&r.recommendation_id)
        .select(recommendations::inspection_id)
        .get_result(conn)
        .optional()?;
    let mut v = serde_json::to_value(&r).unwrap_or_default();
    if let (Some(o), Some(i)) = (v.as_object_mut(), inspection) {
        o.insert("inspection_id".into(), i.into());
    }
    Ok(Some(v))
}
