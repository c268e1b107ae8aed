//! The push: the device's changes applied through the engine, in one transaction.

use std::collections::{BTreeMap, HashSet};

use diesel::prelude::*;

use super::concurrent;
use super::converge;
use super::followup_push;
use super::ids::Ids;
use super::stale::{self, Pusher};
use super::translate::{self, Context};
use super::{PushOutcome, TableChanges};
use crate::audit::Actor;
use crate::db::schema::{devices, sync_mutations};
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::scope::Scope;
use crate::sync::push::{self as engine, Envelope};

pub fn push(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    last_pulled_at: i64,
    changes: &BTreeMap<String, TableChanges>,
) -> Result<PushOutcome, DomainError> {
    push_with(
        conn,
        actor,
        scope,
        last_pulled_at,
        changes,
        Default::default(),
    )
}

/// [`push`], with the operator's `late_inspections`.
pub fn push_with(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    last_pulled_at: i64,
    changes: &BTreeMap<String, TableChanges>,
    late: crate::inspections::late::LateInspections,
) -> Result<PushOutcome, DomainError> {
    let device = actor.device_id.clone().unwrap_or_default();
    let node = if device.is_empty() {
        scope.user_id.clone()
    } else {
        device.clone()
    };
    let who = Pusher {
        actor,
        scope,
        ids: Ids::new(actor, last_pulled_at),
        node,
    };

    // 0. Changes no device may push refuse the whole push, before anything is applied.
    followup_push::check(changes)?;

    // 1. Anything pushed that the server changed since the client's last pull?
    let stale = stale::check(conn, &who, last_pulled_at, changes)?;
    if !stale.is_empty() {
        return Ok(PushOutcome::Stale(stale));
    }

    // 2. Edits made without seeing someone else's later change (since the device's reconciled
    //    state): kept as conflicts, or merged as concurrent.
    let base: i64 = devices::table
        .find(&device)
        .select(devices::wm_base)
        .first::<Option<i64>>(conn)
        .optional()?
        .flatten()
        .unwrap_or(last_pulled_at);
    let later = concurrent::sort_out(conn, &who, base, changes)?;

    // 3. The engine's mutations, each under an id made from its content; those a retried push
    //    already delivered are not sent again.
    let cx = Context {
        node: &who.node,
        later: &later,
        now: translate::now(),
    };
    let mut batch = Vec::new();
    for mutation in translate::mutations(conn, &cx, changes)? {
        batch.push(Envelope {
            mutation_id: who.ids.of_mutation(&mutation)?,
            mutation,
        });
    }
    let batch = not_yet_pushed(conn, scope, batch)?;
    let pushed = engine::push_with(conn, actor, scope, &batch, late)?;

    // 4. The device learns what did not land: the next pull brings the server's state.
    converge::settle(conn, scope, &pushed.results)?;
    // 5. New remedies and read marks, by the REST API's rules; a refusal undoes the push.
    followup_push::apply(conn, actor, scope, last_pulled_at, changes)?;
    diesel::update(devices::table.find(&device))
        .set(devices::wm_base.eq(last_pulled_at))
        .execute(conn)?;
    Ok(PushOutcome::Done)
}

/// Those of `mids` this user has pushed before.
pub(super) fn delivered(
    conn: &mut DbConn,
    scope: &Scope,
    mids: &[&str],
) -> Result<HashSet<String>, DomainError> {
    let mut done: HashSet<String> = HashSet::new();
    for chunk in mids.chunks(db::ROWS_PER_INSERT) {
        let found: Vec<String> = sync_mutations::table
            .filter(sync_mutations::mutation_id.eq_any(chunk))
            .filter(sync_mutations::user_id.eq(&scope.user_id))
            .select(sync_mutations::mutation_id)
            .load(conn)?;
        done.extend(found);
    }
    Ok(done)
}

/// The mutations of `batch` this user has not pushed before. A retried push (its first
/// answer lost) has the same ids: what its first attempt delivered, and settled, is done.
fn not_yet_pushed(
    conn: &mut DbConn,
    scope: &Scope,
    batch: Vec<Envelope>,
) -> Result<Vec<Envelope>, DomainError> {
    let ids: Vec<&str> = batch.iter().map(|e| e.mutation_id.as_str()).collect();
    let done = delivered(conn, scope, &ids)?;
    Ok(batch
        .into_iter()
        .filter(|e| !done.contains(&e.mutation_id))
        .collect())
}
