//! User management rules: creating users, changing role, disabling, resetting passwords.
//! Shared by the HTTP handlers, the CLI and the demo loader.

use crate::audit::{self, Actor};
use crate::auth::{password, sessions};
use crate::db::{self, DbConn, DbError};
use crate::error::FieldError;
use crate::role::Role;

use super::model::{NewUserRow, UserRow};
use super::store;

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("username taken")]
    UsernameTaken,
    #[error("user not found")]
    NotFound,
    #[error("would leave no active administrator")]
    LastAdmin,
    #[error("version mismatch")]
    VersionMismatch { current: i64 },
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("password hashing: {0}")]
    Hash(#[from] password::HashError),
}

impl From<diesel::result::Error> for UserError {
    fn from(e: diesel::result::Error) -> Self {
        UserError::Db(DbError::Query(e))
    }
}

impl From<actix_web::error::BlockingError> for UserError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        UserError::Db(DbError::Pool("blocking pool".into()))
    }
}

/// A user to create, already validated, with its password already hashed (hashing is slow and
/// stays outside the transaction).
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub password_hash: String,
    /// The unit of a unit's representative (required for them, absent for others).
    pub unit_id: Option<String>,
    /// Checked by `model::check_email`.
    pub email: Option<String>,
}

/// The role and unit fit together, and the unit exists.
fn check_unit(conn: &mut DbConn, role: Role, unit_id: Option<&str>) -> Result<(), UserError> {
    super::model::check_unit(role, unit_id).map_err(|e| UserError::Invalid(vec![e]))?;
    if let Some(id) = unit_id {
        use crate::db::schema::units;
        use diesel::prelude::*;
        let found: i64 = units::table
            .filter(units::id.eq(id))
            .count()
            .get_result(conn)?;
        if found == 0 {
            return Err(UserError::Invalid(vec![FieldError::new(
                "/unit_id",
                "unknown_unit",
                crate::error::Text::new("No such unit.", "Không có đơn vị này."),
            )]));
        }
    }
    Ok(())
}

pub fn create(conn: &mut DbConn, actor: &Actor, u: &NewUser) -> Result<UserRow, UserError> {
    if store::find_by_username(conn, &u.username)?.is_some() {
        return Err(UserError::UsernameTaken);
    }
    check_unit(conn, u.role, u.unit_id.as_deref())?;
    let id = db::new_id();
    let now = db::now();
    store::insert(
        conn,
        &NewUserRow {
            id: &id,
            username: &u.username,
            full_name: &u.full_name,
            role: u.role.as_str(),
            password_hash: &u.password_hash,
            disabled: false,
            version: 1,
            created_at: now,
            updated_at: now,
            email: u.email.as_deref(),
            unit_id: u.unit_id.as_deref(),
        },
    )
    .map_err(|e| match e {
        // Lost a race with another create of the same name.
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => UserError::UsernameTaken,
        e => e.into(),
    })?;
    let row = store::find_by_id(conn, &id)?.ok_or(UserError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "user",
        &id,
        None,
        Some(&audit_view(&row, false)),
    )?;
    Ok(row)
}

/// What the audit log keeps of a user: never the password hash, only that it changed.
fn audit_view(u: &UserRow, password_changed: bool) -> serde_json::Value {
    let mut v = serde_json::json!({
        "username": u.username, "full_name": u.full_name, "role": u.role,
        "disabled": u.disabled, "version": u.version, "unit_id": u.unit_id,
        "email": u.email,
    });
    if password_changed {
        v["password_changed"] = serde_json::Value::Bool(true);
    }
    v
}

#[derive(Default)]
pub struct UserUpdate {
    pub full_name: Option<String>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    /// Already hashed.
    pub password_hash: Option<String>,
    /// `Some(None)` clears it. A role other than unit clears it anyway.
    pub unit_id: Option<Option<String>>,
    /// `Some(None)` clears it; `None` keeps it.
    pub email: Option<Option<String>>,
    /// Optimistic concurrency: refuse when the row moved on.
    pub expected_version: Option<i64>,
}

pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    u: UserUpdate,
) -> Result<UserRow, UserError> {
    let current = store::find_by_id(conn, id)?.ok_or(UserError::NotFound)?;
    if let Some(v) = u.expected_version {
        if v != current.version {
            return Err(UserError::VersionMismatch {
                current: current.version,
            });
        }
    }
    let stays_admin = u
        .role
        .map_or(current.role() == Role::Admin, |r| r == Role::Admin);
    let stays_enabled = !u.disabled.unwrap_or(current.disabled);
    if current.role() == Role::Admin
        && !current.disabled
        && !(stays_admin && stays_enabled)
        && store::count_active_admins(conn)? <= 1
    {
        return Err(UserError::LastAdmin);
    }
    let role = u.role.unwrap_or(current.role());
    let unit_id = match (&u.unit_id, role) {
        (_, r) if r != Role::Unit => None,
        (Some(given), _) => given.clone(),
        (None, _) => current.unit_id.clone(),
    };
    check_unit(conn, role, unit_id.as_deref())?;
    let password_changed = u.password_hash.is_some();
    let ends_sessions = u.disabled == Some(true) || password_changed;
    let changes = store::UserChanges {
        full_name: u.full_name,
        role: u.role.map(|r| r.as_str().to_owned()),
        disabled: u.disabled,
        password_hash: u.password_hash,
        unit_id: Some(unit_id),
        email: u.email,
        version: Some(current.version + 1),
        updated_at: Some(db::now()),
    };
    store::update(conn, id, &changes)?;
    if ends_sessions {
        // A disabled account or a reset password must not keep working on some phone.
        sessions::revoke_all_devices(conn, id)?;
    }
    let row = store::find_by_id(conn, id)?.ok_or(UserError::NotFound)?;
    audit::append(
        conn,
        actor,
        "update",
        "user",
        id,
        Some(&audit_view(&current, false)),
        Some(&audit_view(&row, password_changed)),
    )?;
    Ok(row)
}

/// Signs a user out of every device, recorded in the audit log.
pub fn revoke_devices(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<usize, UserError> {
    store::find_by_id(conn, id)?.ok_or(UserError::NotFound)?;
    let n = sessions::revoke_all_devices(conn, id)?;
    audit::append(
        conn,
        actor,
        "revoke_devices",
        "user",
        id,
        None,
        Some(&serde_json::json!({"revoked": n})),
    )?;
    Ok(n)
}
