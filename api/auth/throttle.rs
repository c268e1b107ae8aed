//! The failed-login policy as plain functions: given what is known about a username's recent
//! failures, decide whether the next attempt waits, is refused, or goes ahead.
//!
//! The same applies to usernames that do not exist, so the answers reveal nothing.

use chrono::{NaiveDateTime, TimeDelta};

use crate::config::LoginThrottle;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub last_failure_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Go ahead after waiting this long (zero for the first few failures).
    Proceed { delay_ms: u64 },
    /// Refused; try again after this many seconds.
    Locked { retry_after_secs: u64 },
}

/// Forget failures older than the window; a lock that has passed is forgotten with them.
fn live(policy: &LoginThrottle, f: Option<&Failures>, now: NaiveDateTime) -> Option<Failures> {
    let f = f?;
    if let Some(until) = f.locked_until {
        if until > now {
            return Some(f.clone());
        }
        return None;
    }
    let window = TimeDelta::seconds(i64::try_from(policy.window_secs).unwrap_or(i64::MAX / 4));
    (now - f.last_failure_at <= window).then(|| f.clone())
}

pub fn gate(policy: &LoginThrottle, f: Option<&Failures>, now: NaiveDateTime) -> Gate {
    let Some(f) = live(policy, f, now) else {
        return Gate::Proceed { delay_ms: 0 };
    };
    if let Some(until) = f.locked_until {
        let ms = (until - now).num_milliseconds().max(0);
        let secs = (ms + 999) / 1000;
        return Gate::Locked {
            retry_after_secs: u64::try_from(secs).unwrap_or(1).max(1),
        };
    }
    let over = f
        .count
        .saturating_sub(policy.free_attempts.saturating_sub(1));
    let delay = policy
        .delay_step_ms
        .saturating_mul(u64::from(over))
        .min(policy.max_delay_ms);
    Gate::Proceed {
        delay_ms: if f.count >= policy.free_attempts {
            delay
        } else {
            0
        },
    }
}

/// The state after one more failure at `now`.
pub fn after_failure(policy: &LoginThrottle, f: Option<&Failures>, now: NaiveDateTime) -> Failures {
    let count = live(policy, f, now).map_or(0, |f| f.count) + 1;
    let locked_until = (count >= policy.lock_after)
        .then(|| now + TimeDelta::seconds(i64::try_from(policy.lock_secs).unwrap_or(i64::MAX / 4)));
    Failures {
        count,
        last_failure_at: now,
        locked_until,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_790_000_000 + secs, 0)
            .unwrap()
            .naive_utc()
    }

    fn policy() -> LoginThrottle {
        LoginThrottle {
            free_attempts: 3,
            delay_step_ms: 500,
            max_delay_ms: 2_000,
            lock_after: 6,
            lock_secs: 900,
            window_secs: 600,
        }
    }

    #[test]
    fn first_failures_are_free_then_slowed_then_locked() {
        let p = policy();
        let mut state: Option<Failures> = None;
        let mut gates = Vec::new();
        for i in 0..7 {
            gates.push(gate(&p, state.as_ref(), t(i)));
            state = Some(after_failure(&p, state.as_ref(), t(i)));
        }
        assert_eq!(
            gates,
            vec![
                Gate::Proceed { delay_ms: 0 },
                Gate::Proceed { delay_ms: 0 },
                Gate::Proceed { delay_ms: 0 },
                Gate::Proceed { delay_ms: 500 },
                Gate::Proceed { delay_ms: 1000 },
                Gate::Proceed { delay_ms: 1500 },
                Gate::Locked {
                    retry_after_secs: 900 - 1
                },
            ]
        );
    }

    #[test]
    fn lock_expires_and_counting_restarts() {
        let p = policy();
        let locked = Failures {
            count: 6,
            last_failure_at: t(0),
            locked_until: Some(t(900)),
        };
        assert_eq!(
            gate(&p, Some(&locked), t(899)),
            Gate::Locked {
                retry_after_secs: 1
            }
        );
        assert_eq!(
            gate(&p, Some(&locked), t(900)),
            Gate::Proceed { delay_ms: 0 }
        );
        assert_eq!(after_failure(&p, Some(&locked), t(901)).count, 1);
    }

    #[test]
    fn old_failures_are_forgotten() {
        let p = policy();
        let f = Failures {
            count: 5,
            last_failure_at: t(0),
            locked_until: None,
        };
        assert_eq!(gate(&p, Some(&f), t(601)), Gate::Proceed { delay_ms: 0 });
        assert_eq!(after_failure(&p, Some(&f), t(601)).count, 1);
    }

    #[test]
    fn delay_is_capped() {
        let p = LoginThrottle {
            lock_after: 100,
            ..policy()
        };
        let f = Failures {
            count: 50,
            last_failure_at: t(0),
            locked_until: None,
        };
        assert_eq!(gate(&p, Some(&f), t(1)), Gate::Proceed { delay_ms: 2_000 });
    }
}
