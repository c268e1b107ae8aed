//! Evidence follows scope and roles; submission counts received photos.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::photos;

both_engines!(
    evidence_follows_scope_and_roles,
    submission_counts_received_photos,
);

async fn evidence_follows_scope_and_roles(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    let photo = photos::jpeg(320, 240, 5, false);
    assert_eq!(put(&app, &w.insp1, &id, photo.clone()).await.status(), 201);

    // An inspector of another team gets "not found", never the photo.
    for path in [
        format!("/api/v1/evidence/{id}"),
        format!("/api/v1/evidence/{id}/content"),
        format!("/api/v1/evidence/{id}/thumbnail"),
        format!("/api/v1/inspections/{ins}/evidence"),
    ] {
        assert_problem(
            app.authed(Method::GET, &path, &w.insp2)
                .send()
                .await
                .unwrap(),
            404,
            "not_found",
        )
        .await;
    }
    let other = new_evidence(&app, &w.insp1, &ins, "b").await;
    assert_problem(
        put(&app, &w.insp2, &other, photo.clone()).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(delete(&app, &w.insp2, &id).await, 404, "not_found").await;
    assert_problem(
        create_raw(&app, &w.insp2, &ins, json!({"item_id": "a"})).await,
        404,
        "not_found",
    )
    .await;
    // Viewers look but never write.
    assert_eq!(
        app.authed(
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.viewer
        )
        .send()
        .await
        .unwrap()
        .status(),
        200
    );
    assert_problem(
        put(&app, &w.viewer, &other, photo.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        create_raw(&app, &w.viewer, &ins, json!({"item_id": "a"})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(delete(&app, &w.viewer, &id).await, 403, "forbidden").await;
    // Unknown items are refused; a taken id for another item too.
    assert_problem(
        create_raw(&app, &w.insp1, &ins, json!({"item_id": "zz"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        create_raw(&app, &w.insp1, &ins, json!({"id": id, "item_id": "b"})).await,
        409,
        "id_taken",
    )
    .await;
    // Deleting while a draft works and syncs as a tombstone.
    let res = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/evidence/{other}"),
            &w.insp1,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_problem(
        app.authed(Method::GET, &format!("/api/v1/evidence/{other}"), &w.insp1)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
    let page: Value = app
        .get_json("/api/v1/sync/pull?limit=5000&schema_version=1", &w.insp1)
        .await;
    let changes = page["changes"].as_array().unwrap();
    // A first pull is the working set: the deleted record is simply not in it.
    assert!(
        !changes
            .iter()
            .any(|c| c["entity"] == "evidence" && c["id"] == other.as_str()),
        "{page}"
    );
    let live = changes
        .iter()
        .find(|c| c["entity"] == "evidence" && c["id"] == id.as_str())
        .expect("evidence pulled");
    assert_eq!(live["data"]["sha256"], sha_hex(&photo));
}

async fn submission_counts_received_photos(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    crate::findings::write_findings(&app, &w.insp1, &ins).await;
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{ins}/answers"),
            &w.insp1,
        )
        .json(&json!({"answers": {"a": {"value": "yes"}, "b": {"value": "full"}}}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let submit = || {
        app.authed(
            Method::POST,
            &format!("/api/v1/inspections/{ins}/submit"),
            &w.insp1,
        )
        .send()
    };
    let p = assert_problem(submit().await.unwrap(), 422, "validation_failed").await;
    assert!(p.to_string().contains("evidence_missing"), "{p}");
    // A photo recorded but not yet uploaded does not count.
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    let p = assert_problem(submit().await.unwrap(), 422, "validation_failed").await;
    assert!(p.to_string().contains("evidence_missing"), "{p}");
    // The round's progress reports it to the lead, too.
    let progress_path = format!("/api/v1/rounds/{}/progress", w.round);
    let progress: Value = app.get_json(&progress_path, &w.lead1).await;
    assert_eq!(progress["overall"]["missing_evidence"], 1, "{progress}");
    assert_eq!(
        put(&app, &w.insp1, &id, photos::jpeg(200, 150, 9, false))
            .await
            .status(),
        201
    );
    let progress: Value = app.get_json(&progress_path, &w.lead1).await;
    assert_eq!(progress["overall"]["missing_evidence"], 0, "{progress}");
    assert_eq!(submit().await.unwrap().status(), 200);
    // Submitted: its evidence can no longer be removed or added to.
    assert_problem(
        delete(&app, &w.insp1, &id).await,
        409,
        "inspection_submitted",
    )
    .await;
    assert_problem(
        create_raw(&app, &w.insp1, &ins, json!({"item_id": "a"})).await,
        409,
        "inspection_submitted",
    )
    .await;
}
