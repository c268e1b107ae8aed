//! `GET /rounds/{id}/missing`: what a round still owes, unit by unit, in each caller's scope.

use serde_json::Value;

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::reports::compiled;

both_engines!(the_round_lists_what_each_unit_still_owes);

fn listed(v: &Value) -> Vec<(String, Vec<String>)> {
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let reasons = u["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_owned())
                .collect();
            (u["unit_id"].as_str().unwrap().to_owned(), reasons)
        })
        .collect()
}

async fn the_round_lists_what_each_unit_still_owes(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    // A approved (team 1), B submitted and C not started (team 2); the round was due on
    // 30/11/2026, so B waits for approval past the deadline.
    let c = compiled(&app).await;
    let w = &c.w;
    let path = format!("/api/v1/rounds/{}/missing", w.round);
    let all: Value = app.get_json(&path, &w.viewer).await;
    assert_eq!(all["due_on"], "2026-11-30");
    assert_eq!(all["past_due"], true, "{all}");
    assert_eq!(
        listed(&all),
        // The report's order: departments, then communes.
        [
            (w.unit_c.clone(), vec!["not_started".to_owned()]),
            (
                w.unit_b.clone(),
                vec!["awaiting_approval_past_due".to_owned()]
            ),
        ],
        "{all}"
    );
    let b = &all["units"][1];
    assert_eq!(b["inspection_id"], c.b.as_str());
    assert_eq!(b["reasons_vi"][0], "Chờ duyệt, đã quá hạn");

    // Each caller sees their own teams only: team 1 owes nothing, and never learns of B or C.
    let mine: Value = app.get_json(&path, &w.lead1).await;
    assert!(listed(&mine).is_empty(), "{mine}");
    assert!(!mine.to_string().contains(&w.unit_b));
    let theirs: Value = app.get_json(&path, &w.lead2).await;
    assert_eq!(listed(&theirs).len(), 2);

    // Approving B takes it off the list.
    crate::reports::act(&app, &w.lead2, &c.b, "approve").await;
    let after: Value = app.get_json(&path, &w.admin).await;
    assert_eq!(
        listed(&after),
        [(w.unit_c.clone(), vec!["not_started".to_owned()])]
    );

    // The web app's list is the same one, in each lead's scope.
    let mut lead2 = crate::web::client::WebClient::world_user(&app, "lead2").await;
    let (status, page) = lead2.get(&format!("/dot/{}/con-thieu", w.round)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Sở Tài chính") && page.contains("Chưa bắt đầu kiểm tra"),
        "{page}"
    );
    let mut lead1 = crate::web::client::WebClient::world_user(&app, "lead1").await;
    let (status, page) = lead1.get(&format!("/dot/{}/con-thieu", w.round)).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("Sở Tài chính") && page.contains("Không còn đơn vị nào thiếu"),
        "{page}"
    );
}
