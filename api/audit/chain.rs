//! The hash chain, as plain functions. Each entry's hash is SHA-256 over the previous entry's
//! hash and the entry's own fields (as a JSON array, so no field can bleed into another).
//! Changing, removing or reordering any stored entry breaks every hash after it.

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub device_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

pub fn hash(prev_hash: &str, e: &Entry) -> String {
    hash_at(prev_hash, e, &format_at(e.at))
}

/// The time as it is hashed.
pub fn format_at(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// [`hash`] with the entry's time already formatted (entries appended together share it).
pub fn hash_at(prev_hash: &str, e: &Entry, at: &str) -> String {
    let canonical = (
        prev_hash,
        e.seq,
        at,
        &e.actor_id,
        &e.device_id,
        &e.action,
        &e.entity,
        &e.entity_id,
        &e.before,
        &e.after,
    );
    // Serialized straight into the hasher: the same bytes as the JSON array's text.
    let mut hasher = Sha256::new();
    match serde_json::to_writer(&mut hasher, &canonical) {
        Ok(()) => hex::encode(hasher.finalize()),
        // Writing into a hasher cannot fail; were it to, the text route gives the same hash.
        Err(_) => hex::encode(Sha256::digest(
            serde_json::json!(canonical).to_string().as_bytes(),
        )),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub seq: i64,
    pub reason: &'static str,
}

/// Checks entries one at a time, in `seq` order, so a long log can be verified page by page.
pub struct Verifier {
    prev: String,
    checked: usize,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            prev: GENESIS.to_owned(),
            checked: 0,
        }
    }
}

impl Verifier {
    pub fn check(&mut self, e: &Entry, prev_hash: &str, stored_hash: &str) -> Result<(), Broken> {
        if e.seq != self.checked as i64 + 1 {
            return Err(Broken {
                seq: e.seq,
                reason: "sequence gap: an entry was removed or inserted",
            });
        }
        if prev_hash != self.prev {
            return Err(Broken {
                seq: e.seq,
                reason: "previous-hash mismatch: the entry before was altered or removed",
            });
        }
        if hash(&self.prev, e) != stored_hash {
            return Err(Broken {
                seq: e.seq,
                reason: "hash mismatch: this entry was altered",
            });
        }
        stored_hash.clone_into(&mut self.prev);
        self.checked += 1;
        Ok(())
    }

    pub fn checked(&self) -> usize {
        self.checked
    }
}

/// Walks entries in `seq` order; returns how many were checked, or the first broken link.
pub fn verify<'a>(
    entries: impl IntoIterator<Item = (&'a Entry, &'a str, &'a str)>,
) -> Result<usize, Broken> {
    let mut v = Verifier::default();
    for (e, prev_hash, stored_hash) in entries {
        v.check(e, prev_hash, stored_hash)?;
    }
    Ok(v.checked())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<(Entry, String, String)> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let e = Entry {
                    seq,
                    at: chrono::DateTime::from_timestamp(1_790_000_000 + seq, 0)
                        .unwrap()
                        .naive_utc(),
                    actor_id: Some("u1".into()),
                    device_id: None,
                    action: "update".into(),
                    entity: "unit".into(),
                    entity_id: format!("x{seq}"),
                    before: Some(r#"{"name":"Nghi Lộc"}"#.into()),
                    after: Some(r#"{"name":"Nghi Lộc mới"}"#.into()),
                };
                let h = hash(&prev, &e);
                let row = (e, prev.clone(), h.clone());
                prev = h;
                row
            })
            .collect()
    }

    fn check(rows: &[(Entry, String, String)]) -> Result<usize, Broken> {
        verify(rows.iter().map(|(e, p, h)| (e, p.as_str(), h.as_str())))
    }

    #[test]
    fn the_hash_is_over_the_json_array_text() {
        let (e, prev, h) = chain(1).remove(0);
        let text = serde_json::json!([
            prev,
            e.seq,
            "2026-09-21T14:13:21.000000",
            e.actor_id,
            e.device_id,
            e.action,
            e.entity,
            e.entity_id,
            e.before,
            e.after,
        ])
        .to_string();
        assert_eq!(h, hex::encode(Sha256::digest(text.as_bytes())));
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(check(&chain(5)), Ok(5));
        assert_eq!(check(&[]), Ok(0));
    }

    #[test]
    fn an_altered_entry_is_found() {
        let mut rows = chain(5);
        rows[2].0.after = Some(r#"{"name":"giả mạo"}"#.into());
        assert_eq!(check(&rows).unwrap_err().seq, 3);
    }

    #[test]
    fn a_removed_entry_is_found() {
        let mut rows = chain(5);
        rows.remove(1);
        assert_eq!(check(&rows).unwrap_err().seq, 3);
    }

    #[test]
    fn a_rehashed_entry_breaks_the_next_link() {
        let mut rows = chain(5);
        rows[1].0.actor_id = Some("someone-else".into());
        rows[1].2 = hash(&rows[1].1, &rows[1].0);
        let broken = check(&rows).unwrap_err();
        assert_eq!(broken.seq, 3);
        assert!(broken.reason.starts_with("previous-hash"));
    }
}
