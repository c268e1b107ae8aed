//! The change log. Every write to a syncable row calls [`record`] in the same transaction:
//! it takes the next sequence number and moves the row's head to it.
//!
//! Commit order equals seq order on both engines: the next number comes from incrementing the
//! single `sync_counter` row, and that row stays locked until the transaction ends, so a
//! second writer waits for the first to commit before it gets its number. (SQLite serializes
//! writers anyway.) A reader that has seen seq 42 can therefore never later find a 41.

use diesel::prelude::*;

use crate::db::schema::{change_heads, scope_exits, sync_counter};
use crate::db::DbConn;

pub fn next_seq(conn: &mut DbConn) -> QueryResult<i64> {
    // One statement: the increment takes the row lock and hands back the new number.
    diesel::update(sync_counter::table.find(1))
        .set(sync_counter::seq.eq(sync_counter::seq + 1))
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

pub fn record(
    conn: &mut DbConn,
    entity: &str,
    entity_id: &str,
    keys: Keys<'_>,
    deleted: bool,
) -> QueryResult<i64> {
    let seq = next_seq(conn)?;
    let updated = diesel::update(change_heads::table.find((entity, entity_id)))
        .set((
            change_heads::seq.eq(seq),
            change_heads::deleted.eq(deleted),
            change_heads::team_id.eq(keys.team_id),
            change_heads::round_id.eq(keys.round_id),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(change_heads::table)
            .values((
                change_heads::entity.eq(entity),
                change_heads::entity_id.eq(entity_id),
                change_heads::seq.eq(seq),
                change_heads::deleted.eq(deleted),
                change_heads::team_id.eq(keys.team_id),
                change_heads::round_id.eq(keys.round_id),
            ))
            .execute(conn)?;
    }
    Ok(seq)
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
