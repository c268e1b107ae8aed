//! A form sent twice (a double click, a browser's resend after a dropped answer) makes one
//! record, not two: the unit report form carries its submission's id.

use serde_json::Value;

use super::client::WebClient;
use super::stale::hidden;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::self_assessment::unit_user;
use crate::unit_reports::{pdf, post_file};
use crate::world::World;

both_engines!(a_report_form_sent_twice_is_one_submission);

async fn a_report_form_sent_twice_is_one_submission(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let mut unit = WebClient::world_user(&app, "donvi.a").await;
    let (_, html) = unit.get("/bao-cao").await;
    let ma = hidden(&html, "ma");
    let year = hidden(&html, "nam");
    let csrf = unit.csrf.clone();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("nam", year.as_str()),
        ("loai", "programme"),
        ("ma", ma.as_str()),
    ];
    for _ in 0..2 {
        let res = post_file(&unit, &fields, "Chương trình.pdf", &pdf("một lần")).await;
        let (_, html) = unit.follow(res).await;
        assert!(html.contains("Đã nộp"), "{html}");
    }
    let all: Value = app
        .get_json(
            &format!("/api/v1/unit-reports?year={year}&unit_id={}", w.unit_a),
            &w.admin,
        )
        .await;
    let programme = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "programme")
        .unwrap();
    assert_eq!(
        programme["submissions"].as_array().unwrap().len(),
        1,
        "{all}"
    );
    assert_eq!(programme["submissions"][0]["id"], ma.as_str());
    // The page after it carries a new id: the next document is a new submission.
    let (_, html) = unit.get("/bao-cao").await;
    assert_ne!(hidden(&html, "ma"), ma);
    // An id that is not a UUID is refused in words, and nothing is recorded.
    let bad = [
        ("_csrf", csrf.as_str()),
        ("nam", year.as_str()),
        ("loai", "year"),
        ("ma", "không-phải-uuid"),
    ];
    let res = post_file(&unit, &bad, "Năm.pdf", &pdf("năm")).await;
    let (_, html) = unit.follow(res).await;
    assert!(html.contains("UUID"), "{html}");
}
