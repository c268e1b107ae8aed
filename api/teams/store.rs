//! Team rows and memberships.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{team_members, teams};
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = teams)]
pub struct TeamRow {
    pub id: String,
    pub name: String,
    pub lead_id: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamView {
    pub id: String,
    #[schema(example = "Đoàn kiểm tra số 1")]
    pub name: String,
    /// Trưởng đoàn.
    pub lead_id: String,
    pub member_ids: Vec<String>,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

pub fn view(conn: &mut DbConn, row: &TeamRow) -> QueryResult<TeamView> {
    Ok(TeamView {
        id: row.id.clone(),
        name: row.name.clone(),
        lead_id: row.lead_id.clone(),
        member_ids: members(conn, &row.id)?,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<TeamRow>> {
    teams::table
        .find(id)
        .select(TeamRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn members(conn: &mut DbConn, team_id: &str) -> QueryResult<Vec<String>> {
    team_members::table
        .filter(team_members::team_id.eq(team_id))
        .order(team_members::user_id.asc())
        .select(team_members::user_id)
        .load(conn)
}

/// Teams a user leads or belongs to.
pub fn team_ids_of(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<String>> {
    let mut ids: Vec<String> = teams::table
        .filter(teams::lead_id.eq(user_id))
        .select(teams::id)
        .load(conn)?;
    let member: Vec<String> = team_members::table
        .filter(team_members::user_id.eq(user_id))
        .select(team_members::team_id)
        .load(conn)?;
    ids.extend(member);
    ids.sort();
    ids.dedup();
    Ok(ids)
}

pub fn list(conn: &mut DbConn, only: Option<&[String]>) -> QueryResult<Vec<TeamRow>> {
    let mut q = teams::table.into_boxed();
    if let Some(ids) = only {
        q = q.filter(teams::id.eq_any(ids.to_vec()));
    }
    q.order(teams::name.asc())
        .select(TeamRow::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConn, id: &str, name: &str, lead_id: &str) -> QueryResult<()> {
    let now = db::now();
    diesel::insert_into(teams::table)
        .values((
            teams::id.eq(id),
            teams::name.eq(name),
            teams::lead_id.eq(lead_id),
            teams::version.eq(1),
            teams::created_at.eq(now),
            teams::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn update(conn: &mut DbConn, row: &TeamRow, name: &str, lead_id: &str) -> QueryResult<()> {
    diesel::update(teams::table.find(&row.id))
        .set((
            teams::name.eq(name),
            teams::lead_id.eq(lead_id),
            teams::version.eq(row.version + 1),
            teams::updated_at.eq(db::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_members(conn: &mut DbConn, team_id: &str, user_ids: &[String]) -> QueryResult<()> {
    diesel::delete(team_members::table.filter(team_members::team_id.eq(team_id))).execute(conn)?;
    for u in user_ids {
        diesel::insert_into(team_members::table)
            .values((
                team_members::team_id.eq(team_id),
                team_members::user_id.eq(u),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    diesel::delete(teams::table.find(id)).execute(conn)
}
