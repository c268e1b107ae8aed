//! How many statements and commits the server sends its database, counted by the connections
//! themselves (diesel's instrumentation), on both engines. `/metrics` shows them
//! (`kiemtra_db_statements_total`, `kiemtra_db_commits_total`), tests bound them per request
//! (tests/api/sync_scale.rs), and docs/performance.md reads them per push: on PostgreSQL
//! every statement is a round trip and every commit a WAL flush, so they are the cost a push
//! can cut without changing what it does (issue 19). `RUST_LOG=kiemtra::db::stats=trace`
//! logs each statement's SQL.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::result::{DatabaseErrorKind, Error};

/// Counters shared by every connection of one [`super::Db`].
#[derive(Debug, Default)]
pub struct DbStats {
    statements: AtomicU64,
    commits: AtomicU64,
}

/// A reading of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Statements sent, `BEGIN`, `COMMIT` and savepoints included.
    pub statements: u64,
    /// Transactions committed: each outermost `COMMIT`, and each statement run outside a
    /// transaction (it commits on its own, as PostgreSQL's `xact_commit` counts it).
    pub commits: u64,
}

impl Counts {
    /// What was counted since `before`.
    pub fn since(self, before: Counts) -> Counts {
        Counts {
            statements: self.statements - before.statements,
            commits: self.commits - before.commits,
        }
    }
}

const OUTERMOST: NonZeroU32 = NonZeroU32::MIN;

/// Where one connection stands: outside a transaction, inside one, or about to send the
/// `COMMIT`/`ROLLBACK` that ends it (diesel announces the end before sending it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Outside,
    Inside,
    Ending,
}

impl DbStats {
    pub fn counts(&self) -> Counts {
        Counts {
            statements: self.statements.load(Ordering::Relaxed),
            commits: self.commits.load(Ordering::Relaxed),
        }
    }

    /// The instrumentation for one new connection.
    pub fn instrument(self: &Arc<Self>) -> Counter {
        Counter {
            stats: Arc::clone(self),
            state: State::Outside,
            last_ok: None,
            lost: false,
        }
    }

    /// The counters in Prometheus' text format, with `kiemtra_` names.
    pub fn render(&self) -> String {
        let c = self.counts();
        format!(
            "# HELP kiemtra_db_statements_total Statements sent to the database.\n\
             # TYPE kiemtra_db_statements_total counter\n\
             kiemtra_db_statements_total {}\n\
             # HELP kiemtra_db_commits_total Transactions committed, statements outside a transaction included.\n\
             # TYPE kiemtra_db_commits_total counter\n\
             kiemtra_db_commits_total {}\n",
            c.statements, c.commits
        )
    }
}

/// One connection's instrumentation: counts into its [`DbStats`], and remembers whether the
/// connection answered lately or was found lost (the pool asks, see `pool.rs`).
pub struct Counter {
    stats: Arc<DbStats>,
    state: State,
    /// When a statement last succeeded.
    last_ok: Option<Instant>,
    /// The server closed the connection or could not be reached on it.
    lost: bool,
}

impl Counter {
    /// Answered within `fresh`, and not lost since: no need to ping it before use.
    pub fn answered_within(&self, fresh: Duration) -> bool {
        !self.lost && self.last_ok.is_some_and(|t| t.elapsed() < fresh)
    }

    pub fn lost(&self) -> bool {
        self.lost
    }
}

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        let stats = &self.stats;
        match event {
            InstrumentationEvent::StartQuery { query, .. } => {
                // `RUST_LOG=kiemtra::db::stats=trace` lists them, to see what a request sends.
                tracing::trace!(sql = %query, "statement");
                stats.statements.fetch_add(1, Ordering::Relaxed);
                match self.state {
                    State::Outside => {
                        stats.commits.fetch_add(1, Ordering::Relaxed);
                    }
                    State::Ending => self.state = State::Outside,
                    State::Inside => {}
                }
            }
            InstrumentationEvent::FinishQuery { error: None, .. } => {
                self.last_ok = Some(Instant::now());
            }
            InstrumentationEvent::FinishQuery {
                error:
                    Some(Error::DatabaseError(
                        DatabaseErrorKind::ClosedConnection
                        | DatabaseErrorKind::UnableToSendCommand,
                        _,
                    )),
                ..
            } => {
                self.lost = true;
            }
            InstrumentationEvent::BeginTransaction { depth, .. } if depth == OUTERMOST => {
                self.state = State::Inside;
            }
            InstrumentationEvent::CommitTransaction { depth, .. } if depth == OUTERMOST => {
                stats.commits.fetch_add(1, Ordering::Relaxed);
                self.state = State::Ending;
            }
            InstrumentationEvent::RollbackTransaction { depth, .. } if depth == OUTERMOST => {
                self.state = State::Ending;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::Connection;

    #[test]
    fn statements_and_commits_are_counted() {
        let stats = Arc::new(DbStats::default());
        let mut c = diesel::SqliteConnection::establish(":memory:").unwrap();
        c.set_instrumentation(stats.instrument());
        c.batch_execute("CREATE TABLE t (x INTEGER)").unwrap();
        assert_eq!(
            stats.counts(),
            Counts {
                statements: 1,
                commits: 1
            }
        );
        c.transaction::<_, diesel::result::Error, _>(|c| {
            c.batch_execute("INSERT INTO t VALUES (1)")?;
            c.transaction(|c| c.batch_execute("INSERT INTO t VALUES (2)"))
        })
        .unwrap();
        // BEGIN, insert, SAVEPOINT, insert, RELEASE, COMMIT: one commit.
        assert_eq!(
            stats.counts(),
            Counts {
                statements: 7,
                commits: 2
            }
        );
        let _ = c.transaction::<(), _, _>(|c| {
            c.batch_execute("INSERT INTO t VALUES (3)")?;
            Err(diesel::result::Error::RollbackTransaction)
        });
        c.batch_execute("SELECT 1").unwrap();
        assert_eq!(
            stats.counts(),
            Counts {
                statements: 11,
                commits: 3
            }
        );
    }
}
