//! The change log's numbering at the end of a transaction (see the parent module and
//! `db::tail`): the rows a transaction's writes noted (`Pending`), the positions they were
//! given, and [`seal`], which takes that many seqs from the counter just before the commit
//! and writes every noted row with its seq. Outside a transaction tail, the same writers
//! number at once (`take_seqs`).

use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::schema::{change_heads, notifications, scope_entries, scope_exits, sync_counter};
use crate::db::{self, tail, DbConn};

/// Takes `n` numbers at once; returns the last (they are `last - n + 1 ..= last`).
pub(super) fn take_seqs(conn: &mut DbConn, n: i64) -> QueryResult<i64> {
    // One statement: the increment takes the row lock and hands back the new number.
    diesel::update(sync_counter::table.find(1))
        .set(sync_counter::seq.eq(sync_counter::seq + n))
        .returning(sync_counter::seq)
        .get_result(conn)
}

/// A head as written, at a position of its transaction (or already at its seq).
#[derive(Debug, Clone)]
pub(super) struct Head {
    pub(super) entity: String,
    pub(super) entity_id: String,
    pub(super) deleted: bool,
    pub(super) team_id: Option<String>,
    pub(super) round_id: Option<String>,
    pub(super) at: i64,
}

/// A part of the working set entering one user's scope (`scope_entries`).
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) at: i64,
    pub(super) id: String,
    pub(super) user_id: String,
    pub(super) team_id: Option<String>,
    pub(super) round_id: Option<String>,
}

/// The change-log rows of an open transaction, written with their seqs at [`seal`].
#[derive(Default)]
pub struct Pending {
    pub(super) heads: Vec<Head>,
    /// (position, user, entity, id)
    pub(super) exits: Vec<(i64, String, String, String)>,
    pub(super) entries: Vec<Entry>,
    /// (position, notification id)
    pub(super) notifications: Vec<(i64, String)>,
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

/// `n` positions of the open transaction (the first, and this connection's placeholder base),
/// or `None` when no transaction tail is open.
pub(super) fn reserve(conn: &mut DbConn, n: i64) -> QueryResult<Option<(i64, i64)>> {
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

/// Writes `heads` with the seq `seq_of(at)` each.
pub(super) fn upsert_heads(
    conn: &mut DbConn,
    heads: &[Head],
    seq_of: impl Fn(i64) -> i64,
) -> QueryResult<()> {
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

pub(super) fn insert_exits(
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

pub(super) fn insert_entries(
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
