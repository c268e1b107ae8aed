//! Idempotency keys that identify content. Each new mutation's answer is stored under its
//! `mutation_id` with the SHA-256 of its canonical JSON: the same id with the same content gets
//! the first answer again and changes nothing; the same id with other content (or type), even
//! twice in one batch, is refused `mutation_id_reused` and changes nothing.

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::model::{target, Envelope, Mutation, MutationResult, Status};
use crate::audit::Actor;
use crate::db::schema::sync_mutations;
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::scope::Scope;

/// SHA-256 (hex) of the mutation's canonical JSON (object keys sorted, `mutation_id` left
/// out): two mutations are the same content exactly when their JSON values are equal.
pub fn content_hash(m: &Mutation) -> String {
    let v = serde_json::to_value(m).unwrap_or(Value::Null);
    let mut h = Sha256::new();
    canonical(&v, &mut h);
    hex::encode(h.finalize())
}

fn canonical(v: &Value, h: &mut Sha256) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            h.update(b"{");
            for k in keys {
                h.update(Value::String(k.clone()).to_string().as_bytes());
                h.update(b":");
                canonical(&m[k], h);
                h.update(b",");
            }
            h.update(b"}");
        }
        Value::Array(a) => {
            h.update(b"[");
            for x in a {
                canonical(x, h);
                h.update(b",");
            }
            h.update(b"]");
        }
        other => h.update(other.to_string().as_bytes()),
    }
}

/// Two pushes of one user never run at once (PostgreSQL; SQLite writers are serialized): the
/// second waits for the first to commit and then finds its answers, instead of racing it to
/// store the same mutation ids.
pub fn lock(conn: &mut DbConn, scope: &Scope) -> Result<(), DomainError> {
    if let db::DbConn::Pg(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext('kiemtra.push:' || $1))")
            .bind::<diesel::sql_types::Text, _>(&scope.user_id)
            .execute(c)?;
    }
    Ok(())
}

/// What was stored for a mutation id pushed before.
pub struct Previous {
    user_id: String,
    content_hash: Option<String>,
    result: String,
}

pub fn stored(
    conn: &mut DbConn,
    batch: &[Envelope],
) -> Result<HashMap<String, Previous>, DomainError> {
    let ids: Vec<&str> = batch.iter().map(|e| e.mutation_id.as_str()).collect();
    let mut found = HashMap::new();
    for chunk in ids.chunks(db::ROWS_PER_INSERT) {
        let rows: Vec<(String, String, Option<String>, String)> = sync_mutations::table
            .filter(sync_mutations::mutation_id.eq_any(chunk))
            .select((
                sync_mutations::mutation_id,
                sync_mutations::user_id,
                sync_mutations::content_hash,
                sync_mutations::result,
            ))
            .load(conn)?;
        found.extend(rows.into_iter().map(|(m, user_id, content_hash, result)| {
            (
                m,
                Previous {
                    user_id,
                    content_hash,
                    result,
                },
            )
        }));
    }
    Ok(found)
}

/// A mutation id met before: in the database, or earlier in this batch (its answer and hash).
pub enum Seen<'a> {
    Stored(&'a Previous),
    InBatch(&'a MutationResult, &'a str),
}

/// The first answer again when the content is the same; a refusal otherwise.
pub fn replay(env: &Envelope, scope: &Scope, hash: &str, seen: Seen<'_>) -> MutationResult {
    let refusal = |reason: &str| {
        let (entity, id, _) = target(&env.mutation);
        let mut r = MutationResult::new(&env.mutation_id, Status::Rejected, entity, &id);
        r.reason = Some(reason.to_owned());
        r
    };
    match seen {
        Seen::InBatch(first, h) if h == hash => first.clone(),
        Seen::InBatch(..) => refusal("mutation_id_reused"),
        Seen::Stored(p) if p.user_id != scope.user_id => refusal("mutation_id_taken"),
        // Stored before content hashes were kept: taken as the same.
        Seen::Stored(p) if p.content_hash.as_deref().is_some_and(|h| h != hash) => {
            refusal("mutation_id_reused")
        }
        Seen::Stored(p) => serde_json::from_str::<Value>(&p.result)
            .ok()
            .and_then(|v| serde_json::from_value::<MutationResult>(v["result"].clone()).ok())
            .unwrap_or_else(|| refusal("mutation_id_reused")),
    }
}

/// One new mutation's answer to keep.
pub struct Stored<'a> {
    pub mutation_id: &'a str,
    pub content_hash: &'a str,
    pub result: &'a str,
}

/// Keeps each new mutation's answer under its id, so a retry gets the same answer.
pub fn store(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    mut kept: Vec<Stored<'_>>,
) -> Result<(), DomainError> {
    let now = db::now();
    // In id order, so the index takes them in one sweep.
    kept.sort_by_key(|s| s.mutation_id);
    // Owned values: a cached statement's type may not borrow.
    let rows: Vec<_> = kept
        .into_iter()
        .map(|s| {
            (
                sync_mutations::mutation_id.eq(s.mutation_id.to_owned()),
                sync_mutations::user_id.eq(scope.user_id.clone()),
                sync_mutations::device_id.eq(actor.device_id.clone()),
                sync_mutations::result.eq(format!("{{\"result\":{}}}", s.result)),
                sync_mutations::created_at.eq(now),
                sync_mutations::content_hash.eq(Some(s.content_hash.to_owned())),
            )
        })
        .collect();
    crate::per_engine!(conn, c => crate::insert_in_chunks!(c, rows, |v| diesel::insert_into(sync_mutations::table).values(v)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(value: Value) -> Mutation {
        serde_json::from_value(
            json!({"type": "answer.set", "inspection_id": "i", "item_id": "a",
            "value": value, "hlc": "1795689118000:0000:d"}),
        )
        .unwrap()
    }

    #[test]
    fn the_hash_is_the_content() {
        assert_eq!(
            content_hash(&answer(json!("yes"))),
            content_hash(&answer(json!("yes")))
        );
        assert_ne!(
            content_hash(&answer(json!("yes"))),
            content_hash(&answer(json!("no")))
        );
        // Key order inside a value does not matter.
        let a = answer(json!({"x": 1, "y": 2}));
        let b = answer(serde_json::from_str(r#"{"y": 2, "x": 1}"#).unwrap());
        assert_eq!(content_hash(&a), content_hash(&b));
    }
}
