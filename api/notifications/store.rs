//! Notification rows: made once per dedupe key, listed and marked read by their owner only.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::notifications;
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: String,
    pub user_id: String,
    /// What made it, e.g. `reminder`.
    pub kind: String,
    /// In Vietnamese.
    pub title: String,
    /// In Vietnamese.
    pub body: String,
    /// A path of the web app, e.g. `/dot/{id}/con-thieu`.
    pub link: String,
    pub round_id: Option<String>,
    pub unit_id: Option<String>,
    #[serde(skip)]
    pub dedupe_key: String,
    #[serde(serialize_with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::time::utc_opt")]
    pub read_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::time::utc_opt")]
    pub emailed_at: Option<NaiveDateTime>,
    #[serde(skip)]
    pub email_attempts: i32,
    #[serde(skip)]
    pub email_error: Option<String>,
    #[serde(skip)]
    pub email_next_at: Option<NaiveDateTime>,
    #[serde(skip)]
    pub seq: i64,
}

/// What an area asks to tell someone. `dedupe_key` names the event: a second notify with the
/// same key (again, or from another process at the same moment) stores nothing.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub user_id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub round_id: Option<String>,
    pub unit_id: Option<String>,
    pub dedupe_key: String,
}

/// Stores `n` unless its dedupe key is taken; true when stored. Run it in the caller's
/// transaction. The unique key decides, not a read before the insert, so two processes
/// racing store one row. On PostgreSQL, notifying transactions first queue on a lock of
/// their own, held until commit, so the second finds the first's rows instead of two
/// inserting in different orders and deadlocking (the change log's counter, which used to
/// queue them, is now locked only at the very end: `db::tail`). A position taken for a
/// duplicate is left unused, which pull does not mind.
pub fn notify(conn: &mut DbConn, n: &NewNotification) -> QueryResult<bool> {
    if let DbConn::Pg(c) = conn {
        use diesel::connection::SimpleConnection;
        c.batch_execute(&format!("SELECT pg_advisory_xact_lock({PG_NOTIFY_LOCK})"))?;
    }
    let slot = crate::sync::log::slot(conn)?;
    let id = db::new_id();
    let now = db::now();
    let row = (
        notifications::id.eq(&id),
        notifications::user_id.eq(&n.user_id),
        notifications::kind.eq(&n.kind),
        notifications::title.eq(&n.title),
        notifications::body.eq(&n.body),
        notifications::link.eq(&n.link),
        notifications::round_id.eq(&n.round_id),
        notifications::unit_id.eq(&n.unit_id),
        notifications::dedupe_key.eq(&n.dedupe_key),
        notifications::created_at.eq(now),
        notifications::email_attempts.eq(0),
        notifications::email_next_at.eq(now),
        notifications::seq.eq(slot.provisional()),
    );
    let stored = crate::per_engine!(conn, c => diesel::insert_into(notifications::table)
        .values(row)
        .on_conflict(notifications::dedupe_key)
        .do_nothing()
        .execute(c))?;
    if stored > 0 {
        crate::sync::log::notification_at(slot, &id);
    }
    Ok(stored > 0)
}

// Serializes the transactions that store notifications (see [`notify`]).
const PG_NOTIFY_LOCK: i64 = 0x006e_6f74_6966;

/// Moves the row to the change log's next position, so the owner's next pull carries it.
/// (Its seq is taken at the transaction's end: positions keep commit order, as `sync::log`.)
fn stamp(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    let slot = crate::sync::log::slot(conn)?;
    diesel::update(notifications::table.find(id))
        .set(notifications::seq.eq(slot.provisional()))
        .execute(conn)?;
    crate::sync::log::notification_at(slot, id);
    Ok(())
}

/// The owner's notifications, newest first, and how many there are.
pub fn list_of(
    conn: &mut DbConn,
    user_id: &str,
    unread_only: bool,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<NotificationRow>, i64)> {
    let base = || {
        let mut q = notifications::table
            .filter(notifications::user_id.eq(user_id.to_owned()))
            .into_boxed();
        if unread_only {
            q = q.filter(notifications::read_at.is_null());
        }
        q
    };
    let total = base().count().get_result(conn)?;
    let rows = base()
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(NotificationRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Unread notifications of `user_id`: one indexed count, cheap enough for every page header.
pub fn unread_count(conn: &mut DbConn, user_id: &str) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
}

/// The caller's own notification `id`; `None` for another person's (the caller is told 404).
pub fn find_own(
    conn: &mut DbConn,
    user_id: &str,
    id: &str,
) -> QueryResult<Option<NotificationRow>> {
    notifications::table
        .find(id)
        .filter(notifications::user_id.eq(user_id))
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()
}

/// Marks the owner's notification read (once: reading again changes nothing).
pub fn mark_read(
    conn: &mut DbConn,
    user_id: &str,
    id: &str,
) -> QueryResult<Option<NotificationRow>> {
    let Some(row) = find_own(conn, user_id, id)? else {
        return Ok(None);
    };
    if row.read_at.is_none() {
        diesel::update(notifications::table.find(id))
            .set(notifications::read_at.eq(db::now()))
            .execute(conn)?;
        stamp(conn, id)?;
    }
    find_own(conn, user_id, id)
}

/// Sends the owner's notification again at their next pull, as it is (a device changed it in
/// a way the server does not take: see `sync::watermelon::followup_push`). False for anyone
/// else's.
pub fn resend(conn: &mut DbConn, user_id: &str, id: &str) -> QueryResult<bool> {
    if find_own(conn, user_id, id)?.is_none() {
        return Ok(false);
    }
    stamp(conn, id)?;
    Ok(true)
}

/// Marks every unread notification of the owner read; returns how many.
pub fn mark_all_read(conn: &mut DbConn, user_id: &str) -> QueryResult<usize> {
    let ids: Vec<String> = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .select(notifications::id)
        .load(conn)?;
    let now = db::now();
    for id in &ids {
        diesel::update(notifications::table.find(id))
            .set(notifications::read_at.eq(now))
            .execute(conn)?;
        stamp(conn, id)?;
    }
    Ok(ids.len())
}

/// Pull: the owner's notifications whose last change is in (`after`, `upto`], at most `n`, in
/// position order. Never anyone else's: the owner is the filter, whatever the caller's role.
pub fn changed_of(
    conn: &mut DbConn,
    user_id: &str,
    after: i64,
    upto: i64,
    n: i64,
) -> QueryResult<Vec<(String, i64)>> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::seq.gt(after))
        .filter(notifications::seq.le(upto))
        .order(notifications::seq.asc())
        .limit(n)
        .select((notifications::id, notifications::seq))
        .load(conn)
}

/// A row as pull sends it.
pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<NotificationRow>> {
    notifications::table
        .find(id)
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()
}
