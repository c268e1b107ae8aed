//! Pull: the latest state of every row in the caller's scope that changed after a cursor,
//! with tombstones for deleted rows and for rows that left the caller's scope, and the whole
//! of any part of the working set that entered it (see `scope_change`).

mod events;
mod rows;

pub use rows::{answer_view, load, load_readable};

use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::db::schema::sync_counter;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::scope::Scope;

#[derive(Debug, Serialize, ToSchema)]
pub struct Change {
    /// Position in the change log; changes come in increasing `seq`.
    pub seq: i64,
    /// `unit`, `team`, `template_version`, `round`, `assignment`, `inspection`, `answer`,
    /// `recommendation`, `comment`, `evidence`, `conflict`, `notification` (the caller's
    /// own only), `remedy`, `earlier_recommendation` or `self_assessment` (submitted only).
    pub entity: String,
    /// The row's id (`<inspection id>/<item id>` for answers).
    pub id: String,
    /// A tombstone: delete the row locally (and, for a team, round or inspection, everything
    /// that belongs to it).
    pub deleted: bool,
    /// For tombstones: `deleted` or `out_of_scope`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// The row's current state; absent for tombstones.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PullPage {
    pub changes: Vec<Change>,
    /// Pass as `cursor` next time. Opaque.
    pub next_cursor: String,
    /// More changes wait: pull again at once with `next_cursor`.
    pub has_more: bool,
    pub schema_version: u32,
    /// The server's clock as an HLC, for the device to merge into its own.
    pub server_hlc: String,
}

pub const MAX_LIMIT: i64 = 5000;

pub fn visible_rounds(conn: &mut DbConn, scope: &Scope) -> QueryResult<Vec<String>> {
    use crate::db::schema::{assignments, rounds};
    let mut q = assignments::table
        .inner_join(rounds::table)
        .filter(assignments::team_id.eq_any(scope.team_ids.clone()))
        .select(rounds::id)
        .into_boxed();
    if scope.open_rounds_only() {
        q = q.filter(rounds::status.eq("open"));
    }
    let mut ids: Vec<String> = q.load(conn)?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// A position in the change log, as the opaque `cursor` a client passes back: `"<at>"`, or
/// `"<at>.<floor>"` while the pages of a fresh pull are read. A fresh pull is the working set
/// as of its first page (`floor`), so tombstones and re-sends at or below the floor are not
/// for this device: it never had those rows, or already has them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub at: i64,
    pub floor: i64,
}

impl Cursor {
    pub fn at(at: i64) -> Cursor {
        Cursor { at, floor: 0 }
    }

    /// `None` for text this server never made.
    pub fn parse(raw: &str) -> Option<Cursor> {
        let (at, floor): (i64, i64) = match raw.split_once('.') {
            Some((a, f)) => (a.parse().ok()?, f.parse().ok()?),
            None => (raw.parse().ok()?, 0),
        };
        (at >= 0 && floor >= 0).then_some(Cursor { at, floor })
    }

    fn encode(self) -> String {
        if self.floor > self.at {
            format!("{}.{}", self.at, self.floor)
        } else {
            self.at.to_string()
        }
    }
}

/// One page of changes after `cursor`, in the scope of `scope`. Run it in one read.
pub fn pull(
    conn: &mut DbConn,
    scope: &Scope,
    cursor: i64,
    limit: i64,
) -> Result<PullPage, DomainError> {
    pull_at(conn, scope, Cursor::at(cursor), limit)
}

pub fn pull_at(
    conn: &mut DbConn,
    scope: &Scope,
    at: Cursor,
    limit: i64,
) -> Result<PullPage, DomainError> {
    let cursor = at.at;
    let limit = limit.clamp(1, MAX_LIMIT);
    // The counter first: every seq at or below it is committed (commit order = seq order), so
    // reading heads up to it can never skip a change that commits later.
    let snapshot: i64 = sync_counter::table
        .find(1)
        .select(sync_counter::seq)
        .get_result(conn)?;
    if cursor > snapshot {
        return Err(DomainError::CursorAhead { server: snapshot });
    }
    let visible = events::Visible::of(conn, scope)?;
    // A fresh pull's floor is its first page's snapshot.
    let floor = if cursor == 0 { snapshot } else { at.floor };
    let page = select(
        conn,
        scope,
        visible.as_ref(),
        Cursor { at: cursor, floor },
        snapshot,
        limit,
    )?;
    // Answers are read together; any other row by its key.
    let answer_ids: Vec<&str> = page
        .events
        .iter()
        .filter(|e| e.entity == "answer" && e.tombstone.is_none())
        .map(|e| e.id.as_str())
        .collect();
    let mut answers = rows::answers(conn, &answer_ids)?;
    let mut changes = Vec::with_capacity(page.events.len());
    for e in page.events {
        changes.push(change(conn, e, &mut answers)?);
    }
    let next = if page.has_more {
        Cursor {
            at: changes.last().map_or(cursor, |c| c.seq),
            floor,
        }
    } else {
        Cursor::at(snapshot.max(cursor))
    };
    Ok(PullPage {
        changes,
        next_cursor: next.encode(),
        has_more: page.has_more,
        schema_version: super::SCHEMA_VERSION,
        server_hlc: super::hlc::Hlc::server(super::hlc::now_ms()).to_string(),
    })
}

struct Selected {
    events: Vec<events::Event>,
    has_more: bool,
}

/// The page's rows in order: heads, tombstones and re-sent working sets merged by position,
/// at least `limit` of them when there are, never splitting one position across pages
/// (the cursor is a position), each row once, at its last position.
fn select(
    conn: &mut DbConn,
    scope: &Scope,
    visible: Option<&events::Visible>,
    cursor: Cursor,
    snapshot: i64,
    limit: i64,
) -> Result<Selected, DomainError> {
    let mut all = events::heads(conn, visible, cursor, snapshot, limit + 1)?;
    // The caller's own notifications: kept out of the shared heads, read by owner.
    all.extend(events::notifications(
        conn,
        &scope.user_id,
        cursor.at,
        snapshot,
        limit + 1,
    )?);
    // A fresh pull is the whole working set as it is now: no tombstones, no re-sends, until
    // its pages reach past where it began.
    let after = cursor.at.max(cursor.floor);
    if after < snapshot {
        let exits = events::exits(conn, &scope.user_id, after, snapshot, limit + 1)?;
        for exit in &exits {
            all.extend(events::expand_exit(conn, visible, exit)?);
        }
        all.extend(exits);
        for entry in events::entries(conn, &scope.user_id, after, snapshot)? {
            all.extend(events::expand(conn, visible, &entry)?);
        }
    }
    all.sort_by_key(|e| e.seq);
    let has_more = all.len() as i64 > limit;
    if has_more {
        let cut = usize::try_from(limit).unwrap_or(0);
        let edge = all[cut - 1].seq;
        let keep = all.iter().take_while(|e| e.seq <= edge).count();
        all.truncate(keep);
    }
    Ok(Selected {
        events: last_of_each(all),
        has_more,
    })
}

/// Each (entity, id) once, at its last position (the list is in position order).
fn last_of_each(events: Vec<events::Event>) -> Vec<events::Event> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<events::Event> = events
        .into_iter()
        .rev()
        .filter(|e| seen.insert((e.entity.clone(), e.id.clone())))
        .collect();
    out.reverse();
    out
}

/// One event as a change; `answers` holds the page's answers, already read.
fn change(
    conn: &mut DbConn,
    e: events::Event,
    answers: &mut std::collections::HashMap<String, Value>,
) -> Result<Change, DomainError> {
    let data = match e.tombstone {
        Some(_) => None,
        None if e.entity == "answer" => answers.remove(&e.id),
        None => load(conn, &e.entity, &e.id)?,
    };
    let gone = data.is_none();
    Ok(Change {
        seq: e.seq,
        entity: e.entity,
        id: e.id,
        deleted: gone,
        reason: gone.then(|| e.tombstone.unwrap_or("deleted")),
        data,
    })
}
