//! The WatermelonDB face, tested with the real `@nozbe/watermelondb` `synchronize()` in
//! Node.js (tests/clients): two devices edit one inspection offline, both sync, both converge,
//! and the concurrent edit shows up as a conflict for the lead.

use std::process::Command;

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

both_engines!(
    two_watermelon_devices_converge,
    a_push_after_someone_else_changed_the_record_is_refused,
    work_leaving_the_device_is_deleted_with_all_it_holds
);

use crate::node::{clients_dir, ready};

fn node_ready() -> Option<()> {
    ready("WatermelonDB client")
}

async fn two_watermelon_devices_converge(engine: Engine) {
    if node_ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let res = app
        .authed(Method::POST, "/api/v1/inspections", &w.insp1)
        .json(&json!({"round_id": w.round, "unit_id": w.unit_a}))
        .send()
        .await
        .unwrap();
    let inspection = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.authed(
        Method::PATCH,
        &format!("/api/v1/inspections/{inspection}/answers"),
        &w.insp1,
    )
    .json(&json!({"answers": {"b": {"value": "part"}}}))
    .send()
    .await
    .unwrap();
    let tablet = app
        .login_body("insp1", "pw-insp1-123", Some("tablet"))
        .await
        .json::<Value>()
        .await
        .unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut cmd = Command::new("node");
    cmd.arg("watermelon_two_devices.mjs")
        .current_dir(clients_dir())
        .env("KT_BASE", &app.base)
        .env("KT_TOKEN_A", &w.insp1)
        .env("KT_TOKEN_B", &tablet)
        .env("KT_INSPECTION", &inspection);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .expect("a JSON result line");
    let r: Value = serde_json::from_str(line).unwrap();

    assert_eq!(
        r["pulled"]["units"], 3,
        "the first pull brought the working set"
    );
    assert_eq!(r["pulled"]["answers"]["b"]["value"], "\"part\"");
    assert_eq!(r["attempts"]["a"], 1);
    assert_eq!(
        r["attempts"]["b"], 1,
        "synchronize() pulls before it pushes"
    );
    // Both devices converge, with each other and with the server.
    assert_eq!(r["a"], r["b"], "{r}");
    assert_eq!(r["a"]["answers"]["b"]["value"], "\"none\"");
    assert_eq!(r["a"]["answers"]["d"]["value"], "4");
    assert_eq!(
        r["a"]["inspection"]["strengths"],
        "Tiếp công dân nghiêm túc"
    );
    let detail: Value = app
        .get_json(&format!("/api/v1/inspections/{inspection}"), &w.lead1)
        .await;
    assert_eq!(detail["answers"]["b"]["value"], "none");
    assert_eq!(detail["answers"]["d"]["value"], 4);
    assert_eq!(detail["strengths"], "Tiếp công dân nghiêm túc");
    // The phone's "full", overwritten by the tablet, is kept for the lead.
    let conflicts: Vec<Value> = app
        .get_json(
            &format!("/api/v1/conflicts?inspection_id={inspection}"),
            &w.lead1,
        )
        .await;
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["field"], "b");
    let server: Value =
        serde_json::from_str(conflicts[0]["server_value"].as_str().unwrap()).unwrap();
    let device: Value =
        serde_json::from_str(conflicts[0]["device_value"].as_str().unwrap()).unwrap();
    assert_eq!(
        (server["value"].as_str(), device["value"].as_str()),
        (Some("full"), Some("none"))
    );
}

async fn a_push_after_someone_else_changed_the_record_is_refused(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let res = app
        .authed(Method::POST, "/api/v1/inspections", &w.insp1)
        .json(&json!({"round_id": w.round, "unit_id": w.unit_a}))
        .send()
        .await
        .unwrap();
    let insp = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.authed(
        Method::PATCH,
        &format!("/api/v1/inspections/{insp}/answers"),
        &w.insp1,
    )
    .json(&json!({"answers": {"b": {"value": "part"}}}))
    .send()
    .await
    .unwrap();
    let pull: Value = app
        .get_json("/api/v1/sync/watermelon?schema_version=1", &w.insp1)
        .await;
    let t = pull["timestamp"].as_i64().unwrap();
    assert!(pull["changes"]["answers"]["created"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["item_id"] == "b" && a["value"] == "\"part\""));
    // The lead changes the answer after the phone's pull…
    app.authed(
        Method::PATCH,
        &format!("/api/v1/inspections/{insp}/answers"),
        &w.lead1,
    )
    .json(&json!({"answers": {"b": {"value": "full"}}}))
    .send()
    .await
    .unwrap();
    // …so the phone's push based on that pull is refused, and nothing of it is applied.
    let changes = json!({"answers": {"created": [], "deleted": [], "updated": [
        {"id": format!("{insp}/b"), "inspection_id": insp, "item_id": "b", "value": "\"none\"", "na": false, "version": 1, "_status": "updated", "_changed": "value"}]}});
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/sync/watermelon?schema_version=1&last_pulled_at={t}"),
            &w.insp1,
        )
        .json(&json!({"changes": changes}))
        .send()
        .await
        .unwrap();
    crate::helpers::assert_problem(res, 409, "sync_stale").await;
    let detail: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}"), &w.lead1)
        .await;
    assert_eq!(detail["answers"]["b"]["value"], "full");
    let conflicts: Vec<Value> = app
        .get_json(&format!("/api/v1/conflicts?inspection_id={insp}"), &w.lead1)
        .await;
    assert_eq!(conflicts.len(), 1, "the phone's value is kept");
    // After pulling, the same push goes through; retrying it changes nothing more.
    let pull: Value = app
        .get_json(
            &format!("/api/v1/sync/watermelon?schema_version=1&last_pulled_at={t}"),
            &w.insp1,
        )
        .await;
    let t2 = pull["timestamp"].as_i64().unwrap();
    assert!(pull["changes"]["answers"]["updated"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["value"] == "\"full\""));
    // WatermelonDB keeps the local value but takes the pulled version.
    let mut changes = changes;
    changes["answers"]["updated"][0]["version"] = json!(2);
    for _ in 0..2 {
        let res = app
            .authed(
                Method::POST,
                &format!("/api/v1/sync/watermelon?schema_version=1&last_pulled_at={t2}"),
                &w.insp1,
            )
            .json(&json!({"changes": changes}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    let detail: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}"), &w.lead1)
        .await;
    assert_eq!(detail["answers"]["b"]["value"], "none");
    let conflicts: Vec<Value> = app
        .get_json(&format!("/api/v1/conflicts?inspection_id={insp}"), &w.lead1)
        .await;
    assert_eq!(
        conflicts.len(),
        1,
        "kept once, not once per attempt: {conflicts:#?}"
    );
}

async fn work_leaving_the_device_is_deleted_with_all_it_holds(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let res = app
        .authed(Method::POST, "/api/v1/inspections", &w.insp1)
        .json(&json!({"round_id": w.round, "unit_id": w.unit_a}))
        .send()
        .await
        .unwrap();
    let insp = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.authed(
        Method::PATCH,
        &format!("/api/v1/inspections/{insp}/answers"),
        &w.insp1,
    )
    .json(&json!({"answers": {"b": {"value": "part"}}}))
    .send()
    .await
    .unwrap();
    app.authed(
        Method::POST,
        &format!("/api/v1/inspections/{insp}/comments"),
        &w.insp1,
    )
    .json(&json!({"body": "Ghi chú"}))
    .send()
    .await
    .unwrap();
    let pull: Value = app
        .get_json("/api/v1/sync/watermelon?schema_version=1", &w.insp1)
        .await;
    let t = pull["timestamp"].as_i64().unwrap();
    // The unit moves to team 2: the phone must drop the inspection and everything in it.
    app.authed(
        Method::PUT,
        &format!("/api/v1/rounds/{}/assignments", w.round),
        &w.admin,
    )
    .json(&json!({"assignments": [{"unit_id": w.unit_a, "team_id": w.team2}]}))
    .send()
    .await
    .unwrap();
    let pull: Value = app
        .get_json(
            &format!("/api/v1/sync/watermelon?schema_version=1&last_pulled_at={t}"),
            &w.insp1,
        )
        .await;
    let deleted = |table: &str| {
        pull["changes"][table]["deleted"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    assert!(deleted("inspections").contains(&json!(insp)), "{pull}");
    assert!(
        deleted("answers").contains(&json!(format!("{insp}/b"))),
        "{pull}"
    );
    assert_eq!(deleted("comments").len(), 1, "{pull}");
    assert!(
        deleted("rounds").contains(&json!(w.round)),
        "their last unit in the round left: {pull}"
    );
}
