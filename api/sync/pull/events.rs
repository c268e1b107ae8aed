//! What a pull reads from the log: row heads after the cursor in the caller's scope, the
//! caller's scope exits (tombstones) and scope entries (working sets to send again).

use diesel::prelude::*;

use crate::db::schema::{change_heads, scope_entries, scope_exits};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::scope::Scope;

/// One row to send at `seq`: live (`data` loaded later) or a tombstone with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub seq: i64,
    pub entity: String,
    pub id: String,
    /// `None` for a live row; `deleted` or `out_of_scope` for a tombstone.
    pub tombstone: Option<&'static str>,
}

/// Which heads the caller may see: `None` = all (administrators, viewers).
#[derive(Debug, Clone)]
pub struct Visible {
    pub teams: Vec<String>,
    pub rounds: Vec<String>,
}

impl Visible {
    pub fn of(conn: &mut DbConn, scope: &Scope) -> Result<Option<Visible>, DomainError> {
        if scope.sees_all() {
            return Ok(None);
        }
        Ok(Some(Visible {
            teams: scope.team_ids.clone(),
            rounds: super::visible_rounds(conn, scope)?,
        }))
    }
}

type HeadQuery<'a> = change_heads::BoxedQuery<'a, <DbConn as diesel::Connection>::Backend>;

fn scoped<'a>(mut q: HeadQuery<'a>, visible: Option<&Visible>) -> HeadQuery<'a> {
    if let Some(v) = visible {
        q = q
            .filter(
                change_heads::team_id
                    .is_null()
                    .or(change_heads::team_id.eq_any(v.teams.clone())),
            )
            .filter(
                change_heads::round_id
                    .is_null()
                    .or(change_heads::round_id.eq_any(v.rounds.clone())),
            );
    }
    q
}

fn events(rows: Vec<(String, String, i64, bool)>) -> Vec<Event> {
    rows.into_iter()
        .map(|(entity, id, seq, deleted)| Event {
            seq,
            entity,
            id,
            tombstone: deleted.then_some("deleted"),
        })
        .collect()
}

/// Up to `n` heads in (`cursor.at`, `upto`] that the caller may see, in seq order. Rows
/// deleted at or below a fresh pull's floor are left out: the device never had them.
pub fn heads(
    conn: &mut DbConn,
    visible: Option<&Visible>,
    cursor: super::Cursor,
    upto: i64,
    n: i64,
) -> Result<Vec<Event>, DomainError> {
    let q = change_heads::table
        .filter(change_heads::seq.gt(cursor.at))
        .filter(change_heads::seq.le(upto))
        .filter(
            change_heads::deleted
                .eq(false)
                .or(change_heads::seq.gt(cursor.floor)),
        )
        .into_boxed();
    let rows = scoped(q, visible)
        .order(change_heads::seq.asc())
        .limit(n)
        .select((
            change_heads::entity,
            change_heads::entity_id,
            change_heads::seq,
            change_heads::deleted,
        ))
        .load(conn)?;
    Ok(events(rows))
}

/// The caller's own notifications changed in (`after`, `upto`], at most `n`: a device gets
/// its user's notifications and never anyone else's (they have no team or round key, so they
/// stay out of `change_heads`, where administrators see every head).
pub fn notifications(
    conn: &mut DbConn,
    user: &str,
    after: i64,
    upto: i64,
    n: i64,
) -> Result<Vec<Event>, DomainError> {
    Ok(
        crate::notifications::store::changed_of(conn, user, after, upto, n)?
            .into_iter()
            .map(|(id, seq)| Event {
                seq,
                entity: "notification".to_owned(),
                id,
                tombstone: None,
            })
            .collect(),
    )
}

/// The caller's tombstones in (`after`, `upto`]: at least `n` of them when there are, and
/// never only part of those that share a position.
pub fn exits(
    conn: &mut DbConn,
    user: &str,
    after: i64,
    upto: i64,
    n: i64,
) -> Result<Vec<Event>, DomainError> {
    let base = || {
        scope_exits::table
            .filter(scope_exits::user_id.eq(user.to_owned()))
            .filter(scope_exits::seq.gt(after))
            .select((
                scope_exits::entity,
                scope_exits::entity_id,
                scope_exits::seq,
            ))
    };
    let mut rows: Vec<(String, String, i64)> = base()
        .filter(scope_exits::seq.le(upto))
        .order(scope_exits::seq.asc())
        .limit(n)
        .load(conn)?;
    if let Some(last) = rows.last().map(|r| r.2).filter(|_| rows.len() as i64 == n) {
        rows.retain(|r| r.2 < last);
        rows.extend(
            base()
                .filter(scope_exits::seq.eq(last))
                .load::<(String, String, i64)>(conn)?,
        );
    }
    Ok(rows
        .into_iter()
        .map(|(entity, id, seq)| Event {
            seq,
            entity,
            id,
            tombstone: Some("out_of_scope"),
        })
        .collect())
}

/// The rows a team or round tombstone takes with it, each a tombstone at the exit's
/// position: every row keyed to that team (or to that round, in one of the caller's teams)
/// whose head is at or below it. A device cannot always find them itself: a pull cut between
/// an inspection's answers and the inspection leaves it holding answers whose inspection it
/// never received. Other tombstones (a single row) stand alone.
pub fn expand_exit(
    conn: &mut DbConn,
    visible: Option<&Visible>,
    exit: &Event,
) -> Result<Vec<Event>, DomainError> {
    let mut q = live_upto(exit.seq);
    match exit.entity.as_str() {
        "team" => q = q.filter(change_heads::team_id.eq(exit.id.clone())),
        "round" => {
            q = q.filter(change_heads::round_id.eq(exit.id.clone()));
            if let Some(v) = visible {
                q = q.filter(
                    change_heads::team_id
                        .is_null()
                        .or(change_heads::team_id.eq_any(v.teams.clone())),
                );
            }
        }
        _ => return Ok(Vec::new()),
    }
    placed(conn, q, exit.seq, Some("out_of_scope"))
}

/// A part of the working set that entered the caller's scope at `seq`.
#[derive(Debug, Clone)]
pub struct Entry {
    pub seq: i64,
    pub team_id: Option<String>,
    pub round_id: Option<String>,
}

pub fn entries(
    conn: &mut DbConn,
    user: &str,
    after: i64,
    upto: i64,
) -> Result<Vec<Entry>, DomainError> {
    let rows: Vec<(i64, Option<String>, Option<String>)> = scope_entries::table
        .filter(scope_entries::user_id.eq(user))
        .filter(scope_entries::seq.gt(after))
        .filter(scope_entries::seq.le(upto))
        .order(scope_entries::seq.asc())
        .select((
            scope_entries::seq,
            scope_entries::team_id,
            scope_entries::round_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(seq, team_id, round_id)| Entry {
            seq,
            team_id,
            round_id,
        })
        .collect())
}

/// The live rows an entry brings back, each placed at the entry's position: every head up to
/// it that matches the entry's keys and that the caller may see now.
pub fn expand(
    conn: &mut DbConn,
    visible: Option<&Visible>,
    entry: &Entry,
) -> Result<Vec<Event>, DomainError> {
    let mut q = live_upto(entry.seq);
    if let Some(t) = &entry.team_id {
        q = q.filter(change_heads::team_id.eq(t.clone()));
    }
    if let Some(r) = &entry.round_id {
        q = q.filter(change_heads::round_id.eq(r.clone()));
    }
    placed(conn, scoped(q, visible), entry.seq, None)
}

/// Live heads at or below `seq`: what a re-send or a cascade is made of.
fn live_upto<'a>(seq: i64) -> HeadQuery<'a> {
    change_heads::table
        .filter(change_heads::seq.le(seq))
        .filter(change_heads::deleted.eq(false))
        .into_boxed()
}

/// Each row `q` finds, as an event placed at `seq` (live, or a tombstone for `reason`).
fn placed(
    conn: &mut DbConn,
    q: HeadQuery<'_>,
    seq: i64,
    reason: Option<&'static str>,
) -> Result<Vec<Event>, DomainError> {
    let rows: Vec<(String, String)> = q
        .order(change_heads::seq.asc())
        .select((change_heads::entity, change_heads::entity_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(entity, id)| Event {
            seq,
            entity,
            id,
            tombstone: reason,
        })
        .collect())
}
