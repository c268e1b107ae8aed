//! Devices and their refresh-token families, as stored. A device's tokens form one family:
//! each refresh rotates to a new token, and revoking the device ends them all.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{devices, refresh_tokens};
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = devices)]
pub struct DeviceRow {
    pub id: String,
    pub user_id: String,
    pub device_key: String,
    pub name: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// A signed-in device as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceView {
    pub id: uuid::Uuid,
    /// The id the app chose for itself (or the server made at login).
    pub device_id: String,
    pub name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<&DeviceRow> for DeviceView {
    fn from(d: &DeviceRow) -> Self {
        DeviceView {
            id: uuid::Uuid::parse_str(&d.id).unwrap_or_default(),
            device_id: d.device_key.clone(),
            name: d.name.clone(),
            created_at: d.created_at.and_utc(),
            last_seen_at: d.last_seen_at.and_utc(),
            revoked_at: d.revoked_at.map(|t| t.and_utc()),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshRow {
    pub id: String,
    pub device_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub rotated_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// Finds or registers the device and starts a fresh token family on it: a new login on a
/// device ends whatever session it had.
pub fn start_device_session(
    conn: &mut DbConn,
    user_id: &str,
    device_key: &str,
    name: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let existing: Option<String> = devices::table
        .filter(devices::user_id.eq(user_id))
        .filter(devices::device_key.eq(device_key))
        .select(devices::id)
        .first(conn)
        .optional()?;
    match existing {
        Some(id) => {
            revoke_tokens(conn, &id, now)?;
            diesel::update(devices::table.find(&id))
                .set((
                    devices::last_seen_at.eq(now),
                    devices::revoked_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            if let Some(n) = name {
                diesel::update(devices::table.find(&id))
                    .set(devices::name.eq(n))
                    .execute(conn)?;
            }
            Ok(id)
        }
        None => {
            let id = db::new_id();
            diesel::insert_into(devices::table)
                .values((
                    devices::id.eq(&id),
                    devices::user_id.eq(user_id),
                    devices::device_key.eq(device_key),
                    devices::name.eq(name),
                    devices::created_at.eq(now),
                    devices::last_seen_at.eq(now),
                ))
                .execute(conn)?;
            Ok(id)
        }
    }
}

pub fn insert_refresh(
    conn: &mut DbConn,
    device_id: &str,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(db::new_id()),
            refresh_tokens::device_id.eq(device_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::created_at.eq(now),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find_refresh(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<RefreshRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshRow::as_select())
        .first(conn)
        .optional()
}

/// Marks the token used, only if nobody else has: two concurrent refreshes with one token
/// cannot both succeed, on either engine.
pub fn claim_refresh(conn: &mut DbConn, token_id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        refresh_tokens::table
            .find(token_id)
            .filter(refresh_tokens::rotated_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::rotated_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

fn revoke_tokens(conn: &mut DbConn, device_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::device_id.eq(device_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)
}

/// Ends a device's session: its whole token family and its access tokens.
pub fn revoke_device(conn: &mut DbConn, device_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    revoke_tokens(conn, device_id, now)?;
    diesel::update(
        devices::table
            .find(device_id)
            .filter(devices::revoked_at.is_null()),
    )
    .set(devices::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// Ends every session of a user; returns how many devices were still signed in.
pub fn revoke_all_devices(conn: &mut DbConn, user_id: &str) -> QueryResult<usize> {
    let now = db::now();
    let ids: Vec<String> = devices::table
        .filter(devices::user_id.eq(user_id))
        .filter(devices::revoked_at.is_null())
        .select(devices::id)
        .load(conn)?;
    for id in &ids {
        revoke_device(conn, id, now)?;
    }
    Ok(ids.len())
}

pub fn find_device(conn: &mut DbConn, id: &str) -> QueryResult<Option<DeviceRow>> {
    devices::table
        .find(id)
        .select(DeviceRow::as_select())
        .get_result(conn)
        .optional()
}

/// A token's device with its user, in one statement (every authenticated request reads
/// both); `None` unless the device exists and is that user's.
pub fn find_session(
    conn: &mut DbConn,
    device_id: &str,
    user_id: &str,
) -> QueryResult<Option<(DeviceRow, crate::users::UserRow)>> {
    use crate::db::schema::users;
    devices::table
        .inner_join(users::table)
        .filter(devices::id.eq(device_id))
        .filter(users::id.eq(user_id))
        .select((DeviceRow::as_select(), crate::users::UserRow::as_select()))
        .get_result(conn)
        .optional()
}

pub fn list_devices(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<DeviceRow>> {
    devices::table
        .filter(devices::user_id.eq(user_id))
        .order(devices::last_seen_at.desc())
        .select(DeviceRow::as_select())
        .load(conn)
}

pub fn touch_device(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(devices::table.find(id))
        .set(devices::last_seen_at.eq(now))
        .execute(conn)
        .map(|_| ())
}
