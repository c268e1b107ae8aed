//! `recommendation.update`: an inspector fixes a kiến nghị offline while the inspection is
//! being filled; a recommendation changed meanwhile is refused and the phone's values wait for
//! the lead as conflicts, which the lead can take; a wrong inspection or another team's
//! recommendation is not found and keeps nothing.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::sync::{mid, new_inspection, push};
use crate::world::World;

both_engines!(an_inspector_edits_a_recommendation_offline);

async fn conflicts_of(app: &TestApp, token: &str, insp: &str) -> Vec<Value> {
    app.get_json(&format!("/api/v1/conflicts?inspection_id={insp}"), token)
        .await
}

async fn an_inspector_edits_a_recommendation_offline(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = new_inspection(&app, &w.insp1, &w, &w.unit_a).await;
    let rec = uuid::Uuid::new_v4().to_string();
    let r = push(&app, &w.insp1, json!([
        {"mutation_id": mid(), "type": "recommendation.create", "id": rec, "inspection_id": insp, "content": "Niêm yết lịch tiếp dân"}
    ])).await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
    assert_eq!(r[0]["current"]["version"], 1);

    // A fix from the version the phone saw: applied, absent fields unchanged.
    let fix = json!({"mutation_id": mid(), "type": "recommendation.update", "id": rec,
        "inspection_id": insp, "base_version": 1, "content": "Niêm yết công khai lịch tiếp công dân",
        "due_on": "2026-06-30"});
    let r = push(&app, &w.insp1, json!([fix.clone()])).await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
    assert_eq!(
        r[0]["current"]["content"],
        "Niêm yết công khai lịch tiếp công dân"
    );
    assert_eq!(r[0]["current"]["due_on"], "2026-06-30");
    assert_eq!(r[0]["current"]["version"], 2);
    // Sent again (a retry): the same answer, nothing applied twice.
    let again = push(&app, &w.insp1, json!([fix])).await;
    assert_eq!(again[0]["status"], "applied");
    assert_eq!(again[0]["current"]["version"], 2);

    // The lead changes it on the web meanwhile; the phone's edit from version 2 is refused
    // and its values are kept for the lead, field by field.
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/recommendations/{rec}"),
            &w.lead1,
        )
        .json(&json!({"responsible": "Văn phòng UBND xã", "version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let stale = json!([{"mutation_id": mid(), "type": "recommendation.update", "id": rec,
        "inspection_id": insp, "base_version": 2, "content": "Bản của điện thoại", "responsible": "Công chức Văn phòng"}]);
    let r = push(&app, &w.insp1, stale).await;
    assert_eq!(r[0]["status"], "rejected", "{r:?}");
    assert_eq!(r[0]["reason"], "version_mismatch");
    assert_eq!(r[0]["current"]["responsible"], "Văn phòng UBND xã");
    assert_eq!(r[0]["conflict_ids"].as_array().map(Vec::len), Some(2));
    let kept = conflicts_of(&app, &w.lead1, &insp).await;
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept.iter().all(|k| k["entity"] == "recommendation"));
    let content = kept.iter().find(|k| k["field"] == "content").cloned();
    let content = content.unwrap_or_default();
    // The lead takes the phone's content: it becomes current through the normal rules.
    let res = app
        .authed(
            Method::POST,
            &format!(
                "/api/v1/conflicts/{}/resolve",
                content["id"].as_str().unwrap_or("")
            ),
            &w.lead1,
        )
        .json(&json!({"take": "device"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let d: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}"), &w.lead1)
        .await;
    let now = &d["recommendations"][0];
    assert_eq!(now["content"], "Bản của điện thoại", "{d}");
    assert_eq!(now["responsible"], "Văn phòng UBND xã");

    // Named under another inspection, or another team's: not found, nothing kept.
    let other = new_inspection(&app, &w.insp2, &w, &w.unit_b).await;
    let r = push(&app, &w.insp1, json!([
        {"mutation_id": mid(), "type": "recommendation.update", "id": rec, "inspection_id": other, "base_version": 4, "content": "x"}
    ])).await;
    assert_eq!(r[0]["reason"], "not_found", "{r:?}");
    assert!(conflicts_of(&app, &w.lead2, &other).await.is_empty());
    let r = push(&app, &w.insp2, json!([
        {"mutation_id": mid(), "type": "recommendation.update", "id": rec, "inspection_id": insp, "base_version": 4, "content": "x"}
    ])).await;
    assert_eq!(r[0]["reason"], "not_found", "{r:?}");
    assert_eq!(
        r[0].get("current"),
        None,
        "another team learns nothing: {r:?}"
    );
    // An unknown field is refused as any typo is.
    let res = app
        .authed(Method::POST, "/api/v1/sync/push", &w.insp1)
        .json(&json!({"schema_version": 1, "mutations": [
            {"mutation_id": mid(), "type": "recommendation.update", "id": rec, "inspection_id": insp, "base_version": 4, "contnet": "x"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
}
