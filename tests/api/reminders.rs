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
