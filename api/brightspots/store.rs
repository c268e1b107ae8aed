//! Rows: bright spots with their unit, and their reviews with the round and the reviewer.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{assignments, bright_spot_reviews, bright_spots, rounds, units, users};
use crate::db::DbConn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = bright_spots)]
pub struct SpotRow {
    pub id: String,
    pub unit_id: String,
    pub name: String,
    pub field: String,
    pub description: String,
    pub evidence: String,
    pub registered_on: NaiveDate,
    pub status: String,
    pub created_by: String,
    #[serde(serialize_with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// One evaluation of a bright spot in a round.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = bright_spot_reviews)]
#[schema(as = BrightSpotReview)]
pub struct ReviewRow {
    pub id: String,
    pub bright_spot_id: String,
    pub round_id: String,
    /// The user who recorded it.
    pub reviewer: String,
    /// `recognised`, `not_achieved` or `building`.
    pub result: String,
    pub comment: String,
    #[serde(serialize_with = "crate::time::utc")]
    pub reviewed_at: NaiveDateTime,
}

/// A bright spot with its unit's code and name.
#[derive(Debug, Clone)]
pub struct Located {
    pub spot: SpotRow,
    pub unit_code: String,
    pub unit_name: String,
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Only these units (the caller's reach); `None`: every unit.
    pub units_in: Option<Vec<String>>,
    pub unit_id: Option<String>,
    pub status: Option<String>,
    pub field: Option<String>,
    /// Registered in this calendar year.
    pub year: Option<i32>,
    pub id: Option<String>,
}

/// Bright spots matching `f`, by unit code, then registration date and name.
pub fn located(conn: &mut DbConn, f: &Filter) -> QueryResult<Vec<Located>> {
    let mut q = bright_spots::table
        .inner_join(units::table)
        .select((SpotRow::as_select(), units::code, units::name))
        .into_boxed();
    if let Some(u) = &f.units_in {
        q = q.filter(bright_spots::unit_id.eq_any(u.clone()));
    }
    if let Some(u) = &f.unit_id {
        q = q.filter(bright_spots::unit_id.eq(u.clone()));
    }
    if let Some(s) = &f.status {
        q = q.filter(bright_spots::status.eq(s.clone()));
    }
    if let Some(v) = &f.field {
        q = q.filter(bright_spots::field.eq(v.clone()));
    }
    if let Some(y) = f.year {
        let (from, to) = (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 31),
        );
        let (Some(from), Some(to)) = (from, to) else {
            return Ok(Vec::new());
        };
        q = q.filter(bright_spots::registered_on.between(from, to));
    }
    if let Some(id) = &f.id {
        q = q.filter(bright_spots::id.eq(id.clone()));
    }
    let mut rows: Vec<(SpotRow, String, String)> = q.load(conn)?;
    // Sorted here, not in SQL, so both engines agree (PostgreSQL's collation is not SQLite's
    // byte order) and names read in Vietnamese order.
    rows.sort_by(|(a, a_code, _), (b, b_code, _)| {
        a_code
            .as_bytes()
            .cmp(b_code.as_bytes())
            .then(a.registered_on.cmp(&b.registered_on))
            .then_with(|| crate::collate::cmp(&a.name, &b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(rows
        .into_iter()
        .map(|(spot, unit_code, unit_name)| Located {
            spot,
            unit_code,
            unit_name,
        })
        .collect())
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<SpotRow>> {
    bright_spots::table
        .find(id)
        .select(SpotRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn find_review(conn: &mut DbConn, id: &str) -> QueryResult<Option<ReviewRow>> {
    bright_spot_reviews::table
        .find(id)
        .select(ReviewRow::as_select())
        .get_result(conn)
        .optional()
}

/// A review with the round's name and the reviewer's full name.
pub type NamedReview = (ReviewRow, String, String);

/// The reviews of `spot`, oldest first.
pub fn reviews_of(conn: &mut DbConn, spot: &str) -> QueryResult<Vec<NamedReview>> {
    bright_spot_reviews::table
        .inner_join(rounds::table.on(rounds::id.eq(bright_spot_reviews::round_id)))
        .inner_join(users::table.on(users::id.eq(bright_spot_reviews::reviewer)))
        .filter(bright_spot_reviews::bright_spot_id.eq(spot))
        .order((
            bright_spot_reviews::reviewed_at.asc(),
            bright_spot_reviews::id.asc(),
        ))
        .select((ReviewRow::as_select(), rounds::name, users::full_name))
        .load(conn)
}

/// The reviews made in `round` of the given bright spots, oldest first.
pub fn reviews_in_round(
    conn: &mut DbConn,
    round: &str,
    spots: &[String],
) -> QueryResult<Vec<ReviewRow>> {
    bright_spot_reviews::table
        .filter(bright_spot_reviews::round_id.eq(round))
        .filter(bright_spot_reviews::bright_spot_id.eq_any(spots.to_vec()))
        .order((
            bright_spot_reviews::reviewed_at.asc(),
            bright_spot_reviews::id.asc(),
        ))
        .select(ReviewRow::as_select())
        .load(conn)
}

/// The teams `unit` is assigned to in `round`.
pub fn teams_assigned(conn: &mut DbConn, unit: &str, round: &str) -> QueryResult<Vec<String>> {
    assignments::table
        .filter(assignments::unit_id.eq(unit))
        .filter(assignments::round_id.eq(round))
        .select(assignments::team_id)
        .load(conn)
}

/// The rounds `unit` is assigned to (with their names, newest start first), each with the
/// teams it is assigned to there.
pub fn rounds_of_unit(conn: &mut DbConn, unit: &str) -> QueryResult<Vec<(String, String, String)>> {
    assignments::table
        .inner_join(rounds::table)
        .filter(assignments::unit_id.eq(unit))
        .order((rounds::starts_on.desc(), rounds::created_at.desc()))
        .select((rounds::id, rounds::name, assignments::team_id))
        .load(conn)
}
