//! The leads' conclusions and report recommendations: who may read and write them.

use kiemtra::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};

both_engines!(who_may_read_and_write_the_compilation);

async fn who_may_read_and_write_the_compilation(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let c = compiled(&app).await;
    let w = &c.w;
    let round = &w.round;
    let (_, outsider) = app.token_for("insp9", Role::Inspector).await;
    let (_, lone_lead) = app.token_for("lead9", Role::Lead).await;

    // Reading: the round's people see their teams; nobody else learns the round exists.
    for path in ["summary", "progress", "exports/csv", "exports/chart-svg"] {
        let url = format!("/api/v1/rounds/{round}/{path}");
        for token in [&outsider, &lone_lead] {
            assert_problem(
                app.authed(Method::GET, &url, token).send().await.unwrap(),
                404,
                "not_found",
            )
            .await;
        }
        let res = app
            .authed(Method::GET, &url, &w.viewer)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "viewer reads {path}");
    }
    let mine: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/summary"), &w.insp1)
        .await;
    let units: Vec<&str> = mine["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        units,
        [w.unit_a.as_str()],
        "an inspector sees their team's units only"
    );

    // The conclusion: the team's lead or an administrator writes it.
    let conclusion = format!("/api/v1/rounds/{round}/teams/{}/conclusion", w.team1);
    let put = |token: &str, body: Value| {
        app.authed(Method::PUT, &conclusion, token)
            .json(&body)
            .send()
    };
    let text =
        json!({"body": "Đoàn 1 kết luận: đơn vị thực hiện tốt công tác dân vận chính quyền."});
    assert_problem(
        put(&w.viewer, text.clone()).await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    assert_problem(put(&w.insp1, text.clone()).await.unwrap(), 403, "forbidden").await;
    assert_problem(put(&w.lead2, text.clone()).await.unwrap(), 404, "not_found").await;
    assert_problem(
        put(&outsider, text.clone()).await.unwrap(),
        404,
        "not_found",
    )
    .await;
    assert_problem(
        put(&w.lead1, json!({"body": "  "})).await.unwrap(),
        422,
        "validation_failed",
    )
    .await;
    let first = ok(put(&w.lead1, text.clone()).await.unwrap()).await;
    assert_eq!(first["version"], 1);
    assert_problem(
        put(&w.lead1, json!({"body": "Sửa", "version": 5}))
            .await
            .unwrap(),
        409,
        "version_mismatch",
    )
    .await;
    let second = ok(
        put(&w.admin, json!({"body": "Kết luận đã sửa.", "version": 1}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(second["version"], 2);

    // Report recommendations stand in for the inspectors' ones, which stay as recorded.
    let add = format!(
        "/api/v1/rounds/{round}/teams/{}/report-recommendations",
        w.team1
    );
    let row = json!({"content": "Trong quý I/2027, xây dựng điểm sáng dân vận chính quyền", "replaces": [c.rec_a], "grouping": "Điểm sáng", "due_on": "2027-03-31"});
    assert_problem(
        post(&app, &w.viewer, &add, row.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        post(&app, &w.insp1, &add, row.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        post(&app, &w.lead2, &add, row.clone()).await,
        404,
        "not_found",
    )
    .await;
    let wrong = assert_problem(
        post(
            &app,
            &w.lead1,
            &add,
            json!({"content": "X", "replaces": [c.rec_b]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(wrong["errors"][0]["code"], "unknown_recommendation");
    let created = ok(post(&app, &w.lead1, &add, row).await).await;
    let rid = created["id"].as_str().unwrap().to_owned();
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/summary"), &w.viewer)
        .await;
    let recs = s["recommendations"].as_array().unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["id"], rid.as_str());
    assert_eq!(recs[0]["source"], "lead");
    assert_eq!(recs[0]["unit_name"], "Xã Nghi Lộc");
    assert_eq!(s["conclusions"][0]["body"], "Kết luận đã sửa.");
    let inspection: Value = app
        .get_json(&format!("/api/v1/inspections/{}", c.a), &w.lead1)
        .await;
    assert_eq!(
        inspection["recommendations"][0]["content"], "Xây dựng điểm sáng dân vận chính quyền",
        "the inspectors' record is unchanged"
    );

    let one = format!("/api/v1/report-recommendations/{rid}");
    let patch =
        |token: &str, body: Value| app.authed(Method::PATCH, &one, token).json(&body).send();
    assert_problem(
        patch(&w.lead2, json!({"content": "Y"})).await.unwrap(),
        404,
        "not_found",
    )
    .await;
    assert_problem(
        patch(&w.viewer, json!({"content": "Y"})).await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    let edited = ok(patch(
        &w.lead1,
        json!({"content": "Xây dựng 01 điểm sáng", "grouping": null, "version": 1}),
    )
    .await
    .unwrap())
    .await;
    assert_eq!(edited["version"], 2);
    assert!(edited["grouping"].is_null());
    assert_problem(
        app.authed(Method::DELETE, &one, &w.viewer)
            .send()
            .await
            .unwrap(),
        403,
        "forbidden",
    )
    .await;
    let res = app
        .authed(Method::DELETE, &one, &w.lead1)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/summary"), &w.viewer)
        .await;
    assert_eq!(
        s["recommendations"][0]["id"],
        c.rec_a.as_str(),
        "the original shows again"
    );

    // Every change is in the audit log.
    for entity in ["report_conclusion", "report_recommendation"] {
        let log: Value = app
            .get_json(&format!("/api/v1/audit?entity={entity}"), &w.admin)
            .await;
        let actions: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        let expected: &[&str] = if entity == "report_conclusion" {
            &["create", "update"]
        } else {
            &["create", "update", "delete"]
        };
        assert_eq!(actions, expected, "{entity}");
    }
}
