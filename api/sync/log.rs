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

use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::schema::{change_heads, notifications, scope_entries, scope_exits, sync_counter};
use crate::db::{self, tail, DbConn};

/// Takes `n` numbers at once; returns the last (they are `last - n + 1 ..= last`).
fn take_seqs(conn: &mut DbConn, n: i64) -> QueryResult<i64> {
    // One statement: the increment takes the row lock and hands back the new number.
    diesel::update(sync_counter::table.find(1))
        .set(sync_counter::seq.eq(sync_counter::seq + n))
        .returning(sync_counter::seq)
        .get_result(conn)
}

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

/// A head as written, at a position of its transaction (or already at its seq).
#[derive(Debug, Clone)]
struct Head {
    entity: String,
    entity_id: String,
    deleted: bool,
    team_id: Option<String>,
    round_id: Option<String>,
    at: i64,
}

/// A part of the working set entering one user's scope (`scope_entries`).
#[derive(Debug, Clone)]
struct Entry {
    at: i64,
    id: String,
    user_id: String,
    team_id: Option<String>,
    round_id: Option<String>,
}

/// The change-log rows of an open transaction, written with their seqs at [`seal`].
#[derive(Default)]
pub struct Pending {
    heads: Vec<Head>,
    /// (position, user, entity, id)
    exits: Vec<(i64, String, String, String)>,
    entries: Vec<Entry>,
    /// (position, notification id)
    notifications: Vec<(i64, String)>,
}

impl Pending {
    /// How many rows of each kind are noted (for [`Pending::rewind`]).
    pub(crate) fn mark(&self) -> [usize; 4] {
        [
            self.heads.len(),
            self.exits.len(),
            self.entries.len(),
            self.notifications.len(),
        ]
    }

    /// Forgets what was noted after `mark` (a savepoint rolled back). The positions it used
    /// stay unused, which pull does not mind.
    pub(crate) fn rewind(&mut self, mark: [usize; 4]) {
        self.heads.truncate(mark[0]);
        self.exits.truncate(mark[1]);
        self.entries.truncate(mark[2]);
        self.notifications.truncate(mark[3]);
    }
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

/// `n` positions of the open transaction (the first, and this connection's placeholder base),
/// or `None` when no transaction tail is open.
fn reserve(conn: &mut DbConn, n: i64) -> QueryResult<Option<(i64, i64)>> {
    let Some(base) = tail::with(|t| t.placeholder_base) else {
        return Ok(None);
    };
    let base = match base {
        Some(b) => b,
        None => {
            let b = placeholder_base(conn)?;
            tail::with(|t| t.placeholder_base = Some(b));
            b
        }
    };
    Ok(tail::with(|t| {
        let first = t.positions + 1;
        t.positions += n;
        (first, base)
    }))
}

/// Provisional head seqs must differ between transactions in flight at the same time:
/// `change_heads.seq` is unique, and PostgreSQL makes an insert wait for any transaction in
/// flight that wrote the same value. The backend's process id tells live connections apart
/// (PostgreSQL caps it at 2^22); SQLite has one writer.
fn placeholder_base(conn: &mut DbConn) -> QueryResult<i64> {
    match conn {
        DbConn::Pg(c) => {
            let pid: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>(
                "pg_backend_pid()",
            ))
            .get_result(c)?;
            Ok(-(i64::from(pid) << 32))
        }
        DbConn::Sqlite(_) => Ok(0),
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

/// Writes `heads` with the seq `seq_of(at)` each.
fn upsert_heads(conn: &mut DbConn, heads: &[Head], seq_of: impl Fn(i64) -> i64) -> QueryResult<()> {
    let rows: Vec<_> = heads
        .iter()
        .map(|h| {
            (
                change_heads::entity.eq(&h.entity),
                change_heads::entity_id.eq(&h.entity_id),
                change_heads::seq.eq(seq_of(h.at)),
                change_heads::deleted.eq(h.deleted),
                change_heads::team_id.eq(&h.team_id),
                change_heads::round_id.eq(&h.round_id),
            )
        })
        .collect();
    // Upserts are never cached by diesel, so rows go in as few statements as possible.
    for chunk in rows.chunks(db::ROWS_PER_INSERT) {
        crate::per_engine!(conn, c => diesel::insert_into(change_heads::table)
            .values(chunk)
            .on_conflict((change_heads::entity, change_heads::entity_id))
            .do_update()
            .set((
                change_heads::seq.eq(excluded(change_heads::seq)),
                change_heads::deleted.eq(excluded(change_heads::deleted)),
                change_heads::team_id.eq(excluded(change_heads::team_id)),
                change_heads::round_id.eq(excluded(change_heads::round_id)),
            ))
            .execute(c))?;
    }
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

fn insert_exits(
    conn: &mut DbConn,
    exits: &[(i64, String, String, String)],
    seq_of: impl Fn(i64) -> i64,
) -> QueryResult<()> {
    for (at, user, entity, id) in exits {
        diesel::insert_into(scope_exits::table)
            .values((
                scope_exits::seq.eq(seq_of(*at)),
                scope_exits::user_id.eq(user),
                scope_exits::entity.eq(entity),
                scope_exits::entity_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
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

fn insert_entries(
    conn: &mut DbConn,
    entries: &[Entry],
    seq_of: impl Fn(i64) -> i64,
) -> QueryResult<()> {
    for e in entries {
        diesel::insert_into(scope_entries::table)
            .values((
                scope_entries::id.eq(&e.id),
                scope_entries::seq.eq(seq_of(e.at)),
                scope_entries::user_id.eq(&e.user_id),
                scope_entries::team_id.eq(&e.team_id),
                scope_entries::round_id.eq(&e.round_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A notification stored (or stamped) at `slot` gets its seq at the seal.
pub fn notification_at(slot: Slot, id: &str) {
    if let Slot::Position(p) = slot {
        tail::with(|t| t.changes.notifications.push((p, id.to_owned())));
    }
}

/// The end of a transaction that handed out `positions` positions: takes that many numbers
/// (locking the counter until the commit that follows) and writes every pending row with
/// its seq, `first + position - 1`. Called by `db::tail::seal` only.
pub(crate) fn seal(conn: &mut DbConn, positions: i64, pending: Pending) -> QueryResult<()> {
    if positions == 0 {
        return Ok(());
    }
    let first = take_seqs(conn, positions)? - positions + 1;
    let seq_of = |at: i64| first + at - 1;
    // A head moved twice in the transaction keeps its last position.
    let mut last_of = std::collections::HashMap::with_capacity(pending.heads.len());
    for (i, h) in pending.heads.iter().enumerate() {
        last_of.insert((h.entity.as_str(), h.entity_id.as_str()), i);
    }
    let heads: Vec<Head> = pending
        .heads
        .iter()
        .enumerate()
        .filter(|(i, h)| last_of.get(&(h.entity.as_str(), h.entity_id.as_str())) == Some(i))
        .map(|(_, h)| h.clone())
        .collect();
    upsert_heads(conn, &heads, seq_of)?;
    insert_exits(conn, &pending.exits, seq_of)?;
    insert_entries(conn, &pending.entries, seq_of)?;
    for (at, id) in &pending.notifications {
        diesel::update(notifications::table.find(id))
            .set(notifications::seq.eq(seq_of(*at)))
            .execute(conn)?;
    }
    Ok(())
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
