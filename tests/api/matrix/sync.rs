//! The sync surfaces: hostile pushes (REST and WatermelonDB) and their verdicts, and the pulls
//! from scratch, by pages of one, WatermelonDB, and again after the rounds close.

use reqwest::Method;
use serde_json::{json, Value};

use super::plan::{Body, Probe};
use super::plant::send_ok;
use super::run::{call, Outcome};
use super::table::Report;
use super::world::{hlc, new_id, Fixture};
use super::{Caller, Reach, Side, SYNC_WRITES};
use crate::helpers::TestApp;

/// Mutations aimed at team 2's ids, each with what it tries.
pub(super) fn hostile_mutations(fx: &Fixture) -> Vec<(String, Value)> {
    let (w, one, two) = (&fx.w, &fx.one, &fx.two);
    let (b, c) = (&two.draft, &two.others[0]);
    let ms = chrono::Utc::now().timestamp_millis();
    // An edit from before team 2's (the server's value wins a merge) and one from after it
    // (the device's would): both must be refused before any merging.
    let (old, now) = (hlc(ms - 600_000, "probe"), hlc(ms + 1_000, "probe"));
    let list = json!([
        {"what": "inspection.create with team 2's inspection id, team 2's unit", "type": "inspection.create", "id": b, "round_id": w.round, "unit_id": two.unit},
        {"what": "inspection.create with team 2's inspection id, team 1's unit", "type": "inspection.create", "id": b, "round_id": w.round, "unit_id": one.unit},
        {"what": "inspection.create with team 2's approved inspection id", "type": "inspection.create", "id": c, "round_id": w.round, "unit_id": w.unit_c},
        {"what": "answer.set on team 2's draft", "type": "answer.set", "inspection_id": b, "item_id": "c", "value": "probe", "hlc": now},
        {"what": "answer.set on team 2's approved inspection", "type": "answer.set", "inspection_id": c, "item_id": "b", "value": "none", "base_version": 1, "hlc": now},
        {"what": "inspection.update of team 2's findings, an older clock", "type": "inspection.update", "id": b, "base_version": 1, "fields": {"strengths": {"value": "probe", "hlc": old}}},
        {"what": "inspection.update of team 2's findings, a later clock", "type": "inspection.update", "id": b, "base_version": 1, "fields": {"shortcomings": {"value": "probe", "hlc": now}}},
        {"what": "inspection.transition submit of team 2's draft", "type": "inspection.transition", "id": b, "action": "submit"},
        {"what": "inspection.transition return of team 2's approved inspection", "type": "inspection.transition", "id": c, "action": "return", "reason": "probe"},
        {"what": "comment.create with team 2's comment id, in team 1's draft", "type": "comment.create", "id": two.comment, "inspection_id": one.draft, "item_id": "a", "body": "probe"},
        {"what": "comment.create in team 2's draft", "type": "comment.create", "id": new_id(), "inspection_id": b, "body": "probe"},
        {"what": "recommendation.create with team 2's id, in team 1's draft", "type": "recommendation.create", "id": two.recommendations[0], "inspection_id": one.draft, "content": "probe"},
        {"what": "recommendation.create in team 2's draft", "type": "recommendation.create", "id": new_id(), "inspection_id": b, "content": "probe"},
        {"what": "evidence.create with team 2's evidence id, in team 1's draft", "type": "evidence.create", "id": two.evidence, "inspection_id": one.draft, "item_id": "a", "caption": "probe"},
        {"what": "evidence.create in team 2's draft", "type": "evidence.create", "id": new_id(), "inspection_id": b, "item_id": "a", "caption": "probe"},
        {"what": "evidence.delete of team 2's evidence", "type": "evidence.delete", "id": two.evidence, "inspection_id": b},
        {"what": "evidence.delete of team 2's evidence, claiming team 1's draft", "type": "evidence.delete", "id": two.evidence, "inspection_id": one.draft}
    ]);
    let mut out = Vec::new();
    for mut m in list.as_array().cloned().unwrap_or_default() {
        let what = m["what"].take().as_str().unwrap_or_default().to_owned();
        if let Some(fields) = m.as_object_mut() {
            fields.remove("what");
            fields.insert("mutation_id".into(), json!(new_id()));
        }
        out.push((what, m));
    }
    out
}

/// WatermelonDB changes aimed at team 2's rows.
pub(super) fn hostile_watermelon(fx: &Fixture) -> Value {
    let (w, one, two) = (&fx.w, &fx.one, &fx.two);
    let (b, c) = (&two.draft, &two.others[0]);
    json!({
        "inspections": {
            "created": [{"id": b, "round_id": w.round, "unit_id": one.unit}],
            "updated": [{"id": c, "strengths": "probe", "status": "submitted", "version": 9, "_status": "updated", "_changed": "strengths,status"}],
            "deleted": [b]},
        "answers": {
            "created": [],
            "updated": [{"id": format!("{b}/c"), "inspection_id": b, "item_id": "c", "value": "\"probe\"", "na": false, "version": 9, "_status": "updated", "_changed": "value"}],
            "deleted": [format!("{c}/b")]},
        "comments": {"created": [{"id": two.comment, "inspection_id": one.draft, "body": "probe"}], "updated": [], "deleted": [two.comment]},
        "recommendations": {"created": [{"id": two.recommendations[0], "inspection_id": one.draft, "content": "probe"}], "updated": [], "deleted": []},
        "evidence": {"created": [{"id": two.evidence, "inspection_id": one.draft, "item_id": "a", "caption": "probe"}], "updated": [], "deleted": [two.evidence]}
    })
}

/// A device would never reuse a mutation id across requests; each send gets fresh ones.
pub(super) fn refresh_mutation_ids(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if k == "mutation_id" {
                    *x = json!(new_id());
                } else {
                    refresh_mutation_ids(x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(refresh_mutation_ids),
        _ => {}
    }
}

/// Every mutation of a hostile push must be `rejected`, and none may hand back team 2's row
/// (nor, to an outsider, team 1's) in `current`. (Administrators may apply them.)
pub(super) fn push_verdicts(fx: &Fixture, caller: Caller, out: &Outcome) -> Vec<String> {
    let labels = hostile_mutations(fx);
    let body = out.json();
    let Some(results) = body["results"].as_array() else {
        return vec![format!("no results: {}", out.excerpt())];
    };
    let secrets = fx.secrets_for(caller);
    let mut found = Vec::new();
    for (i, r) in results.iter().enumerate() {
        let what = labels.get(i).map_or("?", |(l, _)| l.as_str());
        if r["status"] != "rejected" {
            found.push(format!(
                "mutation {i} ({what}) was {}, not rejected: {r}",
                r["status"]
            ));
        }
        if caller == Caller::Viewer || r["current"].is_null() {
            continue;
        }
        let current = r["current"].to_string();
        if let Some(s) = secrets.iter().find(|s| current.contains(&s.value)) {
            found.push(format!(
                "mutation {i} ({what}, {} {}) LEAKED {} in `current`: {current}",
                r["status"], r["reason"], s.label
            ));
        }
    }
    found
}

/// Pulls every page from `cursor` (`limit` rows a page); returns the last cursor.
async fn paged_pull(
    app: &TestApp,
    fx: &Fixture,
    caller: Caller,
    cursor: Option<String>,
    limit: u32,
    note: &'static str,
    report: &mut Report,
) -> String {
    let mut cursor = cursor;
    for _ in 0..2_000 {
        let mut url = format!("/api/v1/sync/pull?schema_version=1&limit={limit}");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let probe = Probe::get("/api/v1/sync/pull", url, note);
        let page = call(app, fx, caller, &probe, report).await.json();
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        if page["has_more"] != true {
            break;
        }
    }
    cursor.unwrap_or_default()
}

/// A WatermelonDB pull; returns its `timestamp`.
async fn watermelon_pull(
    app: &TestApp,
    fx: &Fixture,
    caller: Caller,
    since: Option<i64>,
    note: &'static str,
    report: &mut Report,
) -> i64 {
    let mut url = "/api/v1/sync/watermelon?schema_version=1".to_owned();
    if let Some(t) = since {
        url.push_str(&format!("&last_pulled_at={t}"));
    }
    let probe = Probe::get("/api/v1/sync/watermelon", url, note);
    let out = call(app, fx, caller, &probe, report).await;
    out.json()["timestamp"].as_i64().unwrap_or_default()
}

/// Where each caller's device stands in the change log, to pull again later.
pub(super) struct Position {
    pub(super) caller: Caller,
    cursor: String,
    timestamp: i64,
}

const SYNC_CALLERS: [Caller; 3] = [Caller::Lead1, Caller::Insp1, Caller::Loner];

/// As team 1's users and the loner: the pull from scratch, by pages of one row, and the
/// WatermelonDB pull. Returns where each stands, to pull the changes after the rounds close.
pub(super) async fn sync_pulls(app: &TestApp, fx: &Fixture, report: &mut Report) -> Vec<Position> {
    let mut positions = Vec::new();
    for caller in SYNC_CALLERS {
        paged_pull(app, fx, caller, None, 5_000, " [from scratch]", report).await;
        let cursor = paged_pull(app, fx, caller, None, 1, " [pages of 1]", report).await;
        let timestamp = watermelon_pull(app, fx, caller, None, "", report).await;
        positions.push(Position {
            caller,
            cursor,
            timestamp,
        });
    }
    positions
}

/// The rounds close: inspectors lose the shared round and tombstones go out, which must stay
/// within each caller's scope. Then the rounds open again, for the writes.
pub(super) async fn rounds_close_and_reopen(
    app: &TestApp,
    fx: &Fixture,
    at: &[Position],
    report: &mut Report,
) {
    let rounds = [
        fx.w.round.clone(),
        fx.two.round2.clone().unwrap_or_default(),
    ];
    let set = |status: &'static str| {
        let admin = fx.w.admin.clone();
        let rounds = rounds.clone();
        async move {
            for round in rounds {
                let path = format!("/api/v1/rounds/{round}");
                send_ok(
                    app,
                    Method::PATCH,
                    &path,
                    &admin,
                    json!({ "status": status }),
                )
                .await;
            }
        }
    };
    set("closed").await;
    let note = " [after the rounds closed]";
    for p in at {
        paged_pull(app, fx, p.caller, Some(p.cursor.clone()), 1, note, report).await;
        watermelon_pull(app, fx, p.caller, Some(p.timestamp), note, report).await;
    }
    set("open").await;
}

/// Where each caller's WatermelonDB device stands just before the writes.
pub(super) async fn watermelon_positions(
    app: &TestApp,
    fx: &Fixture,
    report: &mut Report,
) -> Vec<(Caller, i64)> {
    let mut fresh = Vec::new();
    for caller in [Caller::Lead1, Caller::Insp1, Caller::Loner, Caller::Viewer] {
        let note = " [after the rounds reopened]";
        fresh.push((
            caller,
            watermelon_pull(app, fx, caller, None, note, report).await,
        ));
    }
    fresh
}

/// A WatermelonDB push of changes to team 2's rows, as a device that has just pulled (so that it
/// is not refused as stale before anything is looked at).
pub(super) async fn watermelon_push(
    app: &TestApp,
    fx: &Fixture,
    caller: Caller,
    at: i64,
    report: &mut Report,
) {
    let probe = Probe {
        op: SYNC_WRITES[1].to_owned(),
        note: " [as a device that just pulled]",
        template: "/api/v1/sync/watermelon".into(),
        method: Method::POST,
        url: format!("/api/v1/sync/watermelon?schema_version=1&last_pulled_at={at}"),
        reach: Reach::Everyone,
        secured: true,
        headers: Vec::new(),
        body: Body::Json(json!({"changes": hostile_watermelon(fx)})),
        side: Side::Team2,
    };
    let out = call(app, fx, caller, &probe, report).await;
    if out.status != 200 {
        let msg = format!("{}: expected 200 (refused records skipped)", out.status);
        report.fail(caller, &probe, msg);
    }
}
