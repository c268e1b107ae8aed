//! The bright spot pages `/diem-sang`: a unit registers one through the form (twice sent,
//! once made), the lead of the unit's team evaluates it in the round, another team's lead does
//! not reach it (docs/bright-spots.md).

use serde_json::Value;

use super::client::WebClient;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::self_assessment::unit_user;
use crate::world::World;

both_engines!(a_unit_registers_through_the_form_and_the_lead_evaluates_it);

/// The value of the hidden input `name` in `html`.
fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = html.find(&key).expect("hidden input") + key.len();
    let end = html[at..].find('"').unwrap();
    html[at..at + end].to_owned()
}

async fn a_unit_registers_through_the_form_and_the_lead_evaluates_it(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    unit_user(&app, &w.admin, "donvia", &w.unit_a).await;
    let mut unit = WebClient::world_user(&app, "donvia").await;
    let (status, form) = unit.get("/diem-sang/moi").await;
    assert_eq!(status, 200);
    let id = hidden(&form, "id");
    let fields = [
        ("id", id.as_str()),
        ("name", "Một cửa thân thiện"),
        ("field", "Cải cách hành chính"),
        ("registered_on", "2026-03-05"),
        ("description", "Mô tả"),
        ("evidence", "https://example.invalid/minh-chung"),
    ];
    let res = unit.post("/diem-sang", &fields).await;
    let (status, page) = unit.follow(res).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Đã đăng ký điểm sáng.") && page.contains("05/03/2026"),
        "{page}"
    );
    assert!(
        page.contains("Cập nhật điểm sáng"),
        "the unit edits its own"
    );
    // Sent twice: one bright spot.
    let res = unit.post("/diem-sang", &fields).await;
    assert_eq!(res.status(), 303);
    let all: Value = app.get_json("/api/v1/bright-spots", &w.admin).await;
    assert_eq!(all["total"], 1);
    let (_, list) = unit.get("/diem-sang").await;
    assert!(list.contains("bs-registered") && list.contains("Một cửa thân thiện"));

    // Another team's lead: not found. The unit's lead: the review form, in the round.
    let path = format!("/diem-sang/{id}");
    let mut lead2 = WebClient::world_user(&app, "lead2").await;
    assert_eq!(lead2.get(&path).await.0, 404);
    let mut lead1 = WebClient::world_user(&app, "lead1").await;
    let (status, page) = lead1.get(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Đánh giá điểm sáng") && !page.contains("Cập nhật điểm sáng"));
    let review_id = hidden(&page, "id");
    let review = [
        ("id", review_id.as_str()),
        ("round_id", w.round.as_str()),
        ("result", "recognised"),
        ("comment", "Đạt tiêu chí"),
    ];
    let res = lead1.post(&format!("{path}/danh-gia"), &review).await;
    let (_, page) = lead1.follow(res).await;
    assert!(
        page.contains("Đã ghi kết quả đánh giá") && page.contains("Đã công nhận"),
        "{page}"
    );
    // Decided: the unit's page no longer offers the edit form.
    let (_, page) = unit.get(&path).await;
    assert!(page.contains("Đạt tiêu chí") && !page.contains("Cập nhật điểm sáng"));
}
