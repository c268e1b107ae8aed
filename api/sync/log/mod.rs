//! The change log. Every write to a syncable row calls [`record`] in the same transaction:
//! the row's head moves to a new position in the log.
//!
//! Commit order equals seq order on both engines: numbers come from incrementing the single
//! `sync_counter` row, and that row stays locked until the transaction ends, so a second
//! writer waits for the first to commit before it gets its numbers. (SQLite serializes
//! writers anyway.) A reader that has seen seq 42 can therefore never later find a 41.
//!
//! The numbers are taken at the very end of the transaction ([`seal`], called by
//! `db::tail::seal` just before the commit), not at the first change: the transaction's
//! body writes its heads with a provisional seq and notes their positions, and only the
//! sealing statements hold the counter's lock. Pushes therefore overlap; only their last
//! few statements and their commits run one at a time (docs/sync.md, "Commit order").
//!
//! This file is what writers call; `numbering.rs` holds the open transaction's pending rows
//! and numbers them at the seal.

mod numbering;

use diesel::prelude::*;

use crate::db::{self, tail, DbConn};
pub(crate) use numbering::seal;
pub use numbering::Pending;
use numbering::{insert_entries, insert_exits, reserve, take_seqs, upsert_heads, Entry, Head};

/// Whose scope a row is in: the team whose work it is and the round it belongs to
/// (`None` for rows everyone signed in sees, such as units and published checklists).
#[derive(Debug, Clone, Copy, Default)]
pub struct Keys<'a> {
    pub team_id: Option<&'a str>,
    pub round_id: Option<&'a str>,
}

/// One row's change, for [`record_many`].
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub keys: Keys<'a>,
    pub deleted: bool,
}

/// Where a change goes in the log: a seq taken at once (no transaction tail open), or a
/// position of the open transaction, numbered at its seal.
#[derive(Debug, Clone, Copy)]
pub enum Slot {
    Seq(i64),
    Position(i64),
}

impl Slot {
    /// The seq, or the position.
    fn at(self) -> i64 {
        match self {
            Slot::Seq(s) | Slot::Position(s) => s,
        }
    }

    /// The value to store until the seal: the seq itself, or a negative stand-in (committed
    /// rows never carry one; pulls read only committed rows above a cursor ≥ 0).
    pub fn provisional(self) -> i64 {
        match self {
            Slot::Seq(s) => s,
            Slot::Position(p) => -p,
        }
    }
}

/// One slot in the log for a change outside `change_heads` (scope entries and exits,
/// notifications).
pub fn slot(conn: &mut DbConn) -> QueryResult<Slot> {
    match reserve(conn, 1)? {
        Some((first, _)) => Ok(Slot::Position(first)),
        None => Ok(Slot::Seq(take_seqs(conn, 1)?)),
    }
}

pub fn record(
    conn: &mut DbConn,
    entity: &str,
    entity_id: &str,
    keys: Keys<'_>,
    deleted: bool,
) -> QueryResult<()> {
    record_many(
        conn,
        &[Change {
            entity,
            entity_id,
            keys,
            deleted,
        }],
    )
}

/// Records changes of distinct rows in order, each at the next position, with multi-row
/// upserts of the heads. The heads are written now, whatever the seq, so that the rows are
/// locked by this transaction from here (the seal then waits on nobody) and later reads in
/// it see their keys.
pub fn record_many(conn: &mut DbConn, changes: &[Change<'_>]) -> QueryResult<()> {
    // A statement may not move one head twice (PostgreSQL refuses it), so a row listed more
    // than once keeps only its last change, at its last position.
    let mut last_of = std::collections::HashMap::with_capacity(changes.len());
    for (i, c) in changes.iter().enumerate() {
        last_of.insert((c.entity, c.entity_id), i);
    }
    let changes: Vec<&Change<'_>> = changes
        .iter()
        .enumerate()
        .filter(|(i, c)| last_of.get(&(c.entity, c.entity_id)) == Some(i))
        .map(|(_, c)| c)
        .collect();
    if changes.is_empty() {
        return Ok(());
    }
    let n = changes.len() as i64;
    let (first, base, deferred) = match reserve(conn, n)? {
        Some((first, base)) => (first, base, true),
        None => (take_seqs(conn, n)? - n + 1, 0, false),
    };
    let heads: Vec<Head> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| Head {
            entity: c.entity.to_owned(),
            entity_id: c.entity_id.to_owned(),
            deleted: c.deleted,
            team_id: c.keys.team_id.map(str::to_owned),
            round_id: c.keys.round_id.map(str::to_owned),
            at: first + i as i64,
        })
        .collect();
    if !deferred {
        return upsert_heads(conn, &heads, |at| at);
    }
    upsert_heads(conn, &heads, |at| base - at)?;
    tail::with(|t| t.changes.heads.extend(heads));
    Ok(())
}

/// Tells each of `user_ids` that a row left their scope: their next pull holds a tombstone.
pub fn exit(
    conn: &mut DbConn,
    user_ids: &[String],
    entity: &str,
    entity_id: &str,
) -> QueryResult<()> {
    exit_many(conn, user_ids, &[(entity.to_owned(), entity_id.to_owned())])
}

/// Tells each of `user_ids` that these rows (entity, id) left their scope, at one position.
pub fn exit_many(
    conn: &mut DbConn,
    user_ids: &[String],
    rows: &[(String, String)],
) -> QueryResult<()> {
    if user_ids.is_empty() || rows.is_empty() {
        return Ok(());
    }
    let slot = slot(conn)?;
    let mut exits = Vec::with_capacity(user_ids.len() * rows.len());
    for u in user_ids {
        for (entity, id) in rows {
            exits.push((slot.at(), u.clone(), entity.clone(), id.clone()));
        }
    }
    match slot {
        Slot::Seq(_) => insert_exits(conn, &exits, |s| s),
        Slot::Position(_) => {
            tail::with(|t| t.changes.exits.extend(exits));
            Ok(())
        }
    }
}

/// Records that rows keyed (team, round) entered `user`'s scope, at one new position.
pub fn enter(
    conn: &mut DbConn,
    user: &str,
    keys: &[(Option<&str>, Option<&str>)],
) -> QueryResult<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let slot = slot(conn)?;
    let entries: Vec<Entry> = keys
        .iter()
        .map(|(team, round)| Entry {
            at: slot.at(),
            id: db::new_id(),
            user_id: user.to_owned(),
            team_id: team.map(str::to_owned),
            round_id: round.map(str::to_owned),
        })
        .collect();
    match slot {
        Slot::Seq(_) => insert_entries(conn, &entries, |s| s),
        Slot::Position(_) => {
            tail::with(|t| t.changes.entries.extend(entries));
            Ok(())
        }
    }
}

/// A notification stored (or stamped) at `slot` gets its seq at the seal.
pub fn notification_at(slot: Slot, id: &str) {
    if let Slot::Position(p) = slot {
        tail::with(|t| t.changes.notifications.push((p, id.to_owned())));
    }
}

/// Members and lead of a team: the people whose scope follows it.
pub fn people_of_team(conn: &mut DbConn, team_id: &str) -> QueryResult<Vec<String>> {
    let mut ids = crate::teams::store::members(conn, team_id)?;
    if let Some(t) = crate::teams::store::find(conn, team_id)? {
        ids.push(t.lead_id);
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}
