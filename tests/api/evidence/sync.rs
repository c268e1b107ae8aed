//! Evidence records through the native push and the WatermelonDB face.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::photos;

both_engines!(
    evidence_records_sync_through_push,
    watermelon_devices_create_and_remove_evidence,
);

async fn push(app: &TestApp, token: &str, mutations: Value) -> Vec<Value> {
    let res = app
        .authed(Method::POST, "/api/v1/sync/push", token)
        .json(&json!({"schema_version": 1, "mutations": mutations}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["results"].as_array().unwrap().clone()
}

async fn evidence_records_sync_through_push(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    crate::findings::write_findings(&app, &w.insp1, &ins).await;
    let (ev, mid) = (
        uuid::Uuid::new_v4().to_string(),
        uuid::Uuid::new_v4().to_string(),
    );
    let create = json!([{"mutation_id": mid, "type": "evidence.create", "id": ev, "inspection_id": ins, "item_id": "a", "caption": "Biên bản đối thoại", "taken_at": "2026-05-03T02:12:40Z", "latitude": 18.7, "longitude": 105.7}]);
    let first = push(&app, &w.insp1, create.clone()).await;
    assert_eq!(first[0]["status"], "applied", "{first:?}");
    assert_eq!(first[0]["current"]["upload_state"], "pending");
    // A retried batch gets the same answer and changes nothing.
    assert_eq!(push(&app, &w.insp1, create).await, first);
    let page: Value = app
        .get_json("/api/v1/sync/pull?limit=5000&schema_version=1", &w.lead1)
        .await;
    assert!(page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["entity"] == "evidence" && c["id"] == ev.as_str()));
    // Bytes arrive; the inspection is submitted; then a late photo and a late deletion are
    // refused, and the late photo's record is kept for the lead.
    assert_eq!(
        put(&app, &w.insp1, &ev, photos::jpeg(120, 90, 3, false))
            .await
            .status(),
        201
    );
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{ins}/answers"),
            &w.insp1,
        )
        .json(&json!({"answers": {"a": {"value": "yes"}, "b": {"value": "full"}}}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    assert_eq!(
        app.authed(
            Method::POST,
            &format!("/api/v1/inspections/{ins}/submit"),
            &w.insp1
        )
        .send()
        .await
        .unwrap()
        .status(),
        200
    );
    let late = uuid::Uuid::new_v4().to_string();
    let r = push(
        &app,
        &w.insp1,
        json!([
            {"mutation_id": uuid::Uuid::new_v4().to_string(), "type": "evidence.create", "id": late, "inspection_id": ins, "item_id": "b"},
            {"mutation_id": uuid::Uuid::new_v4().to_string(), "type": "evidence.delete", "id": ev, "inspection_id": ins}
        ]),
    )
    .await;
    assert_eq!(
        (r[0]["status"].as_str(), r[0]["reason"].as_str()),
        (Some("rejected"), Some("inspection_submitted")),
        "{r:?}"
    );
    assert_eq!(r[1]["status"], "rejected");
    assert_eq!(r[0]["conflict_ids"].as_array().unwrap().len(), 1);
    let conflicts: Value = app
        .get_json(&format!("/api/v1/conflicts?inspection_id={ins}"), &w.lead1)
        .await;
    assert!(conflicts.to_string().contains(&late), "{conflicts}");
    let still: Value = app
        .get_json(&format!("/api/v1/evidence/{ev}"), &w.insp1)
        .await;
    assert_eq!(still["upload_state"], "stored");
}

async fn watermelon_devices_create_and_remove_evidence(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    let pull: Value = app
        .get_json("/api/v1/sync/watermelon?schema_version=1", &w.insp1)
        .await;
    let t = pull["timestamp"].as_i64().unwrap();
    let ev = uuid::Uuid::new_v4().to_string();
    let wm_push = |changes: Value, t: i64| {
        app.authed(
            Method::POST,
            &format!("/api/v1/sync/watermelon?schema_version=1&last_pulled_at={t}"),
            &w.insp1,
        )
        .json(&json!({"changes": changes}))
        .send()
    };
    let created = json!({"evidence": {"created": [{"id": ev, "inspection_id": ins, "item_id": "a", "caption": "Ảnh hội nghị", "claimed_taken_at": 1_777_777_777_000i64, "claimed_latitude": 18.7, "claimed_longitude": 105.7, "_status": "created", "_changed": ""}], "updated": [], "deleted": []}});
    assert_eq!(wm_push(created, t).await.unwrap().status(), 200);
    let e: Value = app
        .get_json(&format!("/api/v1/evidence/{ev}"), &w.lead1)
        .await;
    assert_eq!(e["claimed_taken_at"], "2026-05-03T03:09:37Z");
    assert_eq!(e["upload_state"], "pending");
    // Another device pulls it as a WatermelonDB record.
    let pull: Value = app
        .get_json("/api/v1/sync/watermelon?schema_version=1", &w.lead1)
        .await;
    let rec = pull["changes"]["evidence"]["created"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == ev.as_str())
        .cloned()
        .expect("pulled");
    assert_eq!(rec["item_id"], "a");
    let t = pull["timestamp"].as_i64().unwrap();
    let pull: Value = app
        .get_json(
            &format!("/api/v1/sync/watermelon?schema_version=1&last_pulled_at={t}"),
            &w.insp1,
        )
        .await;
    let t = pull["timestamp"].as_i64().unwrap();
    let deleted = json!({"evidence": {"created": [], "updated": [], "deleted": [ev]}});
    assert_eq!(wm_push(deleted, t).await.unwrap().status(), 200);
    assert_problem(
        app.authed(Method::GET, &format!("/api/v1/evidence/{ev}"), &w.lead1)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
}
