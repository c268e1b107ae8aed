//! Login, refresh and logout: the flows that tie passwords, the throttle, devices and tokens
//! together. Each database step is one transaction; slow hashing happens outside them.

use std::time::Duration;

use actix_web::web;

use super::throttle::{self, Decision, Keys};
use super::{attempts, password, refresh, sessions, JwtKeys, Role};
use crate::config::{LoginThrottle, Settings};
use crate::db::{self, Db, DbError};
use crate::users::{store as users, UserRow};

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("account disabled")]
    Disabled,
    #[error("too many failed logins; retry in {retry_after_secs}s")]
    Throttled { retry_after_secs: u64 },
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
    /// The client's address as the throttle counts it (`client::throttle_address`).
    pub address: String,
}

/// One in this many attempts also sweeps forgotten throttle rows.
const SWEEP_ONE_IN: u32 = 64;

/// Throttle check, charged as a failure until the password proves right; returns how long to
/// hold the attempt before checking its password.
async fn admit(db: &Db, policy: &LoginThrottle, keys: &Keys) -> Result<u64, AuthError> {
    let (p, k) = (policy.clone(), keys.clone());
    let decision = db
        .write(move |c| {
            attempts::lock(c, &k)?;
            let decision = throttle::decide(&p, &attempts::load(c, &k)?, db::now());
            if let Decision::Admit { charged, .. } = &decision {
                attempts::save(c, &k, charged)?;
            }
            Ok::<_, AuthError>(decision)
        })
        .await?;
    if rand::random::<u32>().is_multiple_of(SWEEP_ONE_IN) {
        let p = policy.clone();
        let swept = db
            .write(move |c| {
                let now = db::now();
                attempts::sweep(c, throttle::forgotten_before(&p, now), now)
                    .map_err(AuthError::from)
            })
            .await;
        if let Err(e) = swept {
            tracing::warn!(error = %e, "sweeping the login throttle failed");
        }
    }
    match decision {
        Decision::Refuse { retry_after_secs } => {
            // The address only: a username field sometimes holds a password.
            tracing::info!(key = %keys.address, retry_after_secs, "login refused by the throttle");
            Err(AuthError::Throttled { retry_after_secs })
        }
        Decision::Admit { hold_ms, .. } => Ok(hold_ms),
    }
}

/// The user, if the password is theirs. Unknown usernames cost the same Argon2 work.
async fn verify(db: &Db, username: &str, password: String) -> Result<Option<UserRow>, AuthError> {
    let k = username.to_owned();
    let user = db
        .read(move |c| users::find_by_username(c, &k).map_err(AuthError::from))
        .await?;
    let found = web::block(move || match user {
        Some(u) => password::verify(&u.password_hash, &password).then_some(u),
        None => {
            password::verify_dummy(&password);
            None
        }
    })
    .await?;
    Ok(found)
}

/// Takes back the failure `admit` charged: the password was right.
fn refund(c: &mut db::DbConn, policy: &LoginThrottle, keys: &Keys) -> Result<(), AuthError> {
    attempts::lock(c, keys)?;
    let now = db::now();
    let refunded = throttle::refund(policy, &attempts::load(c, keys)?, now);
    attempts::save(c, keys, &refunded)?;
    Ok(())
}

pub async fn login(
    db: &Db,
    keys: &JwtKeys,
    settings: &Settings,
    input: LoginInput,
) -> Result<Session, AuthError> {
    let username = crate::users::model::normalize_username(&input.username);
    let throttle_keys = Keys::new(&username, &input.address);
    let hold_ms = admit(db, &settings.login, &throttle_keys).await?;
    if hold_ms > 0 {
        actix_web::rt::time::sleep(Duration::from_millis(hold_ms)).await;
    }
    // A wrong password leaves its charge in place: nothing more to write.
    let user = verify(db, &username, input.password)
        .await?
        .ok_or(AuthError::InvalidCredentials)?;
    let policy = settings.login.clone();
    if user.disabled {
        db.write(move |c| refund(c, &policy, &throttle_keys))
            .await?;
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
            refund(c, &policy, &throttle_keys)?;
            let now = db::now();
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
