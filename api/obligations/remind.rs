//! Reminders (đôn đốc) of unit reports: each unit's active representatives hear of every
//! report not sent that is due within 7 days or overdue. One a day per person, unit, kind and
//! year (the dedupe key), so the daily run and an administrator's request never double up.
//! Last year's reports are chased too when their due date falls in this year.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde_json::json;

use super::service::{self, Filter, Obligation};
use crate::audit::{self, Actor};
use crate::db::{Db, DbConn};
use crate::domain::DomainError;
use crate::notifications::{notify, NewNotification};
use crate::role::Role;
use crate::scope::Scope;

/// Days before the due date reminders start.
pub const AHEAD_DAYS: i64 = 7;

pub fn dedupe_key(user: &str, o: &Obligation, day: NaiveDate) -> String {
    format!(
        "unit_report:{user}:{}:{}:{}:{day}",
        o.unit_id,
        o.kind.as_str(),
        o.year
    )
}

/// Title and body, in Vietnamese.
pub fn text(o: &Obligation, today: NaiveDate) -> (String, String) {
    let due = crate::time::date_vn(o.due_on);
    if o.overdue {
        (
            format!("Quá hạn nộp: {}", o.kind_label),
            format!(
                "{} chưa nộp {} năm {} (hạn {due}). Đề nghị nộp sớm tại trang Báo cáo.",
                o.unit_name, o.kind_label, o.year
            ),
        )
    } else {
        let days = (o.due_on - today).num_days();
        (
            format!("Sắp đến hạn nộp: {}", o.kind_label),
            format!(
                "{} cần nộp {} năm {} trước hạn {due} (còn {days} ngày).",
                o.unit_name, o.kind_label, o.year
            ),
        )
    }
}

/// Sends today's reminders; returns how many notifications were made.
pub fn send(conn: &mut DbConn, actor: &Actor, today: NaiveDate) -> Result<usize, DomainError> {
    use crate::db::schema::users;
    let all = Scope {
        role: Role::Admin,
        user_id: String::new(),
        team_ids: Vec::new(),
        led_team_ids: Vec::new(),
        unit_id: None,
    };
    let f = Filter {
        status: Some("not_submitted".into()),
        ..Filter::default()
    };
    // Last year's too where Sở Nội vụ set the due date into this year (a year report due in
    // January was never chased); last year's long overdue ones are not chased again each day.
    let mut owed: Vec<Obligation> = service::list(conn, &all, today.year() - 1, &f, today)?
        .into_iter()
        .filter(|o| o.due_on.year() >= today.year())
        .collect();
    owed.extend(service::list(conn, &all, today.year(), &f, today)?);
    owed.retain(|o| super::status::needs_reminder(o.status, o.due_on, today, AHEAD_DAYS));
    let mut made = 0;
    for o in &owed {
        let people: Vec<String> = users::table
            .filter(users::unit_id.eq(&o.unit_id))
            .filter(users::role.eq("unit"))
            .filter(users::disabled.eq(false))
            .select(users::id)
            .load(conn)?;
        let (title, body) = text(o, today);
        for user in people {
            let n = NewNotification {
                dedupe_key: dedupe_key(&user, o, today),
                user_id: user,
                kind: "unit_report".into(),
                title: title.clone(),
                body: body.clone(),
                link: "/bao-cao".into(),
                round_id: None,
                unit_id: Some(o.unit_id.clone()),
            };
            if notify(conn, &n)? {
                made += 1;
            }
        }
    }
    if made > 0 {
        audit::append(
            conn,
            actor,
            "remind",
            "unit_reports",
            &today.year().to_string(),
            None,
            Some(&json!({"notifications": made, "day": today})),
        )?;
    }
    Ok(made)
}

/// The daily run's step (notifications/schedule.rs): logs, never fails the run.
pub async fn daily(db: &Db, today: NaiveDate) {
    match db.write(move |c| send(c, &Actor::cli(), today)).await {
        Ok(n) => tracing::info!(notifications = n, "unit report reminders sent"),
        Err(e) => tracing::warn!(error = %e, "unit report reminders failed"),
    }
}
