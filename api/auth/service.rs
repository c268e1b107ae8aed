//! Login, refresh and logout: the flows that tie passwords, the throttle, devices and tokens
//! together. Each database step is one transaction; slow hashing happens outside them.

use std::time::Duration;

use actix_web::web;

use super::throttle::{self, Gate};
use super::{password, refresh, sessions, JwtKeys, Role};
use crate::config::Settings;
use crate::db::{self, Db, DbError};
use crate::users::{store as users, UserRow};

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("account disabled")]
    Disabled,
    #[error("locked for {retry_after_secs}s")]
    Locked { retry_after_secs: u64 },
    #[error("refresh token invalid")]
    RefreshInvalid,
    #[error("refresh token reused")]
    RefreshReused,
    #[error("token signing failed")]
    Signing,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for AuthError {
    fn from(e: diesel::result::Error) -> Self {
        AuthError::Db(DbError::Query(e))
    }
}

impl From<actix_web::error::BlockingError> for AuthError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        AuthError::Db(DbError::Pool("blocking pool".into()))
    }
}

/// What a successful login or refresh hands the device.
pub struct Session {
    pub access_token: String,
    pub access_expires_in: u64,
    pub refresh_token: String,
    pub refresh_expires_in: u64,
    pub device_key: String,
    pub user: UserRow,
}

pub struct LoginInput {
    pub username: String,
    pub password: String,
    pub device_key: Option<String>,
    pub device_name: Option<String>,
}

pub async fn login(
    db: &Db,
    keys: &JwtKeys,
    settings: &Settings,
    input: LoginInput,
) -> Result<Session, AuthError> {
    let key = crate::users::model::normalize_username(&input.username);
    let policy = settings.login.clone();

    let k = key.clone();
    let failures = db
        .read(move |c| sessions::load_failures(c, &k).map_err(AuthError::from))
        .await?;
    match throttle::gate(&policy, failures.as_ref(), db::now()) {
        Gate::Locked { retry_after_secs } => return Err(AuthError::Locked { retry_after_secs }),
        Gate::Proceed { delay_ms } if delay_ms > 0 => {
            actix_web::rt::time::sleep(Duration::from_millis(delay_ms)).await;
        }
        Gate::Proceed { .. } => {}
    }

    let k = key.clone();
    let user = db
        .read(move |c| users::find_by_username(c, &k).map_err(AuthError::from))
        .await?;
    let pw = input.password;
    let (user, ok) = web::block(move || match user {
        Some(u) => {
            let ok = password::verify(&u.password_hash, &pw);
            (Some(u), ok)
        }
        None => {
            password::verify_dummy(&pw);
            (None, false)
        }
    })
    .await?;

    let Some(user) = user.filter(|_| ok) else {
        let k = key.clone();
        db.write(move |c| {
            let now = db::now();
            let before = sessions::load_failures(c, &k)?;
            sessions::save_failures(
                c,
                &k,
                &throttle::after_failure(&policy, before.as_ref(), now),
            )?;
            Ok::<_, AuthError>(())
        })
        .await?;
        return Err(AuthError::InvalidCredentials);
    };
    if user.disabled {
        return Err(AuthError::Disabled);
    }

    let device_key = input
        .device_key
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let token = refresh::generate();
    let refresh_ttl = settings.refresh_token_ttl();
    let (user_id, dk, name, hash) = (
        user.id.clone(),
        device_key.clone(),
        input.device_name,
        token.hash,
    );
    let device_id = db
        .write(move |c| {
            let now = db::now();
            sessions::clear_failures(c, &key)?;
            let device_id = sessions::start_device_session(c, &user_id, &dk, name.as_deref(), now)?;
            sessions::insert_refresh(c, &device_id, &hash, now, now + refresh_ttl)?;
            Ok::<_, AuthError>(device_id)
        })
        .await?;
    issue(keys, settings, user, &device_id, device_key, token.token)
}

enum RefreshOutcome {
    Rotated {
        user: Box<UserRow>,
        device_id: String,
        device_key: String,
    },
    Invalid,
    Reused,
    Disabled,
}

pub async fn refresh_session(
    db: &Db,
    keys: &JwtKeys,
    settings: &Settings,
    presented: &str,
) -> Result<Session, AuthError> {
    let presented_hash = refresh::hash(presented);
    let next = refresh::generate();
    let next_hash = next.hash.clone();
    let refresh_ttl = settings.refresh_token_ttl();
    // The outcome is returned, not raised, so that a detected reuse commits its revocation.
    let outcome = db
        .write(move |c| {
            let now = db::now();
            let Some(row) = sessions::find_refresh(c, &presented_hash)? else {
                return Ok::<_, AuthError>(RefreshOutcome::Invalid);
            };
            if row.rotated_at.is_some() {
                sessions::revoke_device(c, &row.device_id, now)?;
                return Ok(RefreshOutcome::Reused);
            }
            if row.revoked_at.is_some() || row.expires_at <= now {
                return Ok(RefreshOutcome::Invalid);
            }
            let Some(device) = sessions::find_device(c, &row.device_id)? else {
                return Ok(RefreshOutcome::Invalid);
            };
            if device.revoked_at.is_some() {
                return Ok(RefreshOutcome::Invalid);
            }
            let Some(user) = users::find_by_id(c, &device.user_id)? else {
                return Ok(RefreshOutcome::Invalid);
            };
            if user.disabled {
                return Ok(RefreshOutcome::Disabled);
            }
            if !sessions::claim_refresh(c, &row.id, now)? {
                sessions::revoke_device(c, &row.device_id, now)?;
                return Ok(RefreshOutcome::Reused);
            }
            sessions::insert_refresh(c, &device.id, &next_hash, now, now + refresh_ttl)?;
            sessions::touch_device(c, &device.id, now)?;
            Ok(RefreshOutcome::Rotated {
                user: Box::new(user),
                device_id: device.id,
                device_key: device.device_key,
            })
        })
        .await?;
    match outcome {
        RefreshOutcome::Rotated {
            user,
            device_id,
            device_key,
        } => issue(keys, settings, *user, &device_id, device_key, next.token),
        RefreshOutcome::Invalid => Err(AuthError::RefreshInvalid),
        RefreshOutcome::Reused => Err(AuthError::RefreshReused),
        RefreshOutcome::Disabled => Err(AuthError::Disabled),
    }
}

/// Ends the session the refresh token belongs to. Unknown tokens are ignored: logging out
/// twice is not an error, and the answer says nothing about which tokens exist.
pub async fn logout(db: &Db, presented: &str) -> Result<(), AuthError> {
    let h = refresh::hash(presented);
    db.write(move |c| {
        if let Some(row) = sessions::find_refresh(c, &h)? {
            sessions::revoke_device(c, &row.device_id, db::now())?;
        }
        Ok::<_, AuthError>(())
    })
    .await
}

fn issue(
    keys: &JwtKeys,
    settings: &Settings,
    user: UserRow,
    device_id: &str,
    device_key: String,
    refresh_token: String,
) -> Result<Session, AuthError> {
    let role: Role = user.role();
    let access_token = keys
        .issue(&user.id, device_id, role, settings.access_token_ttl())
        .map_err(|_| AuthError::Signing)?;
    Ok(Session {
        access_token,
        access_expires_in: settings.access_token_ttl_secs,
        refresh_token,
        refresh_expires_in: settings.refresh_token_ttl().as_secs(),
        device_key,
        user,
    })
}
