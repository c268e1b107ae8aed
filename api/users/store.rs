//! User rows in and out of the database. Plain diesel, no policy.

use diesel::prelude::*;

use super::model::{NewUserRow, UserRow};
use crate::db::schema::users;
use crate::db::DbConn;

pub fn find_by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn insert(conn: &mut DbConn, row: &NewUserRow<'_>) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub struct ListFilter {
    pub role: Option<String>,
    pub disabled: Option<bool>,
    /// Matches the start of the username, or anywhere in the full name.
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

pub fn list(conn: &mut DbConn, f: &ListFilter) -> QueryResult<(Vec<UserRow>, i64)> {
    let filtered = || {
        let mut q = users::table.into_boxed();
        if let Some(role) = &f.role {
            q = q.filter(users::role.eq(role.clone()));
        }
        if let Some(d) = f.disabled {
            q = q.filter(users::disabled.eq(d));
        }
        if let Some(text) = &f.q {
            let esc = text
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            q = q.filter(
                users::username
                    .like(format!("{}%", esc.to_lowercase()))
                    .escape('\\')
                    .or(users::full_name.like(format!("%{esc}%")).escape('\\')),
            );
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order(users::username.asc())
        .limit(f.limit)
        .offset(f.offset)
        .select(UserRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn count_active_admins(conn: &mut DbConn) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq("admin"))
        .filter(users::disabled.eq(false))
        .count()
        .get_result(conn)
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub full_name: Option<String>,
    pub role: Option<String>,
    pub disabled: Option<bool>,
    pub password_hash: Option<String>,
    /// `Some(None)` clears it (a role other than unit).
    pub unit_id: Option<Option<String>>,
    /// `Some(None)` clears it.
    pub email: Option<Option<String>>,
    pub version: Option<i64>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

pub fn update(conn: &mut DbConn, id: &str, changes: &UserChanges) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(changes)
        .execute(conn)
}

/// Every user, by username: for the pickers of team forms (a province has hundreds of
/// accounts, not thousands).
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<UserRow>> {
    users::table
        .order(users::username.asc())
        .select(UserRow::as_select())
        .load(conn)
}

/// How many devices each of `user_ids` is signed in on (not revoked), in one query.
pub fn device_counts(
    conn: &mut DbConn,
    user_ids: &[String],
) -> QueryResult<std::collections::HashMap<String, i64>> {
    use crate::db::schema::devices;
    let rows: Vec<(String, i64)> = devices::table
        .filter(devices::user_id.eq_any(user_ids))
        .filter(devices::revoked_at.is_null())
        .group_by(devices::user_id)
        .select((devices::user_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
