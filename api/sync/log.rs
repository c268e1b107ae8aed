//! The change log. Every write to a syncable row calls [`record`] in the same transaction:
//! it takes the next sequence number and moves the row's head to it.
//!
//! Commit order equals seq order on both engines: the next number comes from incrementing the
//! single `sync_counter` row, and that row stays locked until the transaction ends, so a
//! second writer waits for the first to commit before it gets its number. (SQLite serializes
//! writers anyway.) A reader that has seen seq 42 can therefore never later find a 41.

use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::schema::{change_heads, scope_exits, sync_counter};
use crate::db::{self, DbConn};

pub fn next_seq(conn: &mut DbConn) -> QueryResult<i64> {
    take_seqs(conn, 1)
}

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

pub fn record(
    conn: &mut DbConn,
    entity: &str,
    entity_id: &str,
    keys: Keys<'_>,
    deleted: bool,
) -> QueryResult<i64> {
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

/// Records changes of distinct rows in order, each with the next number, in one counter
/// update and multi-row upserts of the heads. Returns the last number taken.
pub fn record_many(conn: &mut DbConn, changes: &[Change<'_>]) -> QueryResult<i64> {
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
    let n = changes.len() as i64;
    let last = take_seqs(conn, n)?;
    let first = last - n + 1;
    let rows: Vec<_> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                change_heads::entity.eq(c.entity),
                change_heads::entity_id.eq(c.entity_id),
                change_heads::seq.eq(first + i as i64),
                change_heads::deleted.eq(c.deleted),
                change_heads::team_id.eq(c.keys.team_id),
                change_heads::round_id.eq(c.keys.round_id),
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
    Ok(last)
}

/// Tells each of `user_ids` that a row left their scope: their next pull holds a tombstone.
pub fn exit(
    conn: &mut DbConn,
    user_ids: &[String],
    entity: &str,
    entity_id: &str,
) -> QueryResult<()> {
    if user_ids.is_empty() {
        return Ok(());
    }
    let seq = next_seq(conn)?;
    for u in user_ids {
        diesel::insert_into(scope_exits::table)
            .values((
                scope_exits::seq.eq(seq),
                scope_exits::user_id.eq(u),
                scope_exits::entity.eq(entity),
                scope_exits::entity_id.eq(entity_id),
            ))
            .execute(conn)?;
    }
    Ok(())
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
    let seq = next_seq(conn)?;
    for u in user_ids {
        for (entity, id) in rows {
            diesel::insert_into(scope_exits::table)
                .values((
                    scope_exits::seq.eq(seq),
                    scope_exits::user_id.eq(u),
                    scope_exits::entity.eq(entity),
                    scope_exits::entity_id.eq(id),
                ))
                .execute(conn)?;
        }
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
