//! Mutation ids for pushed records. WatermelonDB sends no ids of its own, so they are made
//! from who pushes, the `last_pulled_at` the push is based on and a hash of the content: a
//! retried push (same base, same content) gets the same ids and changes nothing twice, and a
//! different edit gets a different id, so it is never taken for a retry.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::audit::Actor;
use crate::db::DbError;
use crate::domain::DomainError;
use crate::sync::push::Mutation;

/// Longest id made (the engine keeps ids up to 128 characters).
pub(super) const MAX_LEN: usize = 128;

pub(super) struct Ids {
    prefix: String,
}

fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Ids {
    pub fn new(actor: &Actor, last_pulled_at: i64) -> Ids {
        let who = actor
            .device_id
            .clone()
            .or_else(|| actor.user_id.clone())
            .unwrap_or_default();
        // Device ids are UUIDs; anything longer is shortened so ids stay within MAX_LEN
        // ("wm-", who, "-", up to 20 characters of i64, "-", 32 of hash).
        let room = MAX_LEN - 3 - 1 - 20 - 1 - 32;
        let who = if who.len() <= room {
            who
        } else {
            digest(who.as_bytes())[..32].to_owned()
        };
        Ids {
            prefix: format!("wm-{who}-{last_pulled_at}-"),
        }
    }

    /// The id of whatever `content` names.
    pub fn of(&self, content: &str) -> String {
        format!("{}{}", self.prefix, &digest(content.as_bytes())[..32])
    }

    /// The id of a mutation: its canonical JSON without the HLC times, which the server
    /// stamps afresh on every attempt when the device does not say when it edited.
    pub fn of_mutation(&self, m: &Mutation) -> Result<String, DomainError> {
        let mut v = serde_json::to_value(m)
            .map_err(|e| DomainError::Db(DbError::Corrupt(e.to_string())))?;
        strip_hlc(&mut v);
        Ok(self.of(&v.to_string()))
    }
}

/// Removes the mutation's own `hlc` and its findings fields' (never anything inside a value).
fn strip_hlc(v: &mut Value) {
    let Some(m) = v.as_object_mut() else { return };
    m.remove("hlc");
    if let Some(fields) = m.get_mut("fields").and_then(Value::as_object_mut) {
        for edit in fields.values_mut().filter_map(Value::as_object_mut) {
            edit.remove("hlc");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::push::FieldEdit;
    use std::collections::BTreeMap;

    fn answer(value: &str, hlc: &str) -> Mutation {
        Mutation::AnswerSet {
            inspection_id: "0199a0c4-6a3e-7d1c-9d5e-0a1b2c3d4e5f".into(),
            item_id: "b".into(),
            value: serde_json::json!(value),
            na: false,
            base_version: Some(1),
            base_value: None,
            hlc: hlc.into(),
        }
    }

    fn ids(lpa: i64) -> Ids {
        Ids::new(
            &Actor {
                user_id: Some("u".into()),
                device_id: Some("0199a0c4-6a3e-7d1c-9d5e-0a1b2c3d4e5f".into()),
            },
            lpa,
        )
    }

    #[test]
    fn the_same_content_gets_the_same_id_and_other_content_another() {
        let at = ids(i64::MAX);
        let first = at.of_mutation(&answer("full", "1:0000:server")).unwrap();
        let retry = at.of_mutation(&answer("full", "2:0000:server")).unwrap();
        let other = at.of_mutation(&answer("none", "1:0000:server")).unwrap();
        assert_eq!(first, retry);
        assert_ne!(first, other);
        assert_ne!(
            first,
            ids(7)
                .of_mutation(&answer("full", "1:0000:server"))
                .unwrap()
        );
        assert!(first.len() <= MAX_LEN, "{first}");
        let long = Ids::new(
            &Actor {
                user_id: None,
                device_id: Some("d".repeat(300)),
            },
            i64::MAX,
        );
        assert!(long.of("x").len() <= MAX_LEN);
    }

    #[test]
    fn findings_times_are_left_out_too() {
        let edit = |hlc: &str| Mutation::InspectionUpdate {
            id: "i".into(),
            base_version: 3,
            fields: BTreeMap::from([(
                "strengths".to_owned(),
                FieldEdit {
                    value: Some("Tốt".into()),
                    hlc: hlc.into(),
                    base_value: None,
                },
            )]),
        };
        let at = ids(1);
        assert_eq!(
            at.of_mutation(&edit("1:0000:a")).unwrap(),
            at.of_mutation(&edit("9:0000:a")).unwrap()
        );
    }
}
