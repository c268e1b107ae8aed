//! A round's sync conflicts on `/dot/{id}/xung-dot`: two devices' pushes make one, the lead
//! sees both values in words beside the base with who, which device and when, and resolves
//! it with a value typed in words; other teams see nothing of it and viewers cannot act.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::client::WebClient;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::sync_trust::{mid, push};
use crate::world::World;

both_engines!(a_conflict_is_shown_and_resolved_with_a_new_value);

fn hlc(ms: i64, node: &str) -> String {
    format!("{ms:013}:0000:{node}")
}

/// insp1's second device, named as the person named it.
async fn tablet(app: &TestApp) -> String {
    let res = app
        .req(Method::POST, "/api/v1/auth/login")
        .json(&json!({"username": "insp1", "password": "pw-insp1-123", "device_id": "tablet-1", "device_name": "Máy tính bảng của Lan"}))
        .send()
        .await
        .unwrap();
    let v: Value = res.json().await.unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

/// An inspection of unit A where the phone set `b` to "full" and the tablet, from the same
/// base ("part"), to "none": one concurrent conflict. Returns (inspection, conflict).
async fn conflict(app: &TestApp, w: &World) -> (String, String) {
    let tablet = tablet(app).await;
    let insp = mid();
    let t = chrono::Utc::now().timestamp_millis() - 60_000;
    push(app, &w.insp1, json!([
        {"mutation_id": mid(), "type": "inspection.create", "id": insp, "round_id": w.round, "unit_id": w.unit_a},
        {"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "part", "hlc": hlc(t, "phone")}
    ])).await;
    push(app, &w.insp1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "full", "base_version": 1, "base_value": {"value": "part"}, "hlc": hlc(t + 10, "phone")}])).await;
    let r = push(app, &tablet, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "b", "value": "none", "base_version": 1, "base_value": {"value": "part"}, "hlc": hlc(t + 20, "tablet")}])).await;
    assert_eq!(r[0]["status"], "conflict", "{r:?}");
    let id = r[0]["conflict_ids"][0].as_str().unwrap().to_owned();
    (insp, id)
}

async fn a_conflict_is_shown_and_resolved_with_a_new_value(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let (insp, cid) = conflict(&app, &w).await;
    let path = format!("/dot/{}/xung-dot", w.round);

    let mut lead = WebClient::world_user(&app, "lead1").await;
    let (status, page) = lead.get(&path).await;
    assert_eq!(status, 200, "{page}");
    for want in [
        "Xã Nghi Lộc",
        "Tiếp công dân",
        "Một phần",
        "Đầy đủ",
        ">Không<",
        "Người dùng insp1",
        "Máy tính bảng của Lan",
        "Đang dùng",
        &format!("action=\"/xung-dot/{cid}\""),
        &format!("href=\"/phieu/{insp}\""),
        "Chọn một trong: Đầy đủ; Một phần; Không.",
    ] {
        assert!(page.contains(want), "missing {want:?} in {page}");
    }
    // The dashboard's link leads here, and the review page says approval waits for it.
    let (_, review) = lead.get(&format!("/phieu/{insp}")).await;
    assert!(review.contains("1 xung đột dữ liệu chưa xử lý"), "{review}");

    // Another team's lead sees the round, but none of team 1's conflicts.
    let mut lead2 = WebClient::world_user(&app, "lead2").await;
    let (status, other) = lead2.get(&path).await;
    assert_eq!(status, 200);
    assert!(other.contains("Không có xung đột nào cần xử lý"), "{other}");
    assert!(
        !other.contains("Xã Nghi Lộc") && !other.contains(&cid),
        "{other}"
    );
    let res = lead2
        .post(
            &format!("/xung-dot/{cid}"),
            &[("take", "server"), ("dot", &w.round)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The committee reads, and may not resolve.
    let mut viewer = WebClient::world_user(&app, "viewer1").await;
    let (status, seen) = viewer.get(&path).await;
    assert_eq!(status, 200);
    assert!(seen.contains("Tiếp công dân") && !seen.contains("action=\"/xung-dot/"));
    let res = viewer
        .post(
            &format!("/xung-dot/{cid}"),
            &[("take", "server"), ("dot", &w.round)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // A value that is no choice of the item is refused in words; nothing is resolved.
    let target = format!("/xung-dot/{cid}");
    let res = lead
        .post(
            &target,
            &[("take", "new"), ("value", "Nhiều"), ("dot", &w.round)],
        )
        .await;
    assert_eq!(res.headers()["location"], path.as_str());
    let (_, page) = lead.follow(res).await;
    assert!(
        page.contains("không phải một lựa chọn của mục này"),
        "{page}"
    );
    assert!(
        page.contains(&format!("action=\"/xung-dot/{cid}\"")),
        "still open"
    );
    let res = lead.post(&target, &[("dot", &w.round)]).await;
    let (_, page) = lead.follow(res).await;
    assert!(page.contains("Hãy chọn cách xử lý xung đột."), "{page}");

    // Resolved with a new value typed as the form shows it.
    let res = lead
        .post(
            &target,
            &[("take", "new"), ("value", "một phần"), ("dot", &w.round)],
        )
        .await;
    let (_, page) = lead.follow(res).await;
    assert!(page.contains("Đã xử lý xung đột."), "{page}");
    assert!(page.contains("Không có xung đột nào cần xử lý"), "{page}");
    assert!(
        page.contains("Đã xử lý gần đây") && page.contains("Nhập giá trị mới"),
        "{page}"
    );
    assert!(page.contains("Người dùng lead1"), "{page}");
    let v: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}"), &w.lead1)
        .await;
    assert_eq!(v["answers"]["b"]["value"], "part", "{v}");
    let rows: Vec<Value> = app
        .get_json(&format!("/api/v1/conflicts?inspection_id={insp}"), &w.lead1)
        .await;
    assert_eq!(rows[0]["status"], "resolved");
    assert_eq!(rows[0]["resolution"], "new");
}
