//! The unit callers: a representative of team 2's unit C (with a submitted self-assessment
//! carrying team 2's marker) and one of a unit in no round. Outside their own self-assessment
//! every route must refuse them (403), and they must never see another unit's.

use reqwest::Method;
use serde_json::json;

use super::plant::send_ok;
use super::world::id_of;
use crate::helpers::TestApp;
use crate::world::World;

/// The unit's own routes: only a unit's representative may call them.
pub(crate) const UNIT_OWN: [&str; 4] = [
    "GET /api/v1/self-assessments",
    "GET /api/v1/self-assessments/{id}",
    "PUT /api/v1/self-assessments/{id}/answers/{item_id}",
    "POST /api/v1/self-assessments/{id}/submit",
];

/// What else a unit's representative may call: who they are.
pub(crate) const UNIT_ALSO: [&str; 4] = [
    "GET /api/v1/me",
    // Their unit's reports (tests/api/unit_reports.rs checks who reaches which).
    "GET /api/v1/unit-reports",
    "PUT /api/v1/unit-reports/{year}/{kind}/files/{id}",
    "GET /api/v1/attachments/{id}",
];

pub(crate) const MARKED_KIND: &str = "self-assessment";

async fn unit_user(app: &TestApp, admin: &str, username: &str, unit: &str) -> String {
    let body = json!({"username": username, "full_name": "Đại diện đơn vị", "role": "unit",
                      "unit_id": unit, "password": format!("pw-{username}-123")});
    send_ok(app, Method::POST, "/api/v1/users", admin, body).await;
    let t = app.login(username, &format!("pw-{username}-123")).await;
    t["access_token"].as_str().unwrap().to_owned()
}

/// Unit C's representative (`donvi2`), whose submitted self-assessment of the shared round
/// carries `marker`, and the representative of a unit in no round (`donvix`).
pub(crate) async fn unit_callers(app: &TestApp, w: &World, marker: &str) -> (String, String) {
    let unit2 = unit_user(app, &w.admin, "donvi2", &w.unit_c).await;
    let base = format!("/api/v1/self-assessments/{}", w.round);
    for (item, value) in [
        ("a", json!("no")),
        ("b", json!("full")),
        ("c", json!(format!("{marker}-{MARKED_KIND}"))),
    ] {
        let path = format!("{base}/answers/{item}");
        send_ok(app, Method::PUT, &path, &unit2, json!({"value": value})).await;
    }
    send_ok(
        app,
        Method::POST,
        &format!("{base}/submit"),
        &unit2,
        json!({}),
    )
    .await;
    let body = json!({"code": "XA-X", "name": "Xã Ngoài Đợt", "kind": "commune"});
    let lone = id_of(&send_ok(app, Method::POST, "/api/v1/units", &w.admin, body).await);
    let unitx = unit_user(app, &w.admin, "donvix", &lone).await;
    (unit2, unitx)
}

/// Unit C's programme, sent by its representative: the attachment the matrix downloads
/// (team 2's unit: team 1's people must not reach it).
pub(crate) async fn unit_report(app: &TestApp, unit2: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let year = chrono::Datelike::year(&chrono::Utc::now());
    let path = format!("/api/v1/unit-reports/{year}/programme/files/{id}");
    let res = app
        .authed(Method::PUT, &path, unit2)
        .body(crate::unit_reports::pdf("unit C"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "setup: unit C's report");
    id
}
