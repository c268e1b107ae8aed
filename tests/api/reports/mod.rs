//! Reports over HTTP: progress and summary (only approved inspections count), the leads'
//! conclusions and report recommendations with who may write them, and the exported files
//! opened by independent readers (python-docx, openpyxl, Python's csv, zlib and XML parser:
//! tests/readers), on both engines; then a province-sized round timed.
//!
//! The shared fixtures are here; each file holds one group of tests.

mod command_line;
mod compilation;
mod counts;
mod province;
mod readers;

pub(crate) use readers::{download, python, read_with, sheet};

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::world::World;

// ---------------------------------------------------------------------------------------
// Driving inspections through the API.

pub(crate) async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {v}");
    v
}

pub(crate) async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.authed(Method::POST, path, token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Starts the unit's inspection and answers it; returns its id.
async fn fill(app: &TestApp, token: &str, round: &str, unit: &str, answers: Value) -> String {
    let x = ok(post(
        app,
        token,
        "/api/v1/inspections",
        json!({"round_id": round, "unit_id": unit}),
    )
    .await)
    .await;
    let id = x["id"].as_str().unwrap().to_owned();
    ok(app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{id}/answers"),
            token,
        )
        .json(&json!({ "answers": answers }))
        .send()
        .await
        .unwrap())
    .await;
    id
}

pub(crate) async fn act(app: &TestApp, token: &str, id: &str, action: &str) -> Value {
    ok(post(
        app,
        token,
        &format!("/api/v1/inspections/{id}/{action}"),
        json!(null),
    )
    .await)
    .await
}

/// The small world with unit A approved (findings and a recommendation), unit B submitted
/// (with a recommendation: not official yet) and unit C not started.
pub(crate) struct Compiled {
    pub w: World,
    pub a: String,
    pub b: String,
    pub rec_a: String,
    pub rec_b: String,
}

pub(crate) async fn compiled(app: &TestApp) -> Compiled {
    let w = World::build(app).await;
    let a = fill(
        app,
        &w.insp1,
        &w.round,
        &w.unit_a,
        json!({"a": {"value": "yes"}, "b": {"value": "part"}, "d": {"value": 4}, "e": {"value": 7}}),
    )
    .await;
    ok(app
        .authed(Method::PATCH, &format!("/api/v1/inspections/{a}"), &w.insp1)
        .json(&json!({"strengths": "Triển khai kịp thời Chương trình công tác năm 2026.", "shortcomings": "Chưa xây dựng điểm sáng dân vận.", "causes": "Thiếu cán bộ chuyên trách."}))
        .send()
        .await
        .unwrap())
    .await;
    let rec_a = ok(post(app, &w.insp1, &format!("/api/v1/inspections/{a}/recommendations"), json!({"content": "Xây dựng điểm sáng dân vận chính quyền", "responsible_unit_id": w.unit_a, "due_on": "2027-03-31"})).await).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    act(app, &w.insp1, &a, "submit").await;
    act(app, &w.lead1, &a, "approve").await;

    let b = fill(
        app,
        &w.insp2,
        &w.round,
        &w.unit_b,
        json!({"a": {"value": "yes"}, "b": {"value": "full"}, "d": {"value": 5}, "f": {"value": "yes"}}),
    )
    .await;
    let rec_b = ok(post(
        app,
        &w.insp2,
        &format!("/api/v1/inspections/{b}/recommendations"),
        json!({"content": "Kiến nghị chưa duyệt"}),
    )
    .await)
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    crate::findings::write_findings(app, &w.insp2, &b).await;
    act(app, &w.insp2, &b, "submit").await;
    Compiled {
        w,
        a,
        b,
        rec_a,
        rec_b,
    }
}

pub(crate) fn unit<'a>(summary: &'a Value, id: &str) -> &'a Value {
    summary["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == id)
        .unwrap()
}
