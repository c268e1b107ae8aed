//! The e-mail outbox: a task started with the server (when `KIEMTRA_SMTP__URL` is set) that
//! mails the notifications table's due rows: the owner has an address and is not disabled,
//! `emailed_at` is empty and `email_next_at` has come.
//!
//! Several processes may run it on one database. A row is claimed before it is sent by moving
//! its `email_next_at` past the send's longest time (a lease) and committing: another sender
//! then finds it not due. Two senders never claim one row: PostgreSQL locks it while claiming
//! (`FOR UPDATE SKIP LOCKED`: the other takes the next row), SQLite has one writer at a time.
//! The mail goes out with no transaction open. Then the row is marked: sent
//! (`emailed_at`), or failed (`email_error`, `email_attempts` + 1, and `email_next_at` after a
//! doubling wait, empty once given up). Nothing is sent again after it is marked sent; a
//! process that dies between sending and marking leaves the lease to run out, and another
//! try sends it once more: at least once, never lost.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::mail::{self, Outgoing};
use crate::config::SmtpSettings;
use crate::db::schema::{notifications, users};
use crate::db::{self, Db, DbConn, DbError};

/// A relay ready to send to, and what every mail needs.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
    settings: SmtpSettings,
}

impl Mailer {
    /// `None` when SMTP is off; an error for settings that cannot work (also refused when
    /// the settings are loaded, see `SmtpSettings::check`).
    pub fn new(s: &SmtpSettings) -> Result<Option<Mailer>, String> {
        let Some(url) = &s.url else {
            return Ok(None);
        };
        s.check()?;
        let from = s
            .from
            .as_deref()
            .unwrap_or_default()
            .parse::<Mailbox>()
            .map_err(|e| format!("KIEMTRA_SMTP__FROM: {e}"))?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
            .map_err(|e| format!("KIEMTRA_SMTP__URL: {e}"))?
            .timeout(Some(Duration::from_secs(s.timeout_secs)));
        if let (Some(user), Some(pw)) = (&s.username, &s.password) {
            builder =
                builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
                    user.clone(),
                    pw.expose().to_owned(),
                ));
        }
        Ok(Some(Mailer {
            transport: builder.build(),
            from,
            public_url: s.public_url.clone().unwrap_or_default(),
            settings: s.clone(),
        }))
    }

    /// The longest one send may take: a few SMTP commands, each within the timeout.
    fn send_limit(&self) -> Duration {
        Duration::from_secs(self.settings.timeout_secs.saturating_mul(4))
    }

    /// How long a claim holds a row: the send's longest time and a minute to mark it.
    fn lease(&self) -> chrono::Duration {
        let secs = self.send_limit().as_secs().saturating_add(60);
        chrono::Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX / 1000))
    }

    /// Sends `m`; the error as the row keeps it.
    async fn send(&self, m: &Outgoing) -> Result<(), String> {
        let msg = mail::message(&self.from, &self.public_url, m).map_err(|e| e.to_string())?;
        match tokio::time::timeout(self.send_limit(), self.transport.send(msg)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer within {:?}", self.send_limit())),
        }
    }
}

/// A claimed row: the mail, and how many tries it had before this one.
struct Claimed {
    mail: Outgoing,
    attempts: i32,
}

/// The next due row of someone who can be mailed, oldest due first (SQLite's claim below says
/// the same in SQL).
macro_rules! due {
    ($now:expr, $oldest:expr) => {
        notifications::table
            .filter(notifications::emailed_at.is_null())
            .filter(notifications::email_next_at.le($now))
            .filter(notifications::created_at.ge($oldest))
            .filter(
                notifications::user_id.eq_any(
                    users::table
                        .filter(users::email.is_not_null())
                        .filter(users::disabled.eq(false))
                        .select(users::id),
                ),
            )
            .order(notifications::email_next_at.asc())
            .limit(1)
            .select(notifications::id)
    };
}

/// Claims the next due row, if any, by moving its `email_next_at` to `lease_until`.
/// PostgreSQL: the row is locked with `FOR UPDATE SKIP LOCKED`, so a second sender takes the
/// next one instead of waiting. SQLite: the claim is one UPDATE, the transaction's first
/// statement, so it takes the write lock at once (waiting its turn, `busy_timeout`) instead
/// of reading first and failing to upgrade when another process wrote in between.
fn claim(
    conn: &mut DbConn,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    oldest: NaiveDateTime,
) -> QueryResult<Option<Claimed>> {
    let id: Option<String> = match conn {
        DbConn::Pg(c) => {
            let id: Option<String> = due!(now, oldest)
                .for_update()
                .skip_locked()
                .first(c)
                .optional()?;
            if let Some(id) = &id {
                diesel::update(notifications::table.find(id))
                    .set(notifications::email_next_at.eq(lease_until))
                    .execute(c)?;
            }
            id
        }
        DbConn::Sqlite(c) => {
            use diesel::sql_types::{Text, Timestamp};
            #[derive(QueryableByName)]
            struct Id {
                #[diesel(sql_type = Text)]
                id: String,
            }
            // The same rows as `due!`, as one UPDATE (diesel will not update through a
            // subquery on the same table).
            diesel::sql_query(
                "UPDATE notifications SET email_next_at = ? WHERE id = (\
                 SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id \
                 WHERE n.emailed_at IS NULL AND n.email_next_at <= ? AND n.created_at >= ? \
                 AND u.email IS NOT NULL AND u.disabled = 0 \
                 ORDER BY n.email_next_at LIMIT 1) RETURNING id",
            )
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(oldest)
            .get_result::<Id>(c)
            .optional()?
            .map(|r| r.id)
        }
    };
    let Some(id) = id else {
        return Ok(None);
    };
    let row: (
        String,
        String,
        String,
        String,
        String,
        NaiveDateTime,
        i32,
        Option<String>,
    ) = notifications::table
        .inner_join(users::table.on(users::id.eq(notifications::user_id)))
        .filter(notifications::id.eq(&id))
        .select((
            notifications::id,
            users::full_name,
            notifications::title,
            notifications::body,
            notifications::link,
            notifications::created_at,
            notifications::email_attempts,
            users::email,
        ))
        .first(conn)?;
    let (notification_id, full_name, title, body, link, created_at, attempts, email) = row;
    Ok(Some(Claimed {
        mail: Outgoing {
            notification_id,
            full_name,
            email: email.unwrap_or_default(),
            title,
            body,
            link,
            created_at,
        },
        attempts,
    }))
}

/// Records the outcome of a try on a row this sender claimed.
fn mark(
    conn: &mut DbConn,
    id: &str,
    attempts: i32,
    outcome: &Result<(), String>,
    next_at: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    let row = notifications::table
        .find(id)
        .filter(notifications::emailed_at.is_null());
    match outcome {
        Ok(()) => diesel::update(row)
            .set((
                notifications::emailed_at.eq(db::now()),
                notifications::email_attempts.eq(attempts + 1),
                notifications::email_error.eq(None::<String>),
                notifications::email_next_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn),
        Err(e) => diesel::update(row)
            .set((
                notifications::email_attempts.eq(attempts + 1),
                notifications::email_error.eq(Some(mail::error_text(e))),
                notifications::email_next_at.eq(next_at),
            ))
            .execute(conn),
    }
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub failed: usize,
}

/// Sends every due row, one claim at a time, until none is due (or `limit` tries were made,
/// so the loop yields now and then).
pub async fn run_once(mailer: &Mailer, db: &Db, limit: usize) -> Result<Pass, DbError> {
    let s = &mailer.settings;
    let max_age = chrono::Duration::hours(i64::try_from(s.max_age_hours).unwrap_or(24 * 365));
    let lease = mailer.lease();
    let mut pass = Pass::default();
    while pass.sent + pass.failed < limit {
        let now = db::now();
        let claimed = db
            .write(move |c| claim(c, now, now + lease, now - max_age).map_err(DbError::from))
            .await?;
        let Some(Claimed { mail, attempts }) = claimed else {
            break;
        };
        let outcome = mailer.send(&mail).await;
        let failures = u32::try_from(attempts + 1).unwrap_or(u32::MAX);
        let next_at = mail::retry_after(
            failures,
            s.retry_base_secs,
            s.retry_max_secs,
            s.max_attempts,
        )
        .and_then(|d| chrono::Duration::from_std(d).ok())
        .map(|d| db::now() + d);
        match &outcome {
            Ok(()) => pass.sent += 1,
            Err(e) => {
                pass.failed += 1;
                tracing::warn!(notification = %mail.notification_id, attempt = failures, given_up = next_at.is_none(), error = %e, "e-mail not sent");
            }
        }
        let id = mail.notification_id.clone();
        db.write(move |c| mark(c, &id, attempts, &outcome, next_at).map_err(DbError::from))
            .await?;
    }
    Ok(pass)
}

/// Starts the sender when SMTP is configured.
pub fn start(settings: &SmtpSettings, db: Db) {
    let mailer = match Mailer::new(settings) {
        Ok(Some(m)) => m,
        Ok(None) => return,
        Err(e) => {
            tracing::error!(error = %e, "SMTP settings unusable: notifications are not e-mailed");
            return;
        }
    };
    let poll = Duration::from_secs(settings.poll_secs.max(1));
    tokio::spawn(async move {
        loop {
            match run_once(&mailer, &db, 200).await {
                Ok(p) if p.sent + p.failed > 0 => {
                    tracing::info!(sent = p.sent, failed = p.failed, "notification e-mails")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "e-mail outbox"),
            }
            tokio::time::sleep(poll).await;
        }
    });
}
