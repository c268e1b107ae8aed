//! The unit callers: a representative of team 2's unit C (with a submitted self-assessment
//! carrying team 2's marker) and one of a unit in no round. Outside their own self-assessment
//! every route must refuse them (403), and they must never see another unit's.

use reqwest::Method;
use serde_json::{json, Value};

use super::plan::Probe;
use super::plant::send_ok;
use super::run::Outcome;
use super::world::{id_of, Fixture};
use super::Caller;
use crate::helpers::TestApp;
use crate::world::World;

/// The unit's own routes: only a unit's representative may call them.
pub(crate) const UNIT_OWN: [&str; 5] = [
    "GET /api/v1/self-assessments",
    "GET /api/v1/self-assessments/{id}",
    "PUT /api/v1/self-assessments/{id}/answers/{item_id}",
    "POST /api/v1/self-assessments/{id}/submit",
    "PUT /api/v1/self-assessments/{id}/answers/{item_id}/files/{file_id}",
];

/// What else a unit's representative may call: who they are, their own unit's bright spots
/// (another unit's are 404 and must not leak: team 2's marked bright spot is unit B's), and
/// their unit's reports (tests/api/unit_reports.rs checks who reaches which), the files of
/// their bright spots and remedies (tests/api/owner_files/ checks who reaches which; the
/// matrix's uploads name an existing attachment with other bytes, so none is accepted), and
/// their own notifications (someone else's id is 404; team 2's data stays as it was).
pub(crate) const UNIT_ALSO: [&str; 13] = [
    "GET /api/v1/me",
    "GET /api/v1/notifications",
    "POST /api/v1/notifications/{id}/read",
    "POST /api/v1/notifications/read-all",
    "GET /api/v1/unit-reports",
    "PUT /api/v1/unit-reports/{year}/{kind}/files/{id}",
    "GET /api/v1/attachments/{id}",
    "GET /api/v1/bright-spots",
    "POST /api/v1/bright-spots",
    "GET /api/v1/bright-spots/{id}",
    "PATCH /api/v1/bright-spots/{id}",
    "PUT /api/v1/bright-spots/{id}/files/{file_id}",
    "PUT /api/v1/recommendations/{id}/remedies/{remedy_id}/files/{file_id}",
];

/// Their unit's recommendations, which they follow up themselves: unit C's representative
/// reads and writes unit C's (of team 2's approved inspection), and nothing else (404);
/// judged by [`follow_up_rule`].
pub(crate) const UNIT_FOLLOW_UP: [&str; 3] = [
    "GET /api/v1/recommendations",
    "GET /api/v1/recommendations/{id}",
    "POST /api/v1/recommendations/{id}/remedies",
];

/// The khắc phục note unit C's representative writes on unit C's recommendation at setup.
/// The matrix's remedy bodies send this id with the same content, so the unit's own write
/// is answered with it again (200) and changes nothing, while anyone who may not write there
/// must still be refused (a 2xx is an accepted write).
pub(crate) const UNIT2_REMEDY: &str = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";

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
    // Unit C's one official recommendation (team 2's approved inspection): its own note.
    let own = send_ok(
        app,
        Method::GET,
        "/api/v1/recommendations",
        &unit2,
        Value::Null,
    )
    .await;
    assert_eq!(
        own["total"], 1,
        "setup: unit C reads its recommendation: {own}"
    );
    let rec = own["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let body = json!({"id": UNIT2_REMEDY, "note": "probe", "follow_up": "done"});
    let path = format!("/api/v1/recommendations/{rec}/remedies");
    send_ok(app, Method::POST, &path, &unit2, body).await;
    let body = json!({"code": "XA-X", "name": "Xã Ngoài Đợt", "kind": "commune"});
    let lone = id_of(&send_ok(app, Method::POST, "/api/v1/units", &w.admin, body).await);
    let unitx = unit_user(app, &w.admin, "donvix", &lone).await;
    (unit2, unitx)
}

/// The statuses of the follow-up routes for the unit callers: unit C's own recommendation
/// (team 2's approved one of unit C) is read (200) and its note written again (200, the same
/// note); any other recommendation is not found (404); the list is always answered (200),
/// its content kept to the unit by the leak check.
pub(super) fn follow_up_rule(
    fx: &Fixture,
    caller: Caller,
    probe: &Probe,
    out: &Outcome,
) -> Option<String> {
    let op = probe.op.as_str();
    if !matches!(caller, Caller::Unit2 | Caller::UnitX) || !UNIT_FOLLOW_UP.contains(&op) {
        return None;
    }
    let own_rec = fx.two.recommendations.get(1)?;
    let own = caller == Caller::Unit2 && probe.url.contains(own_rec.as_str());
    let want = match op {
        "GET /api/v1/recommendations" => 200,
        _ if own => 200,
        _ => 404,
    };
    (out.status != want).then(|| {
        format!(
            "{}: a unit's representative must get {want} here (own unit's recommendation: \
             {own}); body: {}",
            out.status,
            out.excerpt()
        )
    })
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
