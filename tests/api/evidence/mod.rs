//! Photo evidence over HTTP: upload, verification by decoding, idempotency, serving with
//! ETag and ranges, thumbnails without metadata, the audit trail, scope and roles, evidence
//! rules at submission, and every kind of bad input leaving nothing behind.
//!
//! The shared fixtures are here; each file holds one group of tests.

mod archive;
mod scope;
mod sync;
mod upload;

use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::TestApp;
use crate::world::{test_template, World};

/// The test checklist, with item `a` needing a photo when answered "yes".
pub fn template_with_evidence() -> Value {
    let mut t = test_template();
    t["sections"][0]["items"][0]["evidence"] = json!({"required_when": ["yes"]});
    t
}

pub async fn setup(app: &TestApp) -> (World, String) {
    let w = World::build_with_template(app, template_with_evidence()).await;
    let res = app
        .authed(Method::POST, "/api/v1/inspections", &w.insp1)
        .json(&json!({"round_id": w.round, "unit_id": w.unit_a}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let ins: Value = res.json().await.unwrap();
    (w, ins["id"].as_str().unwrap().to_owned())
}

pub async fn new_evidence(app: &TestApp, token: &str, inspection: &str, item: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let res = app
        .authed(Method::POST, &format!("/api/v1/inspections/{inspection}/evidence"), token)
        .json(&json!({"id": id, "item_id": item, "caption": "Bảng niêm yết công khai", "taken_at": "2026-05-03T02:12:40Z", "latitude": 18.68, "longitude": 105.68}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    id
}

pub(super) async fn create_raw(
    app: &TestApp,
    token: &str,
    inspection: &str,
    body: Value,
) -> reqwest::Response {
    app.authed(
        Method::POST,
        &format!("/api/v1/inspections/{inspection}/evidence"),
        token,
    )
    .json(&body)
    .send()
    .await
    .unwrap()
}

pub(super) async fn delete(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    app.authed(Method::DELETE, &format!("/api/v1/evidence/{id}"), token)
        .send()
        .await
        .unwrap()
}

pub(super) async fn put(app: &TestApp, token: &str, id: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.authed(
        Method::PUT,
        &format!("/api/v1/evidence/{id}/content"),
        token,
    )
    .header("content-type", "image/jpeg")
    .body(bytes)
    .send()
    .await
    .unwrap()
}

pub(super) fn sha_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
