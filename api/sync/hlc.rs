//! Hybrid logical clock timestamps, as devices send them: `"<unix ms>:<counter>:<node>"`,
//! e.g. `"1795689118000:0003:9b4c…"`. Ordered by (ms, counter, node). A device's time is
//! clamped to the server's on arrival, so a phone whose clock says next year cannot win every
//! concurrent edit forever.

use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hlc {
    pub ms: u64,
    pub counter: u32,
    pub node: String,
}

/// 2020-01-01T00:00:00Z: no device edit of this system is older, so an earlier time is a
/// broken clock (or a forged one), not a real edit.
pub const MIN_MS: u64 = 1_577_836_800_000;

impl Hlc {
    /// A device's HLC, exactly `<13-digit ms>:<4-digit counter>:<node>`, no earlier than
    /// [`MIN_MS`], with a node of 1–128 printable characters.
    pub fn parse_strict(s: &str) -> Option<Hlc> {
        let mut parts = s.splitn(3, ':');
        let (ms, counter, node) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(ms, 13) || !digits(counter, 4) {
            return None;
        }
        if node.is_empty() || node.chars().count() > 128 || node.chars().any(char::is_control) {
            return None;
        }
        let ms: u64 = ms.parse().ok()?;
        let counter: u32 = counter.parse().ok()?;
        (ms >= MIN_MS).then(|| Hlc {
            ms,
            counter,
            node: node.to_owned(),
        })
    }

    /// The same time as written by `node`: a device's clock is bound to the device of the
    /// token that sends it, so no device can win ties as another.
    pub fn bound_to(mut self, node: &str) -> Hlc {
        node.clone_into(&mut self.node);
        self
    }

    /// Lenient: what the server has stored (its own and older devices' stamps).
    pub fn parse(s: &str) -> Option<Hlc> {
        let mut parts = s.splitn(3, ':');
        let ms = parts.next()?.parse().ok()?;
        let counter = parts.next()?.parse().ok()?;
        let node = parts.next()?.to_owned();
        (!node.is_empty() && node.len() <= 128).then_some(Hlc { ms, counter, node })
    }

    /// The server's own time, for changes made through the REST API.
    pub fn server(now_ms: u64) -> Hlc {
        Hlc {
            ms: now_ms,
            counter: 0,
            node: "server".into(),
        }
    }

    /// No later than the server's clock.
    pub fn clamped(mut self, now_ms: u64) -> Hlc {
        if self.ms > now_ms {
            self.ms = now_ms;
        }
        self
    }
}

impl Ord for Hlc {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.ms, self.counter, &self.node).cmp(&(other.ms, other.counter, &other.node))
    }
}

impl PartialOrd for Hlc {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}:{:04}:{}", self.ms, self.counter, self.node)
    }
}

pub fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_orders_and_clamps() {
        let a = Hlc::parse("1795689118000:0003:phone-a").unwrap();
        let b = Hlc::parse("1795689118000:0004:phone-b").unwrap();
        let c = Hlc::parse("1795689119000:0000:phone-a").unwrap();
        assert!(a < b && b < c);
        assert_eq!(a.to_string(), "1795689118000:0003:phone-a");
        assert_eq!(Hlc::parse(&a.to_string()), Some(a.clone()));
        let future = Hlc::parse("1827225118000:0000:phone-z").unwrap();
        assert_eq!(future.clamped(1_795_689_120_000).ms, 1_795_689_120_000);
        for bad in ["", "abc", "1:2", "1:x:n", "1:2:"] {
            assert_eq!(Hlc::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn device_clocks_are_read_strictly() {
        assert!(Hlc::parse_strict("1795689118000:0003:phone-a").is_some());
        for bad in [
            "0000000000001:0000:a",  // 1970
            "1795689118000:00003:a", // 5-digit counter
            "1795689118000:0000000003:a",
            "179568911800:0003:a", // 12 digits
            "1795689118000:003:a",
            "1795689118000:0003:",
            "+795689118000:0003:a",
            "1795689118000:0003:a\u{0}b",
        ] {
            assert_eq!(Hlc::parse_strict(bad), None, "{bad}");
        }
        let bound = Hlc::parse_strict("1795689118000:0003:zzzz")
            .unwrap()
            .bound_to("dev-1");
        assert_eq!(bound.to_string(), "1795689118000:0003:dev-1");
    }
}
