//! Deadlines and reminders (issue 18, part 1): a unit's own deadline on its assignment, the
//! lists and late marks that follow it, reminders stored as notifications (sent once per
//! person, unit, reason and day, whoever asks and however often), what each person may read
//! of them, pull, the web pages, and e-mail over SMTP.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::reports::{compiled, ok, unit};

both_engines!(a_units_own_deadline_moves_its_lists_and_late_marks);

fn reasons_of(missing: &Value, unit: &str) -> Option<Vec<String>> {
    missing["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == unit)
        .map(|u| {
            u["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_owned())
                .collect()
        })
}

pub(crate) async fn set_due(
    app: &TestApp,
    admin: &str,
    round: &str,
    unit: &str,
    due: Value,
) -> Value {
    ok(app
        .authed(
            Method::PATCH,
            &format!("/api/v1/rounds/{round}/assignments/{unit}"),
            admin,
        )
        .json(&json!({ "due_on": due }))
        .send()
        .await
        .unwrap())
    .await
}

async fn a_units_own_deadline_moves_its_lists_and_late_marks(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    // A approved, B submitted, C not started; the round was due on 30/11/2026 (past).
    let c = compiled(&app).await;
    let w = &c.w;
    let round = &w.round;
    let missing = format!("/api/v1/rounds/{round}/missing");
    let before: Value = app.get_json(&missing, &w.admin).await;
    assert_eq!(
        reasons_of(&before, &w.unit_b),
        Some(vec!["awaiting_approval_past_due".to_owned()])
    );
    let summary = format!("/api/v1/rounds/{round}/summary");
    let s: Value = app.get_json(&summary, &w.admin).await;
    assert_eq!(unit(&s, &w.unit_a)["approved_late"], true, "{s}");
    let p: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/progress"), &w.admin)
        .await;
    assert_eq!(p["overall"]["overdue"], 2, "{p}");

    // Only administrators set deadlines, and a stale version is refused.
    let path = format!("/api/v1/rounds/{round}/assignments/{}", w.unit_b);
    let res = app
        .authed(Method::PATCH, &path, &w.lead2)
        .json(&json!({"due_on": "2026-12-31"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = app
        .authed(Method::PATCH, &path, &w.admin)
        .json(&json!({"due_on": "2026-12-31", "version": 99}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "version_mismatch").await;
    let res = app
        .authed(Method::PATCH, &path, &w.admin)
        .json(&json!({"due_on": "2026-01-01"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 422, "validation_failed").await;

    // B and A get until the end of the year: B is no longer late, A's approval was on time.
    let b = set_due(&app, &w.admin, round, &w.unit_b, json!("2026-12-31")).await;
    assert_eq!(b["due_on"], "2026-12-31");
    assert_eq!(b["version"], 2);
    let put = app
        .authed(Method::PUT, &format!("/api/v1/rounds/{round}/assignments"), &w.admin)
        .json(&json!({"assignments": [{"unit_id": w.unit_a, "team_id": w.team1, "due_on": "2026-12-31"}]}))
        .send()
        .await
        .unwrap();
    let rows = ok(put).await;
    let a = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit_id"] == w.unit_a.as_str())
        .unwrap();
    assert_eq!(a["due_on"], "2026-12-31", "{rows}");
    let after: Value = app.get_json(&missing, &w.admin).await;
    assert_eq!(reasons_of(&after, &w.unit_b), None, "{after}");
    let c_row = after["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == w.unit_c.as_str())
        .unwrap();
    assert_eq!(
        c_row["due_on"], "2026-11-30",
        "C keeps the round's: {after}"
    );
    let s: Value = app.get_json(&summary, &w.admin).await;
    let a_row = unit(&s, &w.unit_a);
    assert_eq!(a_row["approved_late"], false, "{s}");
    assert_eq!(a_row["due_on"], "2026-12-31");
    let p: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/progress"), &w.admin)
        .await;
    assert_eq!(p["overall"]["overdue"], 1, "only C: {p}");

    // An earlier deadline than the round's makes a unit late sooner; null clears it.
    set_due(&app, &w.admin, round, &w.unit_b, Value::Null).await;
    let again: Value = app.get_json(&missing, &w.admin).await;
    assert!(reasons_of(&again, &w.unit_b).is_some());

    // Devices get the deadline with the assignment; the inspector's list shows it too.
    set_due(&app, &w.admin, round, &w.unit_c, json!("2026-12-20")).await;
    let listed: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/assignments"), &w.insp2)
        .await;
    assert!(listed.to_string().contains("2026-12-20"), "{listed}");
    let pulled: Value = app
        .get_json("/api/v1/sync/pull?schema_version=1&limit=500", &w.insp2)
        .await;
    let assignment = pulled["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|ch| ch["entity"] == "assignment" && ch["data"]["unit_id"] == w.unit_c.as_str())
        .unwrap();
    assert_eq!(assignment["data"]["due_on"], "2026-12-20");

    // The administrators' round page shows and sets it.
    let mut admin = crate::web::client::WebClient::world_user(&app, "admin1").await;
    let (status, page) = admin.get(&format!("/quan-tri/dot/{round}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("value=\"2026-12-20\""), "{page}");
    let form = format!("/quan-tri/dot/{round}/phan-cong/{}/han", w.unit_c);
    let res = admin.post(&form, &[("due_on", "2026-12-24")]).await;
    let (_, page) = admin.follow(res).await;
    assert!(page.contains("24/12/2026"), "{page}");
    let rows: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/assignments"), &w.admin)
        .await;
    assert!(rows.to_string().contains("2026-12-24"), "{rows}");
}

both_engines!(
    reminders_are_sent_once_to_the_right_people,
    only_an_open_round_is_reminded_of
);

async fn post_empty(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.authed(Method::POST, path, token).send().await.unwrap()
}

async fn remind(app: &TestApp, token: &str, round: &str) -> i64 {
    let v = ok(post_empty(app, token, &format!("/api/v1/rounds/{round}/reminders")).await).await;
    v["created"].as_i64().unwrap()
}

async fn mine(app: &TestApp, token: &str, query: &str) -> Value {
    app.get_json(&format!("/api/v1/notifications{query}"), token)
        .await
}

/// A second open round in which team 1 has unit A, not started.
async fn team1_round(app: &TestApp, w: &crate::world::World) -> String {
    let round = ok(app
        .authed(Method::POST, "/api/v1/rounds", &w.admin)
        .json(&json!({"name": "Kiểm tra chuyên đề", "kind": "thematic", "template_version_id": w.version, "starts_on": "2026-09-01", "ends_on": "2026-11-20", "due_on": "2026-11-25", "status": "open"}))
        .send()
        .await
        .unwrap())
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(app
        .authed(
            Method::PUT,
            &format!("/api/v1/rounds/{round}/assignments"),
            &w.admin,
        )
        .json(&json!({"assignments": [{"unit_id": w.unit_a, "team_id": w.team1}]}))
        .send()
        .await
        .unwrap())
    .await;
    round
}

async fn reminders_are_sent_once_to_the_right_people(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    // A approved (team 1); B submitted, past due (team 2); C not started (team 2).
    let c = compiled(&app).await;
    let w = &c.w;
    let round = &w.round;
    let path = format!("/api/v1/rounds/{round}/reminders");
    for who in [&w.viewer, &w.insp1, &w.insp2] {
        assert_problem(post_empty(&app, who, &path).await, 403, "forbidden").await;
    }
    // Team 1 owes nothing: its lead's reminders make none.
    assert_eq!(remind(&app, &w.lead1, round).await, 0);
    // C's inspector hears of C; B's lead of B's approval. Once a day, whoever asks.
    assert_eq!(remind(&app, &w.admin, round).await, 2);
    assert_eq!(remind(&app, &w.admin, round).await, 0);
    assert_eq!(remind(&app, &w.lead2, round).await, 0);

    let insp2 = mine(&app, &w.insp2, "").await;
    assert_eq!(insp2["total"], 1, "{insp2}");
    let n = &insp2["items"][0];
    assert_eq!(n["kind"], "reminder");
    assert_eq!(n["unit_id"], w.unit_c.as_str());
    assert!(
        n["title"].as_str().unwrap().contains("Sở Tài chính")
            && n["body"].as_str().unwrap().contains("30/11/2026"),
        "{n}"
    );
    let lead2 = mine(&app, &w.lead2, "").await;
    assert_eq!(lead2["total"], 1, "{lead2}");
    assert_eq!(lead2["items"][0]["link"], format!("/phieu/{}", c.b));
    for who in [&w.admin, &w.insp1, &w.lead1, &w.viewer] {
        assert_eq!(mine(&app, who, "").await["total"], 0);
    }

    // Another team's round: lead 2 is told it does not exist. Two reminders at once (two
    // connections, as two processes would be) make one notification.
    let r2 = team1_round(&app, w).await;
    let res = post_empty(&app, &w.lead2, &format!("/api/v1/rounds/{r2}/reminders")).await;
    assert_problem(res, 404, "not_found").await;
    let (x, y) = tokio::join!(remind(&app, &w.admin, &r2), remind(&app, &w.lead1, &r2));
    assert_eq!(x + y, 1, "{x} + {y}");
    assert_eq!(mine(&app, &w.insp1, "").await["total"], 1);

    // Each reads only their own.
    let id = n["id"].as_str().unwrap();
    let read = format!("/api/v1/notifications/{id}/read");
    assert_problem(post_empty(&app, &w.insp1, &read).await, 404, "not_found").await;
    assert_problem(post_empty(&app, &w.admin, &read).await, 404, "not_found").await;
    let before = app
        .get_json::<Value>("/api/v1/sync/pull?schema_version=1&limit=1000", &w.insp2)
        .await;
    let cursor = before["next_cursor"].as_str().unwrap().to_owned();
    let pulled: Vec<&Value> = before["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|ch| ch["entity"] == "notification")
        .collect();
    assert_eq!(pulled.len(), 1, "{before}");
    assert_eq!(pulled[0]["id"], id);
    assert_eq!(pulled[0]["data"]["read_at"], Value::Null);
    let r = ok(post_empty(&app, &w.insp2, &read).await).await;
    assert!(r["read_at"].is_string(), "{r}");
    assert_eq!(mine(&app, &w.insp2, "?unread=true").await["total"], 0);
    assert_eq!(mine(&app, &w.insp2, "").await["total"], 1);
    // The change reaches the device on its next pull.
    let after: Value = app
        .get_json(
            &format!("/api/v1/sync/pull?schema_version=1&limit=1000&cursor={cursor}"),
            &w.insp2,
        )
        .await;
    let again = after["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|ch| ch["entity"] == "notification")
        .unwrap();
    assert!(again["data"]["read_at"].is_string(), "{after}");
    // Nobody else's device ever gets it: not another inspector, not an administrator.
    for who in [&w.insp1, &w.admin, &w.lead2, &w.viewer] {
        let all: Value = app
            .get_json("/api/v1/sync/pull?schema_version=1&limit=1000", who)
            .await;
        assert!(!all.to_string().contains(id), "{all}");
    }
    let lead2_pull: Value = app
        .get_json("/api/v1/sync/pull?schema_version=1&limit=1000", &w.lead2)
        .await;
    assert!(lead2_pull.to_string().contains("\"notification\""));

    let all = ok(post_empty(&app, &w.lead2, "/api/v1/notifications/read-all").await).await;
    assert_eq!(all["updated"], 1);
    assert_eq!(mine(&app, &w.lead2, "").await["unread"], 0);
}

both_engines!(the_web_app_sends_and_shows_reminders);

async fn the_web_app_sends_and_shows_reminders(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let c = compiled(&app).await;
    let w = &c.w;
    let page = format!("/dot/{}/con-thieu", w.round);
    let form = format!("/dot/{}/nhac-nho", w.round);
    // Viewers read the list but send nothing.
    let mut viewer = crate::web::client::WebClient::world_user(&app, "viewer1").await;
    let (_, body) = viewer.get(&page).await;
    assert!(!body.contains("Gửi nhắc nhở"), "{body}");
    assert_eq!(viewer.post(&form, &[]).await.status(), 403);

    let mut lead2 = crate::web::client::WebClient::world_user(&app, "lead2").await;
    let (_, body) = lead2.get(&page).await;
    assert!(
        body.contains("Gửi nhắc nhở") && body.contains("30/11/2026"),
        "{body}"
    );
    let res = lead2.post(&form, &[]).await;
    let (_, body) = lead2.follow(res).await;
    assert!(body.contains("Đã gửi 2 nhắc nhở"), "{body}");
    // B's approval is the lead's own reminder: the header counts it on every page.
    assert!(body.contains("unread-count"), "{body}");
    let res = lead2.post(&form, &[]).await;
    let (_, body) = lead2.follow(res).await;
    assert!(body.contains("Không có nhắc nhở mới"), "{body}");

    let mut insp2 = crate::web::client::WebClient::world_user(&app, "insp2").await;
    let (status, body) = insp2.get("/thong-bao").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Sở Tài chính") && body.contains("Bạn có 1 thông báo chưa đọc"),
        "{body}"
    );
    let mine = mine(&app, &w.insp2, "").await;
    let id = mine["items"][0]["id"].as_str().unwrap().to_owned();
    // Another person cannot mark it read.
    let mut insp1 = crate::web::client::WebClient::world_user(&app, "insp1").await;
    insp1.get("/thong-bao").await;
    let res = insp1.post(&format!("/thong-bao/{id}/doc"), &[]).await;
    assert_eq!(res.status(), 404);
    let res = insp2.post(&format!("/thong-bao/{id}/doc"), &[]).await;
    let (_, body) = insp2.follow(res).await;
    assert!(
        body.contains("Bạn đã đọc hết thông báo") && !body.contains("unread-count"),
        "{body}"
    );
    let res = lead2.post("/thong-bao/doc-het", &[]).await;
    let (_, body) = lead2.follow(res).await;
    assert!(body.contains("Đã đánh dấu 1 thông báo"), "{body}");
}

/// A planned round is hidden from its inspectors and a closed one can no longer be written:
/// reminding of either is refused, and nobody hears of them.
async fn only_an_open_round_is_reminded_of(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = crate::world::World::build(&app).await;
    let round = ok(app
        .authed(Method::POST, "/api/v1/rounds", &w.admin)
        .json(&json!({"name": "Kiểm tra chuyên đề", "kind": "thematic", "template_version_id": w.version, "starts_on": "2026-09-01", "ends_on": "2026-11-20", "due_on": "2026-11-25", "status": "planned"}))
        .send()
        .await
        .unwrap())
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/rounds/{round}");
    ok(app
        .authed(Method::PUT, &format!("{path}/assignments"), &w.admin)
        .json(&json!({"assignments": [{"unit_id": w.unit_a, "team_id": w.team1}]}))
        .send()
        .await
        .unwrap())
    .await;
    for status in ["planned", "open", "closed"] {
        if status != "planned" {
            ok(app
                .authed(Method::PATCH, &path, &w.admin)
                .json(&json!({ "status": status }))
                .send()
                .await
                .unwrap())
            .await;
        }
        if status == "open" {
            continue;
        }
        for who in [&w.admin, &w.lead1] {
            let res = post_empty(&app, who, &format!("{path}/reminders")).await;
            assert_problem(res, 409, "round_not_open").await;
        }
    }
    for who in [&w.insp1, &w.lead1] {
        assert_eq!(mine(&app, who, "").await["total"], 0);
    }
}
