//! The biên bản record, recommendations and deleting photos in the inspectors' offline app
//! (`/thuc-dia/`), in Chromium (tests/browser/field_record.mjs): what the phone did with no
//! network reaches the server once it is back, and nothing of what it took back does (a
//! photo deleted halfway through its upload included).

use reqwest::Method;
use serde_json::{json, Value};

use super::field::{content_of, photo_file, template_with_photo};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

both_engines!(the_record_recommendations_and_deleted_photos_reach_the_server);

/// Runs the journey as insp1 with three photos: `photo` is the one kept.
fn journey(app: &TestApp, screenshots: Option<String>, photos: [&std::path::Path; 3]) -> Value {
    let fixture = json!({
        "base": app.base,
        "username": "insp1",
        "password": "pw-insp1-123",
        "photo": photos[0],
        "photo_b": photos[1],
        "photo_c": photos[2],
        "screenshots": screenshots,
    });
    super::browser::run_reporting("field_record.mjs", &fixture)
}

async fn status_of(app: &TestApp, token: &str, path: &str) -> u16 {
    app.authed(Method::GET, path, token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn the_record_recommendations_and_deleted_photos_reach_the_server(engine: Engine) {
    if super::browser::ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build_with_template(&app, template_with_photo()).await;
    let (kept, a) = photo_file(300_000);
    let (_, b) = photo_file(120_000);
    let (_, c) = photo_file(90_000);
    let report = journey(
        &app,
        super::browser::screenshots(engine),
        [a.path(), b.path(), c.path()],
    );
    let id = report["inspection"].as_str().expect("an inspection id");
    let insp: Value = app
        .get_json(&format!("/api/v1/inspections/{id}"), &w.lead1)
        .await;
    assert_eq!(insp["status"], "submitted", "{insp}");
    // The biên bản record, as typed on the phone (10/03/2026 8h30 in Việt Nam), stored in UTC.
    assert_eq!(insp["place"], "Hội trường UBND xã Nghi Lộc", "{insp}");
    assert_eq!(insp["held_at"], "2026-03-10T01:30:00Z", "{insp}");
    assert_eq!(
        insp["members"],
        json!([{"name": "Nguyễn Văn An", "title": "Trưởng đoàn"}, {"name": "Trần Thị Bình"}]),
        "{insp}"
    );
    assert_eq!(
        insp["attendees"],
        json!([{"name": "Lê Văn Cường", "title": "Chủ tịch UBND xã"}]),
        "{insp}"
    );
    assert_eq!(insp["strengths"], "Tiếp công dân đúng lịch");

    // Two recommendations: the one taken back on the phone never left it, the one sent
    // earlier carries the change made offline.
    let recs = insp["recommendations"].as_array().expect("recommendations");
    assert_eq!(recs.len(), 2, "{recs:?}");
    let by = |text: &str| {
        recs.iter()
            .find(|r| r["content"].as_str().is_some_and(|c| c.starts_with(text)))
    };
    let fixed = by("Kiến nghị đã sửa").expect("the change made offline");
    assert_eq!(fixed["content"], "Kiến nghị đã sửa khi không có mạng");
    assert_eq!(fixed["due_on"], "2026-09-30");
    assert_eq!(fixed["version"], 2);
    let r = by("Niêm yết").expect("the recommendation made offline");
    assert_eq!(
        r["content"],
        "Niêm yết công khai lịch tiếp công dân tại bộ phận một cửa"
    );
    assert_eq!(r["responsible_unit_id"], w.unit_a.as_str());
    assert_eq!(r["responsible"], "Văn phòng UBND xã");
    assert_eq!(r["due_on"], "2026-06-30");
    assert_eq!(r["follow_up"], "open");

    // The photo kept, byte for byte, and only it: B never reached the server, C was deleted
    // offline after its upload, D online halfway through it.
    let kept_id = report["kept"].as_str().expect("the kept photo");
    let evidence: Value = app
        .get_json(&format!("/api/v1/inspections/{id}/evidence"), &w.lead1)
        .await;
    let ids: Vec<&str> = evidence
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert_eq!(ids, [kept_id], "{evidence}");
    assert!(
        content_of(&app, &w.lead1, kept_id).await == kept,
        "the photo on the server is the file chosen, byte for byte"
    );
    for gone in ["dropped", "deleted", "stopped"] {
        let e = report[gone].as_str().expect("a photo id");
        assert_eq!(
            status_of(&app, &w.lead1, &format!("/api/v1/evidence/{e}")).await,
            404,
            "{gone}"
        );
    }
}
