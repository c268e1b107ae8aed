//! Sync you can trust (issue 14), one test per rule, on both engines: scope entries re-send
//! the working set, no answer carries another team's rows, reused mutation ids are refused,
//! clearing is versioned, only writers leave conflict rows, a cursor ahead is an error, clocks
//! and bodies are read strictly, NUL is refused alike, identical pushes in flight agree.

mod push;
mod scope;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::world::World;

pub fn hlc() -> String {
    format!("{:013}:0000:dev", chrono::Utc::now().timestamp_millis())
}

pub fn mid() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub async fn push_raw(app: &TestApp, token: &str, mutations: Value) -> reqwest::Response {
    app.authed(Method::POST, "/api/v1/sync/push", token)
        .json(&json!({"schema_version": 1, "mutations": mutations}))
        .send()
        .await
        .unwrap()
}

pub async fn push(app: &TestApp, token: &str, mutations: Value) -> Vec<Value> {
    let res = push_raw(app, token, mutations).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body["results"].as_array().unwrap().clone()
}

/// Every change after `cursor` (all pages), and the last cursor.
pub async fn pull_all(app: &TestApp, token: &str, cursor: Option<String>) -> (Vec<Value>, String) {
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

pub async fn inspection_with_answer(app: &TestApp, token: &str, w: &World, unit: &str) -> String {
    let id = mid();
    let r = push(app, token, json!([
        {"mutation_id": mid(), "type": "inspection.create", "id": id, "round_id": w.round, "unit_id": unit},
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": id, "item_id": "b", "value": "full", "hlc": hlc()}
    ])).await;
    assert_eq!(r[1]["status"], "applied", "{r:?}");
    id
}

pub fn live(changes: &[Value], entity: &str, id: &str) -> bool {
    changes
        .iter()
        .any(|c| c["entity"] == entity && c["id"] == id && c["deleted"] == false)
}

pub fn gone(changes: &[Value], entity: &str, id: &str) -> bool {
    changes
        .iter()
        .any(|c| c["entity"] == entity && c["id"] == id && c["deleted"] == true)
}

pub async fn set_members(app: &TestApp, w: &World, team: &str, lead: &str, members: Value) {
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/teams/{team}"), &w.admin)
        .json(&json!({"name": "Đoàn", "lead_id": lead, "member_ids": members}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
}

pub async fn round_status(app: &TestApp, w: &World, status: &str) {
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

/// A member (not the lead) of a team.
pub async fn member_of(app: &TestApp, w: &World, team: &str) -> String {
    let t: Value = app
        .get_json(&format!("/api/v1/teams/{team}"), &w.admin)
        .await;
    t["member_ids"][0].as_str().unwrap().to_owned()
}

pub async fn status_of(app: &TestApp, path: &str, token: &str) -> u16 {
    app.authed(Method::GET, path, token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}
