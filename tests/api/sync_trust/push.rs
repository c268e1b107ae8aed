//! Pushes you can trust: no foreign rows in answers, reused ids refused, versioned clears,
//! conflict rows only from writers, strict clocks and bodies, NUL refused, identical pushes
//! in flight applied once.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::world::World;

both_engines!(
    push_answers_never_carry_another_teams_rows,
    a_reused_mutation_id_is_refused,
    clearing_an_answer_is_a_versioned_change,
    only_writers_leave_conflict_rows,
    device_clocks_are_strict_and_bound_to_the_device,
    push_bodies_are_strict,
    nul_characters_are_refused_alike,
    identical_pushes_in_flight_agree,
);

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
    crate::findings::write_findings(&app, &w.insp1, &insp).await;
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
