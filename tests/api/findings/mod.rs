//! Findings typed once (issue 16): submission needs strengths and shortcomings; the biên bản
//! record fields (place, held_at, members, attendees) by REST, by push (merged by field) and in
//! the WatermelonDB pull; answers typed into the old checklist items reach the report.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;

/// Writes the findings a submission needs (ưu điểm, hạn chế), as an inspector does before
/// submitting.
pub async fn write_findings(app: &TestApp, token: &str, inspection: &str) {
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{inspection}"),
            token,
        )
        .json(&json!({"strengths": "Triển khai kịp thời.", "shortcomings": "Chưa có điểm sáng."}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
}

use crate::both_engines;
use crate::helpers::{assert_problem, Engine};
use crate::sync_trust::{hlc, mid, pull_all, push};
use crate::world::{test_template, World};

mod evidence;
mod legacy;
mod record;
mod truths;

/// "Nghệ An" typed on a keyboard that sends decomposed marks (NFD).
const NFD: &str = "Nghe\u{302}\u{323} An";

async fn send(app: &TestApp, m: Method, path: &str, token: &str, body: Value) -> reqwest::Response {
    app.authed(m, path, token).json(&body).send().await.unwrap()
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {v}");
    v
}

async fn start(app: &TestApp, w: &World, token: &str, unit: &str) -> String {
    let body = json!({"round_id": w.round, "unit_id": unit});
    let v = ok(send(app, Method::POST, "/api/v1/inspections", token, body).await).await;
    v["id"].as_str().unwrap().to_owned()
}

/// The inspector answers the test checklist's two required items.
async fn answer_required(app: &TestApp, w: &World, id: &str) {
    let answers = json!({"answers": {"a": {"value": "yes"}, "b": {"value": "full"}}});
    let path = format!("/api/v1/inspections/{id}/answers");
    ok(send(app, Method::PATCH, &path, &w.insp1, answers).await).await;
}

fn codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn with_section(section: Value) -> Value {
    let mut t = test_template();
    t["sections"].as_array_mut().unwrap().push(section);
    t
}

async fn missing_evidence(app: &TestApp, w: &World) -> u64 {
    let p: Value = app
        .get_json(&format!("/api/v1/rounds/{}/progress", w.round), &w.lead1)
        .await;
    p["overall"]["missing_evidence"].as_u64().unwrap()
}
