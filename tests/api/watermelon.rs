//! The WatermelonDB face, tested with the real `@nozbe/watermelondb` `synchronize()` in
//! Node.js (tests/clients): two devices edit one inspection offline, both sync, both converge,
//! and the concurrent edit shows up as a conflict for the lead; a device whose push was
//! refused or lost a concurrent edit takes the server's value at its next sync; distinct edits
//! are never taken for retries; and what a closed round takes off a phone names only the
//! phone's team's rows.

use std::process::Command;

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

both_engines!(
    two_watermelon_devices_converge,
    a_push_after_someone_else_changed_the_record_is_refused,
    work_leaving_the_device_is_deleted_with_all_it_holds,
    a_refused_push_is_undone_on_the_device_by_the_next_pull,
    a_device_that_lost_a_concurrent_edit_takes_the_winner,
    distinct_edits_between_pulls_all_apply_and_a_retry_changes_nothing,
    closing_a_round_deletes_only_the_inspectors_teams_rows,
    leaving_a_team_deletes_what_the_phone_held_of_it
);

use crate::node::{clients_dir, ready};

fn node_ready() -> Option<()> {
    ready("WatermelonDB client")
}

/// Runs a client of tests/clients with these variables; returns its JSON result line.
pub(crate) async fn run_client(script: &'static str, env: Vec<(&'static str, String)>) -> Value {
    let mut cmd = Command::new("node");
    cmd.arg(script).current_dir(clients_dir()).envs(env);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        out.status.success(),
        "node {script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .expect("a JSON result line");
    serde_json::from_str(line).unwrap()
}

/// Starts the inspection of `unit` as the holder of `token` and saves `answers` in it.
async fn start(app: &TestApp, w: &World, token: &str, unit: &str, answers: Value) -> String {
    let res = app
        .authed(Method::POST, "/api/v1/inspections", token)
        .json(&json!({"round_id": w.round, "unit_id": unit}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{id}/answers"),
            token,
        )
        .json(&json!({ "answers": answers }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    id
}

/// Runs one scenario of tests/clients/watermelon_outcomes.mjs: insp1's phone, lead1 and the
/// administrator, around `inspection`.
async fn outcome(app: &TestApp, w: &World, scenario: &str, inspection: &str) -> Value {
    run_client(
        "watermelon_outcomes.mjs",
        vec![
            ("KT_BASE", app.base.clone()),
            ("KT_SCENARIO", scenario.to_owned()),
            ("KT_TOKEN_A", w.insp1.clone()),
            ("KT_TOKEN_LEAD", w.lead1.clone()),
            ("KT_TOKEN_ADMIN", w.admin.clone()),
            ("KT_INSPECTION", inspection.to_owned()),
            ("KT_ROUND", w.round.clone()),
        ],
    )
    .await
}

/// The conflicts kept for the lead, with their values decoded.
async fn conflicts_of(app: &TestApp, w: &World, inspection: &str) -> Vec<Value> {
    let list: Vec<Value> = app
        .get_json(
            &format!("/api/v1/conflicts?inspection_id={inspection}"),
            &w.lead1,
        )
        .await;
    list.into_iter()
        .map(|mut c| {
            for k in ["server_value", "device_value"] {
                c[k] = c[k]
                    .as_str()
                    .map_or(Value::Null, |v| serde_json::from_str(v).unwrap());
            }
            c
        })
        .collect()
}

async fn two_watermelon_devices_converge(engine: Engine) {
    if node_ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let inspection = start(
        &app,
        &w,
        &w.insp1,
        &w.unit_a,
        json!({"b": {"value": "part"}}),
    )
    .await;
    let tablet = app
        .login_body("insp1", "pw-insp1-123", Some("tablet"))
        .await
        .json::<Value>()
        .await
        .unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = run_client(
        "watermelon_two_devices.mjs",
        vec![
            ("KT_BASE", app.base.clone()),
            ("KT_TOKEN_A", w.insp1.clone()),
            ("KT_TOKEN_B", tablet),
            ("KT_INSPECTION", inspection.clone()),
        ],
    )
    .await;

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
    let insp = start(
        &app,
        &w,
        &w.insp1,
        &w.unit_a,
        json!({"b": {"value": "part"}}),
    )
    .await;
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
    let insp = start(
        &app,
        &w,
        &w.insp1,
        &w.unit_a,
        json!({"b": {"value": "part"}}),
    )
    .await;
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

/// The phone edits an answer; the lead approves the inspection before the phone syncs. The
/// engine refuses the edit; WatermelonDB, told 200, marks it synced, and the next pull puts
/// the server's value back. The push is sent twice (its first answer lost): the retry is
/// answered alike and keeps nothing twice.
async fn a_refused_push_is_undone_on_the_device_by_the_next_pull(engine: Engine) {
    if node_ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let answers = json!({"a": {"value": "yes"}, "b": {"value": "part"}});
    let insp = start(&app, &w, &w.insp1, &w.unit_a, answers).await;
    crate::findings::write_findings(&app, &w.insp1, &insp).await;
    let r = outcome(&app, &w, "rejected", &insp).await;
    assert_eq!(r["status"], "approved", "{r}");
    assert_eq!(r["attempts"], 1, "{r}");
    assert_eq!(
        r["statuses"],
        json!([200, 200]),
        "a retry is answered alike: {r}"
    );
    assert_eq!(
        r["afterPush"]["value"], "\"none\"",
        "pushed and marked synced: {r}"
    );
    assert_eq!(r["device"]["b"]["value"], "\"part\"", "{r}");
    assert_eq!(r["server"]["b"]["value"], "part", "{r}");
    // The phone's value is kept for the lead.
    let conflicts = conflicts_of(&app, &w, &insp).await;
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    assert_eq!(conflicts[0]["kind"], "rejected");
    assert_eq!(conflicts[0]["reason"], "inspection_read_only");
    assert_eq!(conflicts[0]["device_value"]["value"], "none");
}

/// The phone edits an answer (saying when, in `updated_at`); the lead edits it later. The later
/// edit, the lead's, wins; the phone's is kept for the lead, and the phone takes the lead's.
async fn a_device_that_lost_a_concurrent_edit_takes_the_winner(engine: Engine) {
    if node_ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = start(
        &app,
        &w,
        &w.insp1,
        &w.unit_a,
        json!({"b": {"value": "part"}}),
    )
    .await;
    let r = outcome(&app, &w, "server_won", &insp).await;
    assert_eq!(
        r["afterPush"]["value"], "\"full\"",
        "pushed and marked synced: {r}"
    );
    assert_eq!(r["device"]["b"]["value"], "\"none\"", "{r}");
    assert_eq!(r["server"]["b"]["value"], "none", "{r}");
    let conflicts = conflicts_of(&app, &w, &insp).await;
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    let c = &conflicts[0];
    assert_eq!(
        (&c["kind"], &c["winner"]),
        (&json!("concurrent"), &json!("server"))
    );
    assert_eq!(c["device_value"]["value"], "full");
    assert_eq!(c["server_value"]["value"], "none");
}

/// Two different edits of one answer pushed at the same `last_pulled_at` both apply (the second
/// is not answered from the first's stored result); a push sent twice (its first answer lost)
/// changes nothing the second time.
async fn distinct_edits_between_pulls_all_apply_and_a_retry_changes_nothing(engine: Engine) {
    if node_ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = start(
        &app,
        &w,
        &w.insp1,
        &w.unit_a,
        json!({"b": {"value": "part"}}),
    )
    .await;
    let r = outcome(&app, &w, "two_edits", &insp).await;
    let bases = r["bases"].as_array().unwrap();
    assert_eq!(bases.len(), 2, "{r}");
    assert_eq!(bases[0], bases[1], "both pushes at one last_pulled_at: {r}");
    assert_eq!(
        r["server"]["b"]["value"], "none",
        "the second edit applied: {r}"
    );
    assert_eq!(r["device"]["b"]["value"], "\"none\"", "{r}");
    assert_eq!(r["retry"]["status"], 200, "{r}");
    assert_eq!(
        r["retry"]["before"], r["retry"]["after"],
        "the retry wrote nothing: {r}"
    );
    let comments: Vec<Value> = app
        .get_json(&format!("/api/v1/inspections/{insp}/comments"), &w.lead1)
        .await;
    assert_eq!(comments.len(), 1, "{comments:#?}");
    assert_eq!(comments[0]["id"], r["commentId"]);
    assert!(conflicts_of(&app, &w, &insp).await.is_empty());
}

/// Closing the round takes it off inspectors' phones with all it holds, but the pull names only
/// the rows of the inspector's team: none of team 2's ids.
async fn closing_a_round_deletes_only_the_inspectors_teams_rows(engine: Engine) {
    if node_ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let answers = json!({"a": {"value": "yes"}, "b": {"value": "part"}});
    let mine = start(&app, &w, &w.insp1, &w.unit_a, answers.clone()).await;
    let theirs = start(&app, &w, &w.insp2, &w.unit_b, answers).await;
    let comment = |token: &str, insp: &str| {
        app.authed(
            Method::POST,
            &format!("/api/v1/inspections/{insp}/comments"),
            token,
        )
        .json(&json!({"body": "Ghi chú"}))
        .send()
    };
    let my_comment = comment(&w.insp1, &mine)
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let their_comment = comment(&w.insp2, &theirs)
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let assignments: Vec<Value> = app
        .get_json(&format!("/api/v1/rounds/{}/assignments", w.round), &w.admin)
        .await;
    let of_team = |team: &str| -> Vec<Value> {
        assignments
            .iter()
            .filter(|a| a["team_id"] == team)
            .map(|a| a["id"].clone())
            .collect()
    };
    let mut team2 = of_team(&w.team2);
    assert_eq!(team2.len(), 2);
    team2.extend([
        json!(theirs),
        json!(format!("{theirs}/a")),
        json!(format!("{theirs}/b")),
        their_comment["id"].clone(),
    ]);

    let r = outcome(&app, &w, "round_closed", &mine).await;
    assert_eq!(r["held"]["inspections"], 1, "{r}");
    let deleted: Vec<Value> = r["deleted"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|ids| ids.as_array().unwrap().clone())
        .collect();
    for id in &team2 {
        assert!(
            !deleted.contains(id),
            "team 2's {id} named to a team-1 phone: {r}"
        );
    }
    let mut team1 = of_team(&w.team1);
    team1.extend([
        json!(w.round),
        json!(mine),
        json!(format!("{mine}/a")),
        json!(format!("{mine}/b")),
        my_comment["id"].clone(),
    ]);
    for id in &team1 {
        assert!(deleted.contains(id), "{id} not deleted: {r}");
    }
    for table in [
        "rounds",
        "assignments",
        "inspections",
        "answers",
        "comments",
    ] {
        assert_eq!(r["left"][table], 0, "{table} left on the phone: {r}");
    }
}

/// An inspector taken off their team: the pull deletes the team's work they held, and names
/// nothing the team made after they left.
async fn leaving_a_team_deletes_what_the_phone_held_of_it(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = start(
        &app,
        &w,
        &w.insp1,
        &w.unit_a,
        json!({"b": {"value": "part"}}),
    )
    .await;
    let comment = |token: &str| {
        app.authed(
            Method::POST,
            &format!("/api/v1/inspections/{insp}/comments"),
            token,
        )
        .json(&json!({"body": "Ghi chú"}))
        .send()
    };
    let held = comment(&w.insp1)
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let pull: Value = app
        .get_json("/api/v1/sync/watermelon?schema_version=1", &w.insp1)
        .await;
    let t = pull["timestamp"].as_i64().unwrap();
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/teams/{}", w.team1),
            &w.admin,
        )
        .json(&json!({"member_ids": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let after = comment(&w.lead1)
        .await
        .unwrap()
        .json::<Value>()
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
    assert!(deleted("teams").contains(&json!(w.team1)), "{pull}");
    assert!(deleted("inspections").contains(&json!(insp)), "{pull}");
    assert!(
        deleted("answers").contains(&json!(format!("{insp}/b"))),
        "{pull}"
    );
    assert_eq!(deleted("assignments").len(), 1, "{pull}");
    assert_eq!(
        deleted("comments"),
        vec![held["id"].clone()],
        "not {after}: {pull}"
    );
}
