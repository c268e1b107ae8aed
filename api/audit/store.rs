//! Appending to and reading the audit log. Appends happen inside the caller's transaction, so
//! an entry exists exactly when its change committed.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde_json::Value;

use super::chain::{self, Entry, GENESIS};
use crate::db::schema::audit_log;
use crate::db::{self, DbConn};

/// Who made a change: a signed-in user on a device, or the command line (`None`).
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<String>,
    pub device_id: Option<String>,
}

impl Actor {
    pub fn cli() -> Self {
        Actor::default()
    }
}

/// `QueryableByName` and `Insertable` serve the sync bench, which reads back the rows a push
/// wrote and inserts them again as its floor (benches/sync.rs).
#[derive(Debug, Clone, Queryable, Selectable, QueryableByName, Insertable)]
#[diesel(table_name = audit_log, treat_none_as_null = true)]
pub struct AuditRow {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub device_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    pub fn entry(&self) -> Entry {
        Entry {
            seq: self.seq,
            at: self.at,
            actor_id: self.actor_id.clone(),
            device_id: self.device_id.clone(),
            action: self.action.clone(),
            entity: self.entity.clone(),
            entity_id: self.entity_id.clone(),
            before: self.before.clone(),
            after: self.after.clone(),
        }
    }
}

// Writers on PostgreSQL take this transaction-scoped lock before reading the chain's head,
// so two transactions never chain onto the same entry. (SQLite writers are serialized.)
// Inside a `Db` transaction that happens at its very end (`db::tail::seal`), so the lock is
// held only from the chain's last entries to the commit.
const PG_AUDIT_LOCK: i64 = 0x0061_7564_6974;

/// Records one change. `before`/`after` are the entity's state as JSON (`None` for a create or
/// a delete).
pub fn append(
    conn: &mut DbConn,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> QueryResult<()> {
    let change = Change {
        action: action.to_owned(),
        entity: entity.to_owned(),
        entity_id: entity_id.to_owned(),
        before: before.map(Value::to_string),
        after: after.map(Value::to_string),
    };
    append_many(conn, actor, std::slice::from_ref(&change))
}

/// One change to record with [`append_many`]; `before`/`after` are JSON text.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Records changes by one actor, in order. Inside a `Db` transaction they are chained at its
/// end, just before the commit (`db::tail`); outside one, at once.
pub fn append_many(conn: &mut DbConn, actor: &Actor, changes: &[Change]) -> QueryResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let deferred = crate::db::tail::with(|t| t.audit.push((actor.clone(), changes.to_vec())));
    match deferred {
        Some(()) => Ok(()),
        None => append_now(conn, actor, changes),
    }
}

/// Chains changes by one actor now, in order: the chain's head is read once and the entries
/// go in with multi-row inserts (a push of hundreds of answers), giving exactly the chain that
/// appending them one by one would.
pub(crate) fn append_now(conn: &mut DbConn, actor: &Actor, changes: &[Change]) -> QueryResult<()> {
    append_groups(conn, &[(actor, changes)])
}

/// Chains groups of changes, each by one actor, in order, as [`append_now`] would one group
/// after another, but under one lock, one read of the head and one set of inserts (a
/// transaction's tail holds a group per write that audited).
pub(crate) fn append_groups(conn: &mut DbConn, groups: &[(&Actor, &[Change])]) -> QueryResult<()> {
    if groups.iter().all(|(_, changes)| changes.is_empty()) {
        return Ok(());
    }
    if let DbConn::Pg(c) = conn {
        c.batch_execute(&format!("SELECT pg_advisory_xact_lock({PG_AUDIT_LOCK})"))?;
    }
    let head: Option<(i64, String)> = audit_log::table
        .order(audit_log::seq.desc())
        .select((audit_log::seq, audit_log::hash))
        .first(conn)
        .optional()?;
    let (mut seq, mut prev_hash) = head.unwrap_or((0, GENESIS.to_owned()));
    let at = db::now();
    let at_text = chain::format_at(at);
    let mut linked = Vec::with_capacity(groups.iter().map(|(_, c)| c.len()).sum());
    for (actor, c) in groups
        .iter()
        .flat_map(|(a, cs)| cs.iter().map(move |c| (a, c)))
    {
        seq += 1;
        let entry = Entry {
            seq,
            at,
            actor_id: actor.user_id.clone(),
            device_id: actor.device_id.clone(),
            action: c.action.clone(),
            entity: c.entity.clone(),
            entity_id: c.entity_id.clone(),
            before: c.before.clone(),
            after: c.after.clone(),
        };
        let hash = chain::hash_at(&prev_hash, &entry, &at_text);
        let prev = std::mem::replace(&mut prev_hash, hash.clone());
        linked.push((entry, prev, hash));
    }
    // Owned values: a cached statement's type may not borrow.
    let rows: Vec<_> = linked
        .into_iter()
        .map(|(e, prev, hash)| {
            (
                audit_log::seq.eq(e.seq),
                audit_log::at.eq(e.at),
                audit_log::actor_id.eq(e.actor_id),
                audit_log::device_id.eq(e.device_id),
                audit_log::action.eq(e.action),
                audit_log::entity.eq(e.entity),
                audit_log::entity_id.eq(e.entity_id),
                audit_log::before.eq(e.before),
                audit_log::after.eq(e.after),
                audit_log::prev_hash.eq(prev),
                audit_log::hash.eq(hash),
            )
        })
        .collect();
    crate::per_engine!(conn, c => crate::insert_in_chunks!(c, rows, |v| diesel::insert_into(audit_log::table).values(v)))?;
    Ok(())
}

pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<String>,
    /// Entries with `seq` above this.
    pub after_seq: i64,
    pub limit: i64,
}

type LogQuery<'a> = audit_log::BoxedQuery<'a, <DbConn as diesel::Connection>::Backend>;

/// The entries `f` selects, in no order yet.
fn filtered(f: &AuditFilter) -> LogQuery<'static> {
    let mut q = audit_log::table
        .filter(audit_log::seq.gt(f.after_seq))
        .into_boxed();
    if let Some(e) = &f.entity {
        q = q.filter(audit_log::entity.eq(e.clone()));
    }
    if let Some(id) = &f.entity_id {
        q = q.filter(audit_log::entity_id.eq(id.clone()));
    }
    if let Some(a) = &f.actor_id {
        q = q.filter(audit_log::actor_id.eq(a.clone()));
    }
    q
}

/// Oldest first, from `after_seq` on (`GET /api/v1/audit`).
pub fn list(conn: &mut DbConn, f: &AuditFilter) -> QueryResult<Vec<AuditRow>> {
    filtered(f)
        .order(audit_log::seq.asc())
        .limit(f.limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// Newest first, below `before_seq` when given: the same filters, read backwards (the
/// administrators' log page, where the latest change matters most).
pub fn list_newest(
    conn: &mut DbConn,
    f: &AuditFilter,
    before_seq: Option<i64>,
) -> QueryResult<Vec<AuditRow>> {
    let mut q = filtered(f);
    if let Some(b) = before_seq {
        q = q.filter(audit_log::seq.lt(b));
    }
    q.order(audit_log::seq.desc())
        .limit(f.limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// Verifies the whole chain, a page at a time.
pub fn verify(conn: &mut DbConn) -> QueryResult<Result<usize, chain::Broken>> {
    let mut verifier = chain::Verifier::default();
    let mut after = 0;
    loop {
        let filter = AuditFilter {
            entity: None,
            entity_id: None,
            actor_id: None,
            after_seq: after,
            limit: 1000,
        };
        let page = list(conn, &filter)?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for row in &page {
            if let Err(broken) = verifier.check(&row.entry(), &row.prev_hash, &row.hash) {
                return Ok(Err(broken));
            }
        }
    }
    Ok(Ok(verifier.checked()))
}
