//! A form from a page older than a change is refused in words (409 `version_mismatch`) and
//! writes nothing: the remedy form carries the recommendation's version, the bright spot's
//! review form the spot's (they sent none: the later writer silently won).

use reqwest::Method;
use serde_json::{json, Value};

use super::client::WebClient;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::self_assessment::unit_user;
use crate::world::World;

both_engines!(a_stale_form_changes_nothing);

/// The value of the hidden input `name` in `html`.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = html
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in the form: {html}"));
    let rest = &html[at + key.len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

const STALE: &str = "người khác sửa";

async fn a_stale_form_changes_nothing(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let (_, recs) = crate::recommendations_followup::approved(
        &app,
        (&w.insp1, &w.lead1),
        &w.round,
        &w.unit_a,
        &[json!({"content": "Kiện toàn tổ dân vận"})],
    )
    .await;
    let unit_api = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let mut unit = WebClient::sign_in(&app, "donvi.a", "pw-donvi.a-123").await;
    let page_path = format!("/kien-nghi/{}", recs[0]);
    let (_, page) = unit.get(&page_path).await;
    let (version, id) = (hidden(&page, "version"), hidden(&page, "id"));
    // The lead records a remedy meanwhile, through the API.
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/recommendations/{}/remedies", recs[0]),
            &w.lead1,
        )
        .json(&json!({"id": uuid::Uuid::new_v4().to_string(), "note": "Đoàn ghi nhận", "follow_up": "done"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let form = [
        ("id", id.as_str()),
        ("version", version.as_str()),
        ("note", "Ghi từ trang cũ"),
        ("follow_up", "in_progress"),
    ];
    let res = unit.post(&format!("{page_path}/khac-phuc"), &form).await;
    let (_, page) = unit.follow(res).await;
    assert!(page.contains(STALE), "{page}");
    assert!(!page.contains("Ghi từ trang cũ"), "nothing written");
    // Read again, the same form goes through.
    let (_, page) = unit.get(&page_path).await;
    let fresh = hidden(&page, "version");
    let form = [
        ("id", id.as_str()),
        ("version", fresh.as_str()),
        ("note", "Ghi từ trang mới"),
        ("follow_up", "in_progress"),
    ];
    let res = unit.post(&format!("{page_path}/khac-phuc"), &form).await;
    let (_, page) = unit.follow(res).await;
    assert!(page.contains("Ghi từ trang mới"), "{page}");

    // A bright spot the lead evaluates from a page older than the unit's edit.
    let spot = uuid::Uuid::new_v4().to_string();
    let res = app
        .authed(Method::POST, "/api/v1/bright-spots", &unit_api)
        .json(&json!({"id": spot, "name": "Một cửa thân thiện", "field": "Cải cách hành chính"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let mut lead = WebClient::world_user(&app, "lead1").await;
    let spot_path = format!("/diem-sang/{spot}");
    let (_, page) = lead.get(&spot_path).await;
    let (version, review_id) = (hidden(&page, "version"), hidden(&page, "id"));
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/bright-spots/{spot}"),
            &unit_api,
        )
        .json(&json!({"description": "Sửa sau khi đoàn mở trang"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let form = [
        ("id", review_id.as_str()),
        ("version", version.as_str()),
        ("round_id", w.round.as_str()),
        ("result", "recognised"),
        ("comment", "Đạt"),
    ];
    let res = lead.post(&format!("{spot_path}/danh-gia"), &form).await;
    let (_, page) = lead.follow(res).await;
    assert!(page.contains(STALE), "{page}");
    let v: Value = app
        .get_json(&format!("/api/v1/bright-spots/{spot}"), &w.lead1)
        .await;
    assert_eq!(v["status"], "registered", "not evaluated: {v}");
}
