//! A push of the follow-up tables (docs/sync.md, "The WatermelonDB face"). The rules are the
//! REST API's, through its own services, never a copy of them:
//! - `remedies`: a new one is a khắc phục note with the follow-up status it sets, added by
//!   `recommendations::service::add_remedy`, so whoever may add one over REST may add one
//!   from a device (administrators, leads of a team the unit is assigned to) and nobody else.
//!   Its refusal (403, 404 for a recommendation out of reach, 409, 422) is the push's answer,
//!   and nothing of the push is applied. Pushed again unchanged (a retry, or WatermelonDB
//!   sending a synced record again) it changes nothing. Written without seeing the
//!   recommendation's latest change (its head moved after `last_pulled_at`) it is 409
//!   `sync_stale`, like any stale record: the device pulls, then pushes again.
//! - `notifications`: the caller's own; `read_at` set marks it read, as
//!   `POST /notifications/{id}/read` does. Any other id (another person's, or made up) is 404,
//!   the same answer for both, and nobody's notification is marked read but its owner's.
//! - Anything else (a remedy changed or deleted, any change to earlier recommendations or
//!   self-assessments, a notification deleted) is 422 `read_only`, each record named by its
//!   JSON pointer, before anything is applied.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use super::raw::text;
use super::stale::head_seq;
use super::TableChanges;
use crate::audit::Actor;
use crate::db::DbConn;
use crate::domain::{client_id, DomainError, Faults};
use crate::notifications::store as notifications;
use crate::recommendations::service::{self as recommendations, RemedyInput};
use crate::scope::Scope;

/// Tables whose every change is refused.
const READ_ONLY: [&str; 2] = ["earlier_recommendations", "self_assessments"];
/// Tables whose deletions are refused.
const NEVER_DELETED: [&str; 2] = ["remedies", "notifications"];

/// Refuses, before anything is applied, the changes no device may push.
pub(super) fn check(changes: &BTreeMap<String, TableChanges>) -> Result<(), DomainError> {
    let mut f = Faults::default();
    for (table, t) in changes {
        let table = table.as_str();
        if READ_ONLY.contains(&table) {
            for (kind, n) in [("created", t.created.len()), ("updated", t.updated.len())] {
                (0..n).for_each(|i| refuse(&mut f, table, kind, i));
            }
        }
        if READ_ONLY.contains(&table) || NEVER_DELETED.contains(&table) {
            (0..t.deleted.len()).for_each(|i| refuse(&mut f, table, "deleted", i));
        }
    }
    f.finish()
}

fn refuse(f: &mut Faults, table: &str, kind: &str, i: usize) {
    f.push(
        &format!("/changes/{table}/{kind}/{i}"),
        "read_only",
        "A device does not change this record: earlier recommendations and self-assessments \
         are read only; a remedy is never changed or deleted (add a new one); a notification \
         is never deleted (mark it read).",
        "Thiết bị không được sửa bản ghi này: kiến nghị kỳ trước và bản tự đánh giá chỉ để \
         xem; khắc phục đã ghi không sửa, không xoá được (hãy ghi khắc phục mới); thông báo \
         không xoá được (chỉ đánh dấu đã đọc).",
    );
}

/// Adds the new remedies and applies the read marks (after the engine, in its transaction).
pub(super) fn apply(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    last_pulled_at: i64,
    changes: &BTreeMap<String, TableChanges>,
) -> Result<(), DomainError> {
    for (table, t) in changes {
        let mut seen = HashSet::new();
        for rec in t.created.iter().chain(&t.updated) {
            let id = text(rec, "id").unwrap_or_default();
            if !seen.insert(id.clone()) {
                continue;
            }
            match table.as_str() {
                "remedies" => remedy(conn, actor, scope, last_pulled_at, &id, rec)?,
                "notifications" => notification(conn, scope, &id, rec)?,
                _ => {}
            }
        }
    }
    Ok(())
}

fn remedy(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    last_pulled_at: i64,
    id: &str,
    rec: &Map<String, Value>,
) -> Result<(), DomainError> {
    let id = client_id("/id", Some(id))?;
    let rec_id = text(rec, "recommendation_id").unwrap_or_default();
    let input = RemedyInput {
        note: text(rec, "note").unwrap_or_default(),
        follow_up: text(rec, "follow_up").unwrap_or_default(),
        version: None,
        device_id: actor.device_id.clone(),
    };
    // The recommendation's position before the remedy moves it; looked at only once the
    // service has let the caller write it, so it tells nothing of another's.
    let seen = head_seq(conn, "recommendation", &rec_id)?;
    let (_, created) = recommendations::add_remedy(conn, actor, scope, &rec_id, &id, &input)?;
    if created && seen.is_some_and(|s| s > last_pulled_at) {
        return Err(DomainError::conflict(
            "sync_stale",
            "A pushed remedy's recommendation changed on the server since your last pull; pull, then push again.",
            "Kiến nghị của một khắc phục đã thay đổi trên máy chủ từ lần đồng bộ trước; hãy tải về rồi gửi lại.",
        ));
    }
    Ok(())
}

/// The caller's own notification: marked read when the device says so and it was not; sent
/// again when the device says unread and it was read (the device takes the server's
/// `read_at`). Anyone else's, or none: 404.
fn notification(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
    rec: &Map<String, Value>,
) -> Result<(), DomainError> {
    let row = notifications::find_own(conn, &scope.user_id, id)?.ok_or(DomainError::NotFound)?;
    match (read_mark(rec), row.read_at.is_some()) {
        (true, false) => {
            notifications::mark_read(conn, &scope.user_id, id)?;
        }
        (false, true) => {
            notifications::resend(conn, &scope.user_id, id)?;
        }
        _ => {}
    }
    Ok(())
}

/// Whether a pushed notification says it was read: `read_at` set, as the time the server
/// sent or the epoch milliseconds an app writes.
fn read_mark(rec: &Map<String, Value>) -> bool {
    match rec.get("read_at") {
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Number(n)) => n.as_f64().is_some_and(|ms| ms > 0.0),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn a_read_mark_is_a_time() {
        assert!(read_mark(&rec(json!({"read_at": 1_795_689_118_000_i64}))));
        assert!(read_mark(&rec(json!({"read_at": "2026-12-03T09:00:00Z"}))));
        for unread in [
            json!({}),
            json!({"read_at": null}),
            json!({"read_at": 0}),
            json!({"read_at": ""}),
            json!({"read_at": false}),
        ] {
            assert!(!read_mark(&rec(unread.clone())), "{unread}");
        }
    }

    #[test]
    fn read_only_changes_are_named_by_pointer() {
        let changes: BTreeMap<String, TableChanges> = serde_json::from_value(json!({
            "self_assessments": {"created": [], "updated": [{"id": "s"}], "deleted": []},
            "earlier_recommendations": {"created": [{"id": "e"}], "updated": [], "deleted": ["x"]},
            "remedies": {"created": [{"id": "r"}], "updated": [{"id": "q"}], "deleted": ["d"]},
            "notifications": {"created": [], "updated": [{"id": "n"}], "deleted": ["n"]},
            "answers": {"created": [], "updated": [], "deleted": ["i/a"]}
        }))
        .unwrap();
        let Err(DomainError::Invalid(errors)) = check(&changes) else {
            panic!("refused");
        };
        let mut pointers: Vec<String> = errors.iter().map(|e| e.pointer.clone()).collect();
        pointers.sort();
        assert_eq!(
            pointers,
            [
                "/changes/earlier_recommendations/created/0",
                "/changes/earlier_recommendations/deleted/0",
                "/changes/notifications/deleted/0",
                "/changes/remedies/deleted/0",
                "/changes/self_assessments/updated/0",
            ]
        );
        let fine: BTreeMap<String, TableChanges> = serde_json::from_value(json!({
            "remedies": {"created": [{"id": "r"}], "updated": [{"id": "q"}], "deleted": []},
            "notifications": {"created": [], "updated": [{"id": "n"}], "deleted": []}
        }))
        .unwrap();
        assert!(check(&fine).is_ok());
    }
}
