//! The failed-login policy as plain functions: given what is stored under an attempt's keys,
//! refuse it (back-off), or admit it (perhaps after a hold) and say what to store.
//!
//! An attempt is counted under three keys: its (username, address) pair, its address over all
//! usernames, and its username over all addresses. The first two back off exponentially; the
//! third never refuses anyone (see `config::LoginThrottle`). An admitted attempt is charged as
//! a failure *before* its password is checked, and refunded if the password is right: so a
//! burst of parallel guesses cannot all slip through before the first one is counted.
//!
//! Usernames that do not exist are treated the same, so the answers reveal nothing.

use chrono::{NaiveDateTime, TimeDelta};

use crate::config::LoginThrottle;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub last_failure_at: NaiveDateTime,
    /// No attempt under this key is taken before this moment.
    pub retry_at: Option<NaiveDateTime>,
}

/// The keys one attempt is counted under, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    pub pair: String,
    pub address: String,
    pub username: String,
}

impl Keys {
    /// `username` normalized; `address` as `client::throttle_address` spells it.
    pub fn new(username: &str, address: &str) -> Keys {
        Keys {
            pair: format!("p:{address}|{username}"),
            address: format!("a:{address}"),
            username: format!("u:{username}"),
        }
    }

    pub fn all(&self) -> [&str; 3] {
        [&self.pair, &self.address, &self.username]
    }
}

/// What is stored under each key; `None` is nothing (or, to store, a deletion).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub pair: Option<Failures>,
    pub address: Option<Failures>,
    pub username: Option<Failures>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Refused without looking at the password; try again after this many seconds.
    Refuse { retry_after_secs: u64 },
    /// Check the password after holding this long (zero almost always). `charged` is what to
    /// store now: this attempt counted as a failure until its password proves right.
    Admit { hold_ms: u64, charged: Counts },
}

/// Ten years: longer settings are clamped, so no date arithmetic can overflow.
const LONGEST_MS: u64 = 10 * 366 * 24 * 3600 * 1000;

fn millis(ms: u64) -> TimeDelta {
    TimeDelta::milliseconds(i64::try_from(ms.min(LONGEST_MS)).unwrap_or(0))
}

fn seconds(s: u64) -> TimeDelta {
    millis(s.saturating_mul(1000))
}

/// `step`, doubled `n` times, no more than `cap`.
fn doubled(step: u64, n: u32, cap: u64) -> u64 {
    step.saturating_mul(1u64 << n.min(40)).min(cap)
}

/// The failures still remembered at `now`: within the window, or still backing off.
fn live(p: &LoginThrottle, f: Option<&Failures>, now: NaiveDateTime) -> Option<Failures> {
    let f = f?;
    let waiting = f.retry_at.is_some_and(|t| t > now);
    let recent = now - f.last_failure_at <= seconds(p.window_secs);
    (waiting || recent).then(|| f.clone())
}

/// Rows whose last failure is older than this are forgotten (once their back-off is over).
pub fn forgotten_before(p: &LoginThrottle, now: NaiveDateTime) -> NaiveDateTime {
    now - seconds(p.window_secs)
}

/// The back-off after a key's `count`-th failure, when `free` are allowed at full speed.
fn backoff(p: &LoginThrottle, count: u32, free: u32) -> Option<TimeDelta> {
    if count < free {
        return None;
    }
    let ms = doubled(
        p.delay_step_ms,
        count - free,
        p.lock_secs.saturating_mul(1000),
    );
    (ms > 0).then(|| millis(ms))
}

fn charge(p: &LoginThrottle, f: Option<Failures>, free: u32, now: NaiveDateTime) -> Failures {
    let count = f.map_or(0, |f| f.count).saturating_add(1);
    Failures {
        count,
        last_failure_at: now,
        retry_at: backoff(p, count, free).map(|d| now + d),
    }
}

fn retry_after_secs(wait: TimeDelta) -> u64 {
    let ms = u64::try_from(wait.num_milliseconds()).unwrap_or(0);
    ms.div_ceil(1000).max(1)
}

pub fn decide(p: &LoginThrottle, seen: &Counts, now: NaiveDateTime) -> Decision {
    let pair = live(p, seen.pair.as_ref(), now);
    let address = live(p, seen.address.as_ref(), now);
    let username = live(p, seen.username.as_ref(), now);
    let until = [&pair, &address]
        .into_iter()
        .filter_map(|f| f.as_ref()?.retry_at)
        .filter(|t| *t > now)
        .max();
    if let Some(until) = until {
        return Decision::Refuse {
            retry_after_secs: retry_after_secs(until - now),
        };
    }
    let on_username = username.as_ref().map_or(0, |f| f.count);
    let under_attack = on_username >= p.lock_after;
    // Only an address that has failed before is held; one with a clean record never is.
    let hold_ms = if under_attack && address.is_some() {
        doubled(p.delay_step_ms, on_username - p.lock_after, p.max_delay_ms)
    } else {
        0
    };
    let pair_free = if under_attack { 1 } else { p.free_attempts };
    Decision::Admit {
        hold_ms,
        charged: Counts {
            pair: Some(charge(p, pair, pair_free, now)),
            address: Some(charge(p, address, p.lock_after, now)),
            username: Some(charge(p, username, u32::MAX, now)),
        },
    }
}

/// One charge taken back: the password was right.
fn undo(
    p: &LoginThrottle,
    f: Option<&Failures>,
    free: u32,
    now: NaiveDateTime,
) -> Option<Failures> {
    let f = live(p, f, now)?;
    let count = f.count.checked_sub(1).filter(|c| *c > 0)?;
    let retry_at = backoff(p, count, free)
        .map(|d| f.last_failure_at + d)
        .filter(|t| *t > now);
    Some(Failures {
        count,
        last_failure_at: f.last_failure_at,
        retry_at,
    })
}

/// What to store after a right password: the pair is forgotten (this address knows the
/// password); the address and the username only lose this attempt's charge, so a success
/// cannot wipe out the record of an attack.
pub fn refund(p: &LoginThrottle, seen: &Counts, now: NaiveDateTime) -> Counts {
    Counts {
        pair: None,
        address: undo(p, seen.address.as_ref(), p.lock_after, now),
        username: undo(p, seen.username.as_ref(), u32::MAX, now),
    }
}

#[cfg(test)]
#[path = "throttle_tests.rs"]
mod tests;
