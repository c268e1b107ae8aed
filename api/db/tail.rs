//! The tail of a write transaction: what must be numbered in commit order (change-log
//! positions, audit chain entries) is collected while the transaction does its work and
//! written only at its very end, just before the commit ([`seal`]).
//!
//! Why: a number taken from the `sync_counter` row (or the audit chain's head) locks it until
//! commit. Taken at a push's first change, that lock made whole pushes run one at a time on
//! PostgreSQL, fsync included (issue 19). Taken last, it is held only from the sealing
//! statements to the commit, and the long part of every transaction overlaps with the others.
//! Commit order still equals seq order: the counter row's lock is still held until commit.
//!
//! The tail lives in a thread-local because a transaction runs start to finish on one thread
//! ([`super::Db::write_blocking`]) and the connection type cannot carry it. Outside a
//! [`super::Db`] transaction there is no tail, and callers number at once, as before.

use std::cell::RefCell;

use diesel::QueryResult;

use super::DbConn;
use crate::audit::store::{self as audit, Actor};
use crate::sync::log::{self, Pending};

/// The work deferred to the end of one transaction.
#[derive(Default)]
pub struct Tail {
    /// Change-log positions handed out so far: position `p` becomes seq `first + p - 1`.
    pub(crate) positions: i64,
    /// What becomes the change log's rows at seal time.
    pub(crate) changes: Pending,
    /// Audit entries, in order, by actor.
    pub(crate) audit: Vec<(Actor, Vec<audit::Change>)>,
    /// PostgreSQL: this connection's placeholder range (see [`log::placeholder`]).
    pub(crate) placeholder_base: Option<i64>,
}

/// How far the tail had got, to go back to when a savepoint rolls back.
#[derive(Clone, Copy)]
struct Mark {
    audit: usize,
    changes: [usize; 4],
}

thread_local! {
    static TAIL: RefCell<Option<Tail>> = const { RefCell::new(None) };
}

/// Runs `f` on the open transaction's tail; `None` when no [`super::Db`] transaction is open
/// on this thread (the caller then numbers at once).
pub(crate) fn with<R>(f: impl FnOnce(&mut Tail) -> R) -> Option<R> {
    TAIL.with(|t| t.borrow_mut().as_mut().map(f))
}

/// Opens a fresh tail for one transaction; the previous one (if a transaction is somehow
/// nested on this thread) comes back when the guard drops, whatever the outcome.
pub(crate) fn open() -> Guard {
    Guard(TAIL.with(|t| t.borrow_mut().replace(Tail::default())))
}

pub(crate) struct Guard(Option<Tail>);

impl Drop for Guard {
    fn drop(&mut self) {
        let previous = self.0.take();
        TAIL.with(|t| *t.borrow_mut() = previous);
    }
}

/// Runs `f` in a savepoint (a nested transaction). When it rolls back, so does what it added to
/// the tail: a change undone must not be logged or audited at the seal. Every nested
/// transaction inside a `Db` write goes through here.
pub fn savepoint<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::Connection;
    let mark = with(|t| Mark {
        audit: t.audit.len(),
        changes: t.changes.mark(),
    });
    let out = conn.transaction(f);
    if let (Err(_), Some(m)) = (&out, mark) {
        with(|t| {
            t.audit.truncate(m.audit);
            t.changes.rewind(m.changes);
        });
    }
    out
}

/// Writes the deferred work: the audit entries (under the chain's lock), then the change-log
/// rows with consecutive seqs (under the counter's lock). Both locks are taken here, always in
/// this order, and released by the commit that follows at once. Everything else the
/// transaction locked it locked before, so nothing here waits on another transaction's body.
pub(crate) fn seal(conn: &mut DbConn) -> QueryResult<()> {
    let Some(tail) = TAIL.with(|t| t.borrow_mut().take()) else {
        return Ok(());
    };
    let groups: Vec<(&Actor, &[audit::Change])> = tail
        .audit
        .iter()
        .map(|(actor, changes)| (actor, changes.as_slice()))
        .collect();
    audit::append_groups(conn, &groups)?;
    log::seal(conn, tail.positions, tail.changes)
}
