//! Sync you can trust (issue 14), one test per rule, on both engines: scope entries re-send
//! the working set, no answer carries another team's rows, reused mutation ids are refused,
//! clearing is versioned, only writers leave conflict rows, a cursor ahead is an error, clocks
//! and bodies are read strictly, NUL is refused alike, identical pushes in flight agree.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::world::World;

both_engines!(
    entering_scope_resends_the_working_set,
    a_moved_unit_leaves_the_old_team_entirely,
    push_answers_never_carry_another_teams_rows,
    a_reused_mutation_id_is_refused,
    clearing_an_answer_is_a_versioned_change,
    only_writers_leave_conflict_rows,
    a_cursor_ahead_of_the_server_is_refused,
    device_clocks_are_strict_and_bound_to_the_device,
    push_bodies_are_strict,
    nul_characters_are_refused_alike,
    identical_pushes_in_flight_agree,
);

fn hlc() -> String {
    format!("{:013}:0000:dev", chrono::Utc::now().timestamp_millis())
}

fn mid() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn push_raw(app: &TestApp, token: &str, mutations: Value) -> reqwest::Response {
    app.authed(Method::POST, "/api/v1/sync/push", token)
        .json(&json!({"schema_version": 1, "mutations": mutations}))
        .send()
        .await
        .unwrap()
}

async fn push(app: &TestApp, token: &str, mutations: Value) -> Vec<Value> {
    let res = push_raw(app, token, mutations).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body["results"].as_array().unwrap().clone()
}

/// Every change after `cursor` (all pages), and the last cursor.
async fn pull_all(app: &TestApp, token: &str, cursor: Option<String>) -> (Vec<Value>, String) {
    let mut cursor = cursor;
    let mut all = Vec::new();
    loop {
        let mut path = "/api/v1/sync/pull?schema_version=1&limit=3".to_owned();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page: Value = app.get_json(&path, token).await;
        all.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = Some(page["next_cursor"].as_str().unwrap().to_owned());
        if page["has_more"] != true {
            return (all, cursor.unwrap());
        }
    }
}

async fn inspection_with_answer(app: &TestApp, token: &str, w: &World, unit: &str) -> String {
    let id = mid();
    let r = push(app, token, json!([
        {"mutation_id": mid(), "type": "inspection.create", "id": id, "round_id": w.round, "unit_id": unit},
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": id, "item_id": "b", "value": "full", "hlc": hlc()}
    ])).await;
    assert_eq!(r[1]["status"], "applied", "{r:?}");
    id
}

fn live(changes: &[Value], entity: &str, id: &str) -> bool {
    changes
        .iter()
        .any(|c| c["entity"] == entity && c["id"] == id && c["deleted"] == false)
}

fn gone(changes: &[Value], entity: &str, id: &str) -> bool {
    changes
        .iter()
        .any(|c| c["entity"] == entity && c["id"] == id && c["deleted"] == true)
}

async fn set_members(app: &TestApp, w: &World, team: &str, lead: &str, members: Value) {
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/teams/{team}"), &w.admin)
        .json(&json!({"name": "Đoàn", "lead_id": lead, "member_ids": members}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
}

async fn round_status(app: &TestApp, w: &World, status: &str) {
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/rounds/{}", w.round),
            &w.admin,
        )
        .json(&json!({"status": status}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
}

async fn entering_scope_resends_the_working_set(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp2, &w, &w.unit_b).await;
    let lead2: Value = app
        .get_json(&format!("/api/v1/teams/{}", w.team2), &w.admin)
        .await;
    let lead2_id = lead2["lead_id"].as_str().unwrap().to_owned();
    let insp1_id = member_of(&app, &w, &w.team1).await;
    let (_, c1) = pull_all(&app, &w.insp1, None).await;
    // insp1 joins team 2: the whole of team 2's work arrives, not just the team row.
    let insp2_id = member_of(&app, &w, &w.team2).await;
    set_members(&app, &w, &w.team2, &lead2_id, json!([insp2_id, insp1_id])).await;
    let (changes, c2) = pull_all(&app, &w.insp1, Some(c1)).await;
    for (e, id) in [
        ("team", w.team2.as_str()),
        ("inspection", insp.as_str()),
        ("answer", &format!("{insp}/b")),
    ] {
        assert!(live(&changes, e, id), "{e} {id} re-sent: {changes:?}");
    }
    // Removed, then added again: a tombstone, then the rows again; the last word is live.
    set_members(&app, &w, &w.team2, &lead2_id, json!([insp2_id])).await;
    set_members(&app, &w, &w.team2, &lead2_id, json!([insp2_id, insp1_id])).await;
    let (changes, c3) = pull_all(&app, &w.insp1, Some(c2)).await;
    let last = changes
        .iter()
        .rev()
        .find(|c| c["id"] == format!("{insp}/b"))
        .unwrap();
    assert_eq!(last["deleted"], false, "{changes:?}");
    // A round closed and reopened comes back whole to an inspector.
    round_status(&app, &w, "closed").await;
    round_status(&app, &w, "open").await;
    let (changes, _) = pull_all(&app, &w.insp2, None).await;
    assert!(
        changes.iter().all(|c| c["deleted"] == false),
        "a fresh pull holds no tombstone"
    );
    let (changes, _) = pull_all(&app, &w.insp1, Some(c3)).await;
    let last = changes
        .iter()
        .rev()
        .find(|c| c["id"] == format!("{insp}/b"))
        .unwrap();
    assert_eq!(
        last["deleted"], false,
        "reopened round re-sent: {changes:?}"
    );
}

/// A member (not the lead) of a team.
async fn member_of(app: &TestApp, w: &World, team: &str) -> String {
    let t: Value = app
        .get_json(&format!("/api/v1/teams/{team}"), &w.admin)
        .await;
    t["member_ids"][0].as_str().unwrap().to_owned()
}

async fn a_moved_unit_leaves_the_old_team_entirely(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp1, &w, &w.unit_a).await;
    let (_, c1) = pull_all(&app, &w.insp1, None).await;
    let (_, c2) = pull_all(&app, &w.insp2, None).await;
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
    let (old, c1) = pull_all(&app, &w.insp1, Some(c1)).await;
    for (e, id) in [
        ("inspection", insp.clone()),
        ("answer", format!("{insp}/b")),
    ] {
        assert!(gone(&old, e, &id), "{e} tombstoned for team 1: {old:?}");
    }
    assert!(
        old.iter().all(|c| c["deleted"] == true),
        "nothing of it stays: {old:?}"
    );
    let (new, _) = pull_all(&app, &w.insp2, Some(c2)).await;
    assert!(
        live(&new, "answer", &format!("{insp}/b")),
        "team 2 gets its answers: {new:?}"
    );
    // Team 2 edits it; team 1 hears nothing more of it.
    push(&app, &w.insp2, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": 4, "hlc": hlc()}])).await;
    let (later, _) = pull_all(&app, &w.insp1, Some(c1)).await;
    assert!(later.is_empty(), "{later:?}");
    let conflicts: Vec<Value> = app.get_json("/api/v1/conflicts", &w.lead1).await;
    assert!(conflicts.is_empty());
}

async fn push_answers_never_carry_another_teams_rows(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let theirs = inspection_with_answer(&app, &w.insp2, &w, &w.unit_b).await;
    let comment = mid();
    push(&app, &w.insp2, json!([{"mutation_id": mid(), "type": "comment.create", "id": comment, "inspection_id": theirs, "body": "BÍ-MẬT-ĐOÀN-2"}])).await;
    let mine = inspection_with_answer(&app, &w.insp1, &w, &w.unit_a).await;
    let r = push(&app, &w.insp1, json!([
        {"mutation_id": mid(), "type": "inspection.create", "id": theirs, "round_id": w.round, "unit_id": w.unit_a},
        {"mutation_id": mid(), "type": "comment.create", "id": comment, "inspection_id": mine, "body": "x"},
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": theirs, "item_id": "b", "value": "none", "hlc": hlc()}
    ])).await;
    for x in &r {
        assert_eq!(x["status"], "rejected", "{x}");
        assert!(
            x.get("current").is_none(),
            "no row of team 2 comes back: {x}"
        );
    }
    assert!(!serde_json::to_string(&r).unwrap().contains("BÍ-MẬT"));
}

async fn a_reused_mutation_id_is_refused(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp1, &w, &w.unit_a).await;
    let m = mid();
    let first = json!({"mutation_id": m, "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": 3, "base_version": 0, "hlc": "1795689118000:0000:x"});
    let a = push(&app, &w.insp1, json!([first])).await;
    let again = push(&app, &w.insp1, json!([first])).await;
    assert_eq!(a, again, "the same mutation gets the same answer");
    let mut other = first.clone();
    other["value"] = json!(5);
    let r = push(&app, &w.insp1, json!([other])).await;
    assert_eq!(r[0]["status"], "rejected");
    assert_eq!(r[0]["reason"], "mutation_id_reused");
    let m2 = mid();
    let r = push(&app, &w.insp1, json!([
        {"mutation_id": m2, "type": "answer.set", "inspection_id": insp, "item_id": "e", "value": 1, "hlc": hlc()},
        {"mutation_id": m2, "type": "answer.set", "inspection_id": insp, "item_id": "e", "value": 2, "hlc": hlc()}
    ])).await;
    assert_eq!(r[0]["status"], "applied");
    assert_eq!(r[1]["reason"], "mutation_id_reused");
    let detail: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}"), &w.insp1)
        .await;
    assert_eq!(detail["answers"]["d"]["value"], 3, "nothing changed");
    assert_eq!(detail["answers"]["e"]["value"], 1);
    for bad in [json!(""), json!("x".repeat(129))] {
        let res = push_raw(&app, &w.insp1, json!([{"mutation_id": bad, "type": "evidence.delete", "id": mid(), "inspection_id": insp}])).await;
        let body = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["code"], "invalid_mutation_id");
    }
}

async fn clearing_an_answer_is_a_versioned_change(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp1, &w, &w.unit_a).await;
    let r = push(&app, &w.insp1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": null, "base_version": 1, "hlc": hlc()}])).await;
    assert_eq!(r[0]["status"], "applied");
    assert_eq!(r[0]["current"]["version"], 2, "cleared, not deleted: {r:?}");
    assert_eq!(r[0]["current"]["value"], Value::Null);
    // A device that still holds version 1 meets a conflict, not a silent overwrite.
    let r = push(&app, &w.lead1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "part", "base_version": 1, "hlc": "1795689118000:0000:x"}])).await;
    assert_eq!(r[0]["status"], "conflict", "{r:?}");
    let r = push(&app, &w.insp1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "none", "base_version": 99, "hlc": hlc()}])).await;
    assert_eq!(r[0]["status"], "rejected");
    assert_eq!(r[0]["reason"], "unknown_base_version");
    let (changes, _) = pull_all(&app, &w.insp1, None).await;
    let a = changes
        .iter()
        .find(|c| c["id"] == format!("{insp}/b"))
        .unwrap();
    assert_eq!(a["deleted"], false);
}

async fn only_writers_leave_conflict_rows(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp1, &w, &w.unit_a).await;
    let edit = |v: &str| json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": v, "base_version": 1, "hlc": hlc()}]);
    let r = push(&app, &w.viewer, edit("none")).await;
    assert_eq!(r[0]["reason"], "forbidden");
    let r = push(&app, &w.insp2, edit("none")).await;
    assert_eq!(r[0]["reason"], "not_found");
    assert!(r[0]["conflict_ids"].as_array().is_none_or(Vec::is_empty));
    // A member's refused edit is kept for the lead, but does not block approval.
    let r = push(&app, &w.insp1, edit("nonsense")).await;
    assert_eq!(r[0]["status"], "rejected");
    let kept: Vec<Value> = app
        .get_json(&format!("/api/v1/conflicts?inspection_id={insp}"), &w.lead1)
        .await;
    assert_eq!(kept.len(), 1, "only the member's: {kept:?}");
    assert_eq!(kept[0]["kind"], "rejected");
    push(&app, &w.insp1, json!([
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "a", "value": "yes", "hlc": hlc()},
        {"mutation_id": mid(), "type": "inspection.transition", "id": insp, "action": "submit"}
    ])).await;
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/inspections/{insp}/approve"),
            &w.lead1,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn a_cursor_ahead_of_the_server_is_refused(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let res = app
        .authed(
            Method::GET,
            "/api/v1/sync/pull?schema_version=1&cursor=999999",
            &w.insp1,
        )
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 400, "cursor_ahead").await;
    assert!(body["detail"].as_str().unwrap().contains("cursor"));
    let res = app
        .authed(
            Method::GET,
            "/api/v1/sync/watermelon?schema_version=1&last_pulled_at=999999",
            &w.insp1,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "cursor_ahead").await;
}

async fn device_clocks_are_strict_and_bound_to_the_device(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp1, &w, &w.unit_a).await;
    for bad in [
        "0000000000001:0000:x",
        "1795689118000:00001:x",
        "1795689118000:0000000001:x",
        "179568911800:0000:x",
    ] {
        let r = push(&app, &w.insp1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": 2, "hlc": bad}])).await;
        assert_eq!(r[0]["reason"], "invalid_hlc", "{bad}: {r:?}");
    }
    let r = push(&app, &w.insp1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": 2, "hlc": "1795689118000:0000:someone-else"}])).await;
    let stored = r[0]["current"]["hlc"].as_str().unwrap();
    assert!(
        !stored.ends_with(":someone-else"),
        "bound to the token's device: {stored}"
    );
    // A refused mutation's conflict keeps the clamped, bound clock.
    let r = push(&app, &w.insp1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": 99, "hlc": "9999999999999:0000:x"}])).await;
    let c: Value = app
        .get_json(&format!("/api/v1/conflicts?inspection_id={insp}"), &w.lead1)
        .await;
    let kept = c
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["mutation_id"] == r[0]["mutation_id"])
        .unwrap();
    let ms: i64 = kept["device_hlc"].as_str().unwrap()[..13].parse().unwrap();
    assert!(
        ms <= chrono::Utc::now().timestamp_millis(),
        "clamped: {kept}"
    );
}

async fn push_bodies_are_strict(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp1, &w, &w.unit_a).await;
    let res = push_raw(&app, &w.insp1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": 2, "base_verison": 1, "hlc": hlc()}])).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["pointer"], "/mutations/0/base_verison");
    assert_eq!(body["errors"][0]["code"], "unknown_field");
    let detail: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}"), &w.insp1)
        .await;
    assert!(detail["answers"].get("d").is_none(), "nothing applied");
    // The schema version may come in the header alone.
    let res = app
        .authed(Method::POST, "/api/v1/sync/push", &w.insp1)
        .header("X-Kiemtra-Schema-Version", "1")
        .json(&json!({"mutations": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

async fn nul_characters_are_refused_alike(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp1, &w, &w.unit_a).await;
    let res = push_raw(&app, &w.insp1, json!([{"mutation_id": mid(), "type": "comment.create", "id": mid(), "inspection_id": insp, "body": "a\u{0}b"}])).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["pointer"], "/mutations/0/body");
    assert_eq!(body["errors"][0]["code"], "nul_character");
    let res = app
        .authed(Method::POST, "/api/v1/units", &w.admin)
        .json(&json!({"code": "NUL", "name": "X\u{0}", "kind": "commune"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["pointer"], "/name");
    // The batch is not stuck: the same device pushes on.
    push(&app, &w.insp1, json!([{"mutation_id": mid(), "type": "comment.create", "id": mid(), "inspection_id": insp, "body": "ok"}])).await;
}

async fn identical_pushes_in_flight_agree(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp1, &w, &w.unit_a).await;
    let batch = json!([
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": 4, "hlc": hlc()},
        {"mutation_id": mid(), "type": "comment.create", "id": mid(), "inspection_id": insp, "body": "Một lần"}
    ]);
    let sends = (0..16).map(|_| push_raw(&app, &w.insp1, batch.clone()));
    let mut bodies = Vec::new();
    for res in futures_util::future::join_all(sends).await {
        assert_eq!(res.status(), 200);
        bodies.push(res.json::<Value>().await.unwrap());
    }
    assert!(
        bodies.windows(2).all(|p| p[0] == p[1]),
        "every copy gets the first answer"
    );
    let detail: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}"), &w.insp1)
        .await;
    assert_eq!(detail["comments"].as_array().map_or(1, Vec::len), 1);
}
