use std::collections::HashMap;

use super::*;

fn t(ms: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp(1_790_000_000, 0)
        .unwrap()
        .naive_utc()
        + TimeDelta::milliseconds(ms)
}

fn policy() -> LoginThrottle {
    LoginThrottle {
        free_attempts: 3,
        delay_step_ms: 1_000,
        max_delay_ms: 3_000,
        lock_after: 10,
        lock_secs: 60,
        window_secs: 600,
    }
}

/// The database, as a map.
#[derive(Default)]
struct Store(HashMap<String, Failures>);

impl Store {
    fn load(&self, k: &Keys) -> Counts {
        Counts {
            pair: self.0.get(&k.pair).cloned(),
            address: self.0.get(&k.address).cloned(),
            username: self.0.get(&k.username).cloned(),
        }
    }

    fn save(&mut self, k: &Keys, c: Counts) {
        for (key, f) in [
            (&k.pair, c.pair),
            (&k.address, c.address),
            (&k.username, c.username),
        ] {
            match f {
                Some(f) => self.0.insert(key.clone(), f),
                None => self.0.remove(key),
            };
        }
    }

    /// One login attempt, as the service makes it.
    fn attempt(
        &mut self,
        p: &LoginThrottle,
        user: &str,
        addr: &str,
        ok: bool,
        ms: i64,
    ) -> Decision {
        let k = Keys::new(user, addr);
        let d = decide(p, &self.load(&k), t(ms));
        if let Decision::Admit { charged, .. } = &d {
            self.save(&k, charged.clone());
            if ok {
                let refunded = refund(p, &self.load(&k), t(ms));
                self.save(&k, refunded);
            }
        }
        d
    }
}

fn admitted(d: &Decision) -> Option<u64> {
    match d {
        Decision::Admit { hold_ms, .. } => Some(*hold_ms),
        Decision::Refuse { .. } => None,
    }
}

fn refused(d: &Decision) -> Option<u64> {
    match d {
        Decision::Refuse { retry_after_secs } => Some(*retry_after_secs),
        Decision::Admit { .. } => None,
    }
}

#[test]
fn a_pair_backs_off_exponentially_up_to_the_cap() {
    let p = policy();
    let mut s = Store::default();
    let mut now = 0;
    let mut waits = Vec::new();
    for _ in 0..10 {
        let d = s.attempt(&p, "lan", "198.51.100.7", false, now);
        assert_eq!(admitted(&d), Some(0), "admitted once the back-off ended");
        let k = Keys::new("lan", "198.51.100.7");
        let wait = s.0[&k.pair]
            .retry_at
            .map_or(0, |r| (r - t(now)).num_milliseconds());
        waits.push(wait);
        // Too early: refused, and not counted.
        if wait > 0 {
            let early = s.attempt(&p, "lan", "198.51.100.7", true, now + wait - 1);
            assert_eq!(refused(&early), Some(1), "right password or not");
        }
        now += wait;
    }
    assert_eq!(
        waits,
        vec![0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]
    );
}

#[test]
fn a_strangers_failures_never_refuse_another_address() {
    let p = policy();
    let mut s = Store::default();
    // Many attackers, each at its own address, on the admin's username.
    for i in 0..200 {
        let addr = format!("203.0.113.{}", i % 50);
        s.attempt(&p, "admin", &addr, false, i);
    }
    // The admin's phone has never failed: admitted at once, with no hold.
    let d = s.attempt(&p, "admin", "198.51.100.1", true, 300);
    assert_eq!(admitted(&d), Some(0));
    // And again right after: the success left nothing behind for this address.
    assert_eq!(
        admitted(&s.attempt(&p, "admin", "198.51.100.1", true, 301)),
        Some(0)
    );
}

#[test]
fn under_attack_a_failed_address_is_held_and_gets_one_free_failure() {
    let p = policy();
    let mut s = Store::default();
    for i in 0..12 {
        s.attempt(&p, "admin", &format!("203.0.113.{i}"), false, 0);
    }
    // 198.51.100.2 failed on another username: it is not clean, so it is held (capped).
    s.attempt(&p, "other", "198.51.100.2", false, 0);
    let d = s.attempt(&p, "admin", "198.51.100.2", false, 1);
    assert_eq!(admitted(&d), Some(3_000));
    // One failure on the attacked username, and that pair backs off.
    assert_eq!(
        refused(&s.attempt(&p, "admin", "198.51.100.2", true, 2)),
        Some(1)
    );
    // A clean address is not held, even under attack.
    assert_eq!(
        admitted(&s.attempt(&p, "admin", "198.51.100.3", true, 3)),
        Some(0)
    );
}

#[test]
fn one_address_spraying_usernames_backs_off_for_all_of_them() {
    let p = policy();
    let mut s = Store::default();
    for i in 0..10 {
        let d = s.attempt(&p, &format!("user{i}"), "203.0.113.9", false, i);
        assert_eq!(admitted(&d), Some(0), "{i}");
    }
    // The tenth failure from this address starts its back-off, whatever the username.
    let d = s.attempt(&p, "someone.new", "203.0.113.9", true, 20);
    assert_eq!(refused(&d), Some(1));
    // Other addresses are untouched.
    assert_eq!(
        admitted(&s.attempt(&p, "someone.new", "198.51.100.4", true, 20)),
        Some(0)
    );
    // After the back-off the right password gets in.
    assert_eq!(
        admitted(&s.attempt(&p, "someone.new", "203.0.113.9", true, 1_010)),
        Some(0)
    );
}

#[test]
fn a_success_refunds_only_its_own_charge() {
    let p = policy();
    let mut s = Store::default();
    for i in 0..5 {
        s.attempt(&p, "lan", &format!("203.0.113.{i}"), false, 0);
    }
    s.attempt(&p, "lan", "198.51.100.5", true, 0);
    assert_eq!(s.0["u:lan"].count, 5, "the record of the failures stays");
    assert!(!s.0.contains_key("p:198.51.100.5|lan"));
    assert!(!s.0.contains_key("a:198.51.100.5"));
}

#[test]
fn old_failures_are_forgotten() {
    let p = policy();
    let mut s = Store::default();
    for i in 0..3 {
        s.attempt(&p, "lan", "198.51.100.6", false, i);
    }
    assert!(refused(&s.attempt(&p, "lan", "198.51.100.6", false, 10)).is_some());
    // Past the back-off and the window: a clean slate, three free failures again.
    let later = 1_000 + 600_001;
    for i in 0..3 {
        let d = s.attempt(&p, "lan", "198.51.100.6", false, later + i);
        assert_eq!(admitted(&d), Some(0), "{i}");
    }
    assert_eq!(s.0["p:198.51.100.6|lan"].count, 3);
}

#[test]
fn huge_settings_do_not_overflow() {
    let p = LoginThrottle {
        delay_step_ms: u64::MAX,
        lock_secs: u64::MAX,
        max_delay_ms: u64::MAX,
        window_secs: u64::MAX,
        ..policy()
    };
    let mut s = Store::default();
    for i in 0..5 {
        s.attempt(&p, "lan", "198.51.100.8", false, i);
    }
    let d = s.attempt(&p, "lan", "198.51.100.8", true, 10);
    assert!(refused(&d).is_some_and(|secs| secs > 3600 * 24 * 365));
}
