//! Offline sync over HTTP: the first pull's working set, paging, idempotent pushes, field
//! merge with conflicts kept for the lead, clock clamping, refusals kept, tombstones for rows
//! leaving scope, schema versions, and commit order under concurrent writers.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::world::World;

both_engines!(
    first_pull_is_the_working_set_and_pages,
    pushes_are_idempotent,
    one_push_applies_in_order,
    concurrent_edits_become_conflicts_for_the_lead,
    a_clock_from_the_future_does_not_win,
    refused_changes_are_kept,
    rows_leaving_scope_become_tombstones,
    unsupported_schema_versions_get_426,
    commit_order_holds_under_concurrent_writers,
);

async fn pull(app: &TestApp, token: &str, cursor: Option<&str>, limit: i64) -> Value {
    let mut path = format!("/api/v1/sync/pull?schema_version=1&limit={limit}");
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={c}"));
    }
    let res = app.authed(Method::GET, &path, token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Pulls until `has_more` is false; returns all changes and the last cursor.
async fn pull_all(
    app: &TestApp,
    token: &str,
    cursor: Option<String>,
    limit: i64,
) -> (Vec<Value>, String) {
    let mut cursor = cursor;
    let mut all = Vec::new();
    loop {
        let page = pull(app, token, cursor.as_deref(), limit).await;
        all.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = Some(page["next_cursor"].as_str().unwrap().to_owned());
        if !page["has_more"].as_bool().unwrap() {
            return (all, cursor.unwrap_or_default());
        }
    }
}

pub(crate) async fn push(app: &TestApp, token: &str, mutations: Value) -> Vec<Value> {
    let res = app
        .authed(Method::POST, "/api/v1/sync/push", token)
        .json(&json!({"schema_version": 1, "mutations": mutations}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body["results"].as_array().unwrap().clone()
}

fn hlc(ms: i64, node: &str) -> String {
    format!("{ms:013}:0000:{node}")
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub(crate) fn mid() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub(crate) async fn new_inspection(app: &TestApp, token: &str, w: &World, unit: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let r = push(app, token, json!([{"mutation_id": mid(), "type": "inspection.create", "id": id, "round_id": w.round, "unit_id": unit}])).await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
    id
}

/// A second device of the same inspector.
async fn second_device(app: &TestApp, username: &str) -> String {
    let res = app
        .login_body(username, &format!("pw-{username}-123"), Some("tablet"))
        .await;
    res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn first_pull_is_the_working_set_and_pages(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = new_inspection(&app, &w.insp1, &w, &w.unit_a).await;
    push(&app, &w.insp1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "full", "hlc": hlc(now_ms(), "p1")}])).await;
    new_inspection(&app, &w.insp2, &w, &w.unit_b).await;

    let (all, cursor) = pull_all(&app, &w.insp1, None, 1000).await;
    let count = |entity: &str| all.iter().filter(|c| c["entity"] == entity).count();
    assert_eq!(count("unit"), 3, "units are everyone's");
    assert_eq!(count("template_version"), 1);
    assert_eq!(count("round"), 1);
    assert_eq!(count("team"), 1, "only their own team");
    assert_eq!(count("assignment"), 1, "only their team's units");
    assert_eq!(count("inspection"), 1, "not team 2's inspection");
    assert_eq!(count("answer"), 1);
    let answer = all.iter().find(|c| c["entity"] == "answer").unwrap();
    assert_eq!(answer["data"]["value"], "full");
    assert_eq!(answer["id"], format!("{insp}/b"));
    let seqs: Vec<i64> = all.iter().map(|c| c["seq"].as_i64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|p| p[0] < p[1]),
        "increasing seq, one entry per row"
    );

    // Small pages deliver the same set.
    let (paged, _) = pull_all(&app, &w.insp1, None, 2).await;
    assert_eq!(paged, all);
    // Nothing new: empty, and repeating it is harmless.
    let again = pull(&app, &w.insp1, Some(&cursor), 100).await;
    assert!(again["changes"].as_array().unwrap().is_empty());
    assert_eq!(again["next_cursor"], cursor);
    let viewer_view = pull_all(&app, &w.viewer, None, 1000).await.0;
    assert_eq!(
        viewer_view
            .iter()
            .filter(|c| c["entity"] == "inspection")
            .count(),
        2,
        "viewers see everything"
    );
}

async fn pushes_are_idempotent(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = new_inspection(&app, &w.insp1, &w, &w.unit_a).await;
    let batch = json!([
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "a", "value": "yes", "hlc": hlc(now_ms(), "p1")},
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": 4, "hlc": hlc(now_ms(), "p1")},
        {"mutation_id": mid(), "type": "comment.create", "id": uuid::Uuid::new_v4().to_string(), "inspection_id": insp, "item_id": "d", "body": "Đã xem sổ"},
        {"mutation_id": mid(), "type": "inspection.update", "id": insp, "base_version": 1, "fields": {"strengths": {"value": "Tốt", "hlc": hlc(now_ms(), "p1")}}}
    ]);
    let first = push(&app, &w.insp1, batch.clone()).await;
    assert!(
        first
            .iter()
            .all(|r| r["status"] == "applied" || r["status"] == "merged"),
        "{first:?}"
    );
    let detail: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}"), &w.insp1)
        .await;
    // A lost response: the phone sends the same batch again.
    let second = push(&app, &w.insp1, batch).await;
    assert_eq!(first, second, "the same answers");
    let after: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}"), &w.insp1)
        .await;
    assert_eq!(after["version"], detail["version"], "nothing changed twice");
    assert_eq!(after["answers"]["a"]["version"], 1);
    assert_eq!(after["strengths"], "Tốt");
    let comments: Vec<Value> = app
        .get_json(&format!("/api/v1/inspections/{insp}/comments"), &w.insp1)
        .await;
    assert_eq!(comments.len(), 1);
    // Someone else reusing a mutation id is refused.
    let reused = push(&app, &w.lead1, json!([{"mutation_id": first[0]["mutation_id"], "type": "answer.set", "inspection_id": insp, "item_id": "a", "value": "no", "hlc": hlc(now_ms(), "l1")}])).await;
    assert_eq!(reused[0]["status"], "rejected");
    assert_eq!(reused[0]["reason"], "mutation_id_taken");
}

/// A push's answers are decided together in memory and written in a few statements; the
/// outcome must be exactly that of applying the mutations one by one, in order.
async fn one_push_applies_in_order(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = new_inspection(&app, &w.insp1, &w, &w.unit_a).await;
    crate::findings::write_findings(&app, &w.insp1, &insp).await;
    let t = now_ms() - 60_000;
    let set = |item: &str, value: Value, k: i64| json!({"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": item, "value": value, "hlc": hlc(t + k, "p1")});
    let r = push(
        &app,
        &w.insp1,
        json!([
            set("a", json!("no"), 1),
            // Shown only while `a` is "no": earlier in this same push.
            set("c", json!("Chưa xây dựng"), 2),
            {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "a", "value": "yes", "base_version": 1, "hlc": hlc(t + 3, "p1")},
            // Hidden again now.
            set("c", json!("Đã có"), 4),
            set("d", json!(4), 5),
            // Clearing what was never answered changes nothing.
            set("e", Value::Null, 6),
            set("d", json!(9), 7),
            set("b", json!("full"), 8),
            {"mutation_id": mid(), "type": "inspection.transition", "id": insp, "action": "submit"},
            set("d", json!(5), 9),
        ]),
    )
    .await;
    let statuses: Vec<&str> = r.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        [
            "applied", "applied", "applied", "rejected", "applied", "applied", "rejected",
            "applied", "applied", "rejected"
        ],
        "{r:?}"
    );
    assert_eq!(r[3]["reason"], "validation_failed");
    assert_eq!(r[3]["errors"][0]["code"], "hidden_item");
    assert_eq!(r[6]["errors"][0]["code"], "out_of_range", "{:?}", r[6]);
    assert_eq!(r[9]["reason"], "inspection_submitted");
    assert_eq!(r[2]["current"]["version"], 2, "a written twice: version 2");
    assert_eq!(r[2]["current"]["value"], "yes");
    assert!(r[5]["current"].is_null(), "no row for an empty answer");
    assert_eq!(r[9]["current"]["value"], 4, "the server's value comes back");
    // The submission saw the answers before it, scored.
    assert_eq!(r[8]["current"]["status"], "submitted");
    assert!(
        r[8]["current"]["score"].as_f64().unwrap() > 0.0,
        "{:?}",
        r[8]
    );

    let detail: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}"), &w.insp1)
        .await;
    assert_eq!(detail["status"], "submitted");
    assert_eq!(detail["answers"]["a"]["value"], "yes");
    assert_eq!(detail["answers"]["a"]["version"], 2);
    assert_eq!(detail["answers"]["c"]["value"], "Chưa xây dựng");
    assert_eq!(detail["answers"]["d"]["value"], 4);
    assert!(detail["answers"].get("e").is_none());
    // a yes (10, critical) + b full (10) + d 4 of 5 (16): scored once, from all of them.
    assert!(detail["score"].as_f64().unwrap() > 0.0, "{detail}");

    // Pull: each answer once, at its last state.
    let (all, _) = pull_all(&app, &w.lead1, None, 1000).await;
    let answers: Vec<&Value> = all.iter().filter(|c| c["entity"] == "answer").collect();
    assert_eq!(answers.len(), 4, "a, b, c, d: {answers:?}");
    let a = answers
        .iter()
        .find(|c| c["id"] == format!("{insp}/a"))
        .unwrap();
    assert_eq!(a["data"]["value"], "yes");

    // The audit history holds every value taken, none refused, in a chain with no gap.
    let log: Vec<Value> = app
        .get_json(
            &format!("/api/v1/audit?entity=inspection&entity_id={insp}&limit=1000"),
            &w.admin,
        )
        .await;
    let taken: Vec<(String, Value)> = log
        .iter()
        .filter(|e| e["action"] == "answer")
        .flat_map(|e| {
            e["after"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v["value"].clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    for (item, value) in [
        ("a", json!("no")),
        ("a", json!("yes")),
        ("c", json!("Chưa xây dựng")),
        ("d", json!(4)),
        ("b", json!("full")),
    ] {
        assert!(
            taken.contains(&(item.to_owned(), value.clone())),
            "{item} = {value} in {taken:?}"
        );
    }
    for refused in [json!("Đã có"), json!(9), json!(5)] {
        assert!(
            !taken.iter().any(|(_, v)| v == &refused),
            "{refused} was refused"
        );
    }
    let everything: Vec<Value> = app.get_json("/api/v1/audit?limit=1000", &w.admin).await;
    for pair in everything.windows(2) {
        assert_eq!(
            pair[1]["seq"].as_i64(),
            pair[0]["seq"].as_i64().map(|s| s + 1)
        );
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"], "chained");
    }
}

async fn concurrent_edits_become_conflicts_for_the_lead(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let phone = w.insp1.clone();
    let tablet = second_device(&app, "insp1").await;
    let insp = new_inspection(&app, &phone, &w, &w.unit_a).await;
    // Edits made offline a while ago (clocks in the future would be clamped on arrival).
    let t = now_ms() - 60_000;
    push(&app, &phone, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "part", "hlc": hlc(t, "phone")}])).await;
    // Both devices saw version 1 of `b`, then went offline and edited it.
    let a = push(&app, &phone, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "full", "base_version": 1, "base_value": {"value": "part"}, "hlc": hlc(t + 10, "phone")}])).await;
    assert_eq!(a[0]["status"], "applied");
    let b = push(&app, &tablet, json!([
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "none", "base_version": 1, "base_value": {"value": "part"}, "hlc": hlc(t + 20, "tablet")},
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": 2, "hlc": hlc(t + 20, "tablet")}
    ])).await;
    assert_eq!(b[0]["status"], "conflict");
    assert_eq!(b[0]["device_won"], true, "the later clock wins");
    assert_eq!(b[0]["current"]["value"], "none");
    assert_eq!(b[1]["status"], "applied", "other items never conflict");
    // An older edit loses, and is kept.
    let c = push(&app, &phone, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "part", "base_version": 2, "hlc": hlc(t + 15, "phone")}])).await;
    assert_eq!(c[0]["status"], "conflict");
    assert_eq!(c[0]["device_won"], false);
    assert_eq!(c[0]["current"]["value"], "none");

    let conflicts: Vec<Value> = app
        .get_json(&format!("/api/v1/conflicts?inspection_id={insp}"), &w.lead1)
        .await;
    assert_eq!(conflicts.len(), 2);
    let first = &conflicts[0];
    assert_eq!(first["field"], "b");
    assert_eq!(first["kind"], "concurrent");
    assert_eq!(
        serde_json::from_str::<Value>(first["server_value"].as_str().unwrap()).unwrap()["value"],
        "full"
    );
    assert_eq!(
        serde_json::from_str::<Value>(first["device_value"].as_str().unwrap()).unwrap()["value"],
        "none"
    );
    assert_eq!(
        serde_json::from_str::<Value>(first["base_value"].as_str().unwrap()).unwrap()["value"],
        "part"
    );
    // The node is the token's device, not what the phone wrote in its clock.
    let node = first["server_hlc"]
        .as_str()
        .unwrap()
        .splitn(3, ':')
        .nth(2)
        .unwrap();
    assert!(node != "phone" && !node.is_empty(), "{node}");
    assert_eq!(first["winner"], "device");
    let other_lead: Vec<Value> = app.get_json("/api/v1/conflicts", &w.lead2).await;
    assert!(other_lead.is_empty(), "scoped");

    // Unresolved conflicts block approval.
    crate::findings::write_findings(&app, &w.insp1, &insp).await;
    push(&app, &phone, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "a", "value": "yes", "hlc": hlc(now_ms(), "phone")}])).await;
    let submitted = push(&app, &phone, json!([{"mutation_id": mid(), "type": "inspection.transition", "id": insp, "action": "submit"}])).await;
    assert_eq!(submitted[0]["status"], "applied", "{submitted:?}");
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/inspections/{insp}/approve"),
            &w.lead1,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "unresolved_conflicts").await;

    // Only the lead resolves: an inspector cannot, another team's lead cannot even see it.
    let cid = first["id"].as_str().unwrap();
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/conflicts/{cid}/resolve"),
            &phone,
        )
        .json(&json!({"take": "server"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/conflicts/{cid}/resolve"),
            &w.lead2,
        )
        .json(&json!({"take": "server"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/conflicts/{cid}/resolve"),
            &w.viewer,
        )
        .json(&json!({"take": "server"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    // Resolution writes to a submitted inspection only through return… so return it, resolve, resubmit.
    app.authed(
        Method::POST,
        &format!("/api/v1/inspections/{insp}/return"),
        &w.lead1,
    )
    .json(&json!({"reason": "Giải quyết xung đột"}))
    .send()
    .await
    .unwrap();
    let cursor = pull_all(&app, &phone, None, 1000).await.1;
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/conflicts/{cid}/resolve"),
            &w.lead1,
        )
        .json(&json!({"take": "server"}))
        .send()
        .await
        .unwrap();
    let resolved: Value = res.json().await.unwrap();
    assert_eq!(resolved["status"], "resolved", "{resolved}");
    let cid2 = conflicts[1]["id"].as_str().unwrap();
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/conflicts/{cid2}/resolve"),
            &w.lead1,
        )
        .json(&json!({"take": "new", "value": {"value": "part"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // The resolution is itself a synced change.
    let (changes, _) = pull_all(&app, &phone, Some(cursor), 1000).await;
    let b_now = changes
        .iter()
        .rfind(|c| c["id"] == format!("{insp}/b"))
        .unwrap();
    assert_eq!(b_now["data"]["value"], "part");
    assert!(changes
        .iter()
        .any(|c| c["entity"] == "conflict" && c["data"]["status"] == "resolved"));
    push(&app, &phone, json!([{"mutation_id": mid(), "type": "inspection.transition", "id": insp, "action": "submit"}])).await;
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/inspections/{insp}/approve"),
            &w.lead1,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

async fn a_clock_from_the_future_does_not_win(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = new_inspection(&app, &w.insp1, &w, &w.unit_a).await;
    let next_year = now_ms() + 365 * 24 * 3600 * 1000;
    let a = push(&app, &w.insp1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "full", "base_version": 0, "hlc": hlc(next_year, "wrong-clock")}])).await;
    assert_eq!(a[0]["status"], "applied");
    assert!(
        a[0]["current"]["hlc"]
            .as_str()
            .unwrap()
            .parse::<String>()
            .unwrap()
            < hlc(next_year, "wrong-clock"),
        "clamped on arrival"
    );
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let b = push(&app, &w.lead1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "none", "base_version": 0, "hlc": hlc(now_ms(), "lead")}])).await;
    assert_eq!(b[0]["status"], "conflict");
    assert_eq!(
        b[0]["device_won"], true,
        "an honest later edit beats a clock set to next year"
    );
}

async fn refused_changes_are_kept(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = new_inspection(&app, &w.insp1, &w, &w.unit_a).await;
    crate::findings::write_findings(&app, &w.insp1, &insp).await;
    push(&app, &w.insp1, json!([
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "a", "value": "yes", "hlc": hlc(now_ms(), "p")},
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "full", "hlc": hlc(now_ms(), "p")},
        {"mutation_id": mid(), "type": "inspection.transition", "id": insp, "action": "submit"}
    ])).await;
    app.authed(
        Method::POST,
        &format!("/api/v1/inspections/{insp}/approve"),
        &w.lead1,
    )
    .send()
    .await
    .unwrap();
    // A phone that was offline edits the approved phiếu.
    let r = push(&app, &w.insp1, json!([
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "none", "base_version": 1, "hlc": hlc(now_ms(), "p")},
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "nonsense", "hlc": hlc(now_ms(), "p")},
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": uuid::Uuid::new_v4().to_string(), "item_id": "b", "value": "full", "hlc": hlc(now_ms(), "p")},
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "full", "hlc": "not-a-clock"}
    ])).await;
    assert_eq!(r[0]["status"], "rejected");
    assert_eq!(r[0]["reason"], "inspection_read_only");
    assert_eq!(
        r[0]["current"]["value"], "full",
        "the server's state comes back"
    );
    assert_eq!(r[0]["conflict_ids"].as_array().unwrap().len(), 1);
    assert_eq!(r[1]["reason"], "inspection_read_only");
    assert_eq!(r[2]["reason"], "not_found");
    assert_eq!(r[3]["reason"], "invalid_hlc");
    let kept: Vec<Value> = app
        .get_json(&format!("/api/v1/conflicts?inspection_id={insp}"), &w.admin)
        .await;
    assert_eq!(kept.len(), 3);
    assert!(kept.iter().all(|k| k["kind"] == "rejected"));
    assert_eq!(
        serde_json::from_str::<Value>(kept[0]["device_value"].as_str().unwrap()).unwrap()["value"],
        "none",
        "the device's data is kept"
    );
    let detail: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}"), &w.admin)
        .await;
    assert_eq!(
        detail["answers"]["b"]["value"], "full",
        "and the approved phiếu is unchanged"
    );
}

async fn rows_leaving_scope_become_tombstones(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = new_inspection(&app, &w.insp1, &w, &w.unit_a).await;
    let (_, cursor) = pull_all(&app, &w.insp1, None, 1000).await;
    // The unit moves to team 2 while its inspection is a draft.
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/rounds/{}/assignments", w.round),
            &w.admin,
        )
        .json(&json!({"assignments": [{"unit_id": w.unit_a, "team_id": w.team2}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (changes, cursor) = pull_all(&app, &w.insp1, Some(cursor), 1000).await;
    let gone: Vec<(&str, &str)> = changes
        .iter()
        .filter(|c| c["deleted"] == true)
        .map(|c| (c["entity"].as_str().unwrap(), c["reason"].as_str().unwrap()))
        .collect();
    assert!(
        gone.contains(&("assignment", "out_of_scope")),
        "{changes:?}"
    );
    assert!(
        gone.contains(&("inspection", "out_of_scope")),
        "{changes:?}"
    );
    assert!(
        gone.contains(&("round", "out_of_scope")),
        "their last unit in the round left: {changes:?}"
    );
    assert!(
        changes.iter().all(|c| c["deleted"] == true),
        "nothing of team 2 leaks: {changes:?}"
    );
    let (team2, cursor2) = pull_all(&app, &w.insp2, None, 1000).await;
    assert!(team2
        .iter()
        .any(|c| c["entity"] == "inspection" && c["id"] == insp && c["deleted"] == false));
    // Closing the round takes it off inspectors' phones (leads keep it).
    app.authed(
        Method::PATCH,
        &format!("/api/v1/rounds/{}", w.round),
        &w.admin,
    )
    .json(&json!({"status": "closed"}))
    .send()
    .await
    .unwrap();
    let (changes, _) = pull_all(&app, &w.insp2, Some(cursor2), 1000).await;
    assert!(
        changes.iter().any(|c| c["entity"] == "round"
            && c["deleted"] == true
            && c["reason"] == "out_of_scope"),
        "{changes:?}"
    );
    assert!(pull_all(&app, &w.insp1, Some(cursor), 1000)
        .await
        .0
        .is_empty());
    let lead_view = pull_all(&app, &w.lead2, None, 1000).await.0;
    assert!(lead_view
        .iter()
        .any(|c| c["entity"] == "round" && c["deleted"] == false));
    // Deleting a unit is a tombstone for everyone.
    let (_, c0) = pull_all(&app, &w.viewer, None, 1000).await;
    let unit: Value = app
        .authed(Method::POST, "/api/v1/units", &w.admin)
        .json(&json!({"code": "TMP", "name": "Tạm", "kind": "other"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    app.authed(
        Method::DELETE,
        &format!("/api/v1/units/{}", unit["id"].as_str().unwrap()),
        &w.admin,
    )
    .send()
    .await
    .unwrap();
    let (changes, _) = pull_all(&app, &w.viewer, Some(c0), 1000).await;
    assert_eq!(changes.len(), 1, "latest state only: {changes:?}");
    assert_eq!(changes[0]["deleted"], true);
    assert_eq!(changes[0]["reason"], "deleted");
}

async fn unsupported_schema_versions_get_426(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let res = app
        .authed(Method::GET, "/api/v1/sync/pull", &w.insp1)
        .header("Accept-Language", "vi")
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 426, "client_upgrade_required").await;
    assert!(p["detail"].as_str().unwrap().contains("cập nhật ứng dụng"));
    let res = app
        .authed(Method::GET, "/api/v1/sync/pull", &w.insp1)
        .header("X-Kiemtra-Schema-Version", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = app
        .authed(Method::POST, "/api/v1/sync/push", &w.insp1)
        .json(&json!({"schema_version": 99, "mutations": []}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 426, "client_upgrade_required").await;
    let res = app
        .authed(
            Method::GET,
            "/api/v1/sync/pull?schema_version=1&cursor=abc",
            &w.insp1,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_query").await;
}

async fn commit_order_holds_under_concurrent_writers(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let mut inspections = Vec::new();
    for (unit, token) in [
        (&w.unit_a, &w.insp1),
        (&w.unit_b, &w.insp2),
        (&w.unit_c, &w.insp2),
    ] {
        inspections.push(new_inspection(&app, token, &w, unit).await);
    }
    let (_, start) = pull_all(&app, &w.admin, None, 1000).await;
    let app = std::sync::Arc::new(app);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // A reader follows the log while writers race.
    let reader = {
        let (app, token, done) = (app.clone(), w.admin.clone(), done.clone());
        tokio::spawn(async move {
            let mut cursor = start;
            let mut seen: std::collections::HashMap<String, (i64, Value)> =
                std::collections::HashMap::new();
            let mut last_seq = 0;
            loop {
                let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                let (changes, next) = pull_all(&app, &token, Some(cursor), 50).await;
                for c in changes {
                    let seq = c["seq"].as_i64().unwrap();
                    assert!(seq > last_seq, "seq went backwards: {seq} after {last_seq}");
                    last_seq = seq;
                    seen.insert(
                        c["id"].as_str().unwrap().to_owned(),
                        (seq, c["data"].clone()),
                    );
                }
                cursor = next;
                if finished {
                    return seen;
                }
            }
        })
    };
    let mut writers = Vec::new();
    for n in 0..8 {
        let (app, token, insp) = (app.clone(), w.admin.clone(), inspections[n % 3].clone());
        writers.push(tokio::spawn(async move {
            for i in 0..10 {
                let item = ["b", "d", "e"][(n + i) % 3];
                let value = match item {
                    "b" => json!(["full", "part", "none"][i % 3]),
                    "d" => json!(1 + (i % 5)),
                    _ => json!(n * 10 + i),
                };
                let res = app
                    .authed(
                        Method::PATCH,
                        &format!("/api/v1/inspections/{insp}/answers"),
                        &token,
                    )
                    .json(&json!({"answers": {item: {"value": value}}}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
            }
        }));
    }
    for wtr in writers {
        wtr.await.unwrap();
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = reader.await.unwrap();
    // Every answer's final state reached the reader: no change was skipped.
    for insp in &inspections {
        let detail: Value = app
            .get_json(&format!("/api/v1/inspections/{insp}"), &w.admin)
            .await;
        for (item, answer) in detail["answers"].as_object().unwrap() {
            let (_, data) = seen
                .get(&format!("{insp}/{item}"))
                .unwrap_or_else(|| panic!("{insp}/{item} never pulled"));
            assert_eq!(data["version"], answer["version"], "{insp}/{item}");
            assert_eq!(data["value"], answer["value"], "{insp}/{item}");
        }
    }
}
