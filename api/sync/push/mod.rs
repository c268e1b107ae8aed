//! Push: a batch of device mutations, in one transaction, in order, each answered as if it
//! had been applied alone, so one refused mutation does not undo the others. Answers are
//! decided in memory and written together (`inspections::batch`); any other mutation runs in a
//! savepoint of its own. Every mutation is answered `applied`, `merged`, `conflict` or
//! `rejected`, and the answer is stored under its `mutation_id` with a hash of its content: a
//! retried mutation changes nothing twice and gets the same answer, and the same id with other
//! content is refused (`mutation_id_reused`).
//!
//! One file per mutation kind; this one only dispatches.

mod answer;
mod context;
mod create;
mod evidence;
mod findings;
mod idempotency;
mod model;
mod parse;
mod reject;

use crate::inspections::late::LateInspections;
use std::collections::HashMap;

pub use context::Ctx;
pub use model::{Envelope, FieldEdit, Mutation, MutationResult, Status};
pub use parse::{nul as find_nul, parse_mutations, MAX_MUTATION_ID};

use crate::audit::Actor;
use crate::db::{DbConn, DbError};
use crate::domain::DomainError;
use crate::inspections::batch::AnswerBatch;
use crate::scope::Scope;
use idempotency::{Seen, Stored};

/// A push's answers, one per mutation in order, each also as JSON text (made once: it is both
/// stored and sent).
pub struct Pushed {
    pub results: Vec<MutationResult>,
    encoded: Vec<String>,
}

impl Pushed {
    /// The response body, `{"results": […]}`.
    pub fn body(&self) -> String {
        format!("{{\"results\":[{}]}}", self.encoded.join(","))
    }
}

/// Applies a batch with the default handling of late inspections (warn).
pub fn push(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    batch: &[Envelope],
) -> Result<Pushed, DomainError> {
    push_with(conn, actor, scope, batch, LateInspections::Warn)
}

/// Applies a batch; `late` is the operator's `late_inspections`.
pub fn push_with(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    batch: &[Envelope],
    late: LateInspections,
) -> Result<Pushed, DomainError> {
    idempotency::lock(conn, scope)?;
    let stored = idempotency::stored(conn, batch)?;
    let mut results: Vec<MutationResult> = Vec::with_capacity(batch.len());
    // Mutations first seen in this batch, by id, with their content hash.
    let mut fresh: HashMap<&str, (usize, String)> = HashMap::with_capacity(batch.len());
    let mut answers = AnswerBatch::new(actor);
    for env in batch {
        let hash = idempotency::content_hash(&env.mutation);
        let seen = match (
            stored.get(&env.mutation_id),
            fresh.get(env.mutation_id.as_str()),
        ) {
            (Some(s), _) => Some(Seen::Stored(s)),
            (None, Some((i, h))) => Some(Seen::InBatch(&results[*i], h)),
            (None, None) => None,
        };
        if let Some(seen) = seen {
            let mut again = idempotency::replay(env, scope, &hash, seen);
            // The first answer again, less a row the caller may no longer read (they left
            // the team, or the round closed, since).
            if again.current.is_some()
                && super::pull::load_readable(conn, scope, &again.entity, &again.id)?.is_none()
            {
                again.current = None;
            }
            results.push(again);
            continue;
        }
        let mut ctx = Ctx::new(actor, scope, &env.mutation_id);
        ctx.late = late;
        let result = apply_one(conn, &ctx, env, &mut answers)?;
        fresh.insert(&env.mutation_id, (results.len(), hash));
        results.push(result);
    }
    answers.settle(conn)?;
    let encoded = results
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| DomainError::Db(DbError::Corrupt(e.to_string())))?;
    let keep: Vec<Stored<'_>> = fresh
        .iter()
        .filter_map(|(mid, (i, hash))| {
            Some(Stored {
                mutation_id: mid,
                content_hash: hash,
                result: encoded.get(*i)?,
            })
        })
        .collect();
    idempotency::store(conn, actor, scope, keep)?;
    Ok(Pushed { results, encoded })
}

/// One new mutation: applied, or refused and answered `rejected`.
fn apply_one(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    env: &Envelope,
    answers: &mut AnswerBatch,
) -> Result<MutationResult, DomainError> {
    // Answers are decided in memory and written together; anything else is written at once,
    // in a savepoint of its own, after the answers before it.
    let outcome = if let Mutation::AnswerSet { .. } = env.mutation {
        answer::apply(conn, ctx, &env.mutation, answers)
    } else {
        answers.settle(conn)?;
        crate::db::savepoint::<_, DomainError, _>(conn, |c| apply(c, ctx, &env.mutation))
    };
    match outcome {
        Ok(r) => Ok(r),
        Err(DomainError::Db(e)) => Err(DomainError::Db(e)),
        Err(refusal) => {
            answers.flush(conn)?;
            crate::db::savepoint::<_, DomainError, _>(conn, |c| {
                reject::reject(c, ctx, env, refusal)
            })
        }
    }
}

fn apply(conn: &mut DbConn, ctx: &Ctx<'_>, m: &Mutation) -> Result<MutationResult, DomainError> {
    match m {
        Mutation::AnswerSet { .. } => Err(DomainError::NotFound),
        Mutation::InspectionCreate { .. } | Mutation::InspectionTransition { .. } => {
            create::inspection(conn, ctx, m)
        }
        Mutation::InspectionUpdate { .. } => findings::apply(conn, ctx, m),
        Mutation::RecommendationCreate { .. }
        | Mutation::RecommendationUpdate { .. }
        | Mutation::CommentCreate { .. } => create::attached(conn, ctx, m),
        Mutation::EvidenceCreate { .. } | Mutation::EvidenceDelete { .. } => {
            evidence::apply(conn, ctx, m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_body_is_the_results_as_json() {
        let mut conflict = MutationResult::new("m2", Status::Conflict, "answer", "i/b");
        conflict.device_won = Some(false);
        conflict.conflict_ids = vec!["c1".into()];
        conflict.current = Some(json!({"value": "Một phần"}));
        let results = vec![
            MutationResult::new("m1", Status::Applied, "answer", "i/a"),
            conflict,
        ];
        let encoded = results
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect();
        let pushed = Pushed { results, encoded };
        let body: serde_json::Value = serde_json::from_str(&pushed.body()).unwrap();
        assert_eq!(body, json!({"results": pushed.results}));
        let empty = Pushed {
            results: vec![],
            encoded: vec![],
        };
        assert_eq!(empty.body(), r#"{"results":[]}"#);
    }
}
