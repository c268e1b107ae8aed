//! The failed-login throttle's settings (`[login]`, `KIEMTRA_LOGIN__…`).
//!
//! No account is ever locked. Failures are counted per client address and per (username,
//! address); those keys back off exponentially (429 + `Retry-After` until the back-off ends).
//! Failures on one username from every address together never refuse anyone: past
//! `lock_after` they only hold attempts from addresses that have failed before, for at most
//! `max_delay_ms`. So an attacker is slowed, and the real user on another address gets in
//! at once (OWASP ASVS 4.0 V2.2.1: soft lockout and increasing delays instead of a hard
//! account lockout, which would let anyone lock anyone out).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct LoginThrottle {
    /// Failed logins one address may make on one username before it must back off.
    pub free_attempts: u32,
    /// The first back-off, milliseconds; it doubles with each further failure.
    pub delay_step_ms: u64,
    /// The longest an attempt on a username under attack is held before its password is
    /// checked, milliseconds (see `lock_after`). Held, never refused.
    pub max_delay_ms: u64,
    /// Failed logins one address may make over all usernames (password spraying) before it
    /// must back off. Also: failed logins on one username from all addresses together after
    /// which that username counts as under attack. Then each address gets a single free
    /// failure on it, and an address that has failed before (on any username) is held up to
    /// `max_delay_ms`. An address with no failures is never held.
    pub lock_after: u32,
    /// The longest back-off, seconds: the cap of the doubling.
    pub lock_secs: u64,
    /// A key's failures are forgotten this long after its last one (once its back-off has
    /// ended), seconds.
    pub window_secs: u64,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            free_attempts: 3,
            delay_step_ms: 1_000,
            max_delay_ms: 3_000,
            lock_after: 20,
            lock_secs: 15 * 60,
            window_secs: 60 * 60,
        }
    }
}

impl LoginThrottle {
    pub(super) fn check(&self) -> Result<(), String> {
        if self.free_attempts == 0 || self.lock_after == 0 {
            return Err("login.free_attempts and login.lock_after must be at least 1".into());
        }
        if self.window_secs == 0 {
            return Err("login.window_secs must be positive".into());
        }
        Ok(())
    }
}
