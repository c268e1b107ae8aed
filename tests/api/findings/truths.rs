//! Small truths: a return needs a reason, people by name, NFC text, rounds past their end.

use super::*;

both_engines!(
    a_return_without_a_reason_says_so_and_lists_name_their_people,
    a_round_past_its_end_warns_or_refuses
);

async fn a_return_without_a_reason_says_so_and_lists_name_their_people(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let id = start(&app, &w, &w.insp1, &w.unit_a).await;
    answer_required(&app, &w, &id).await;
    write_findings(&app, &w.insp1, &id).await;
    // Approving a draft: the message names the state in Vietnamese.
    let approve = app
        .authed(
            Method::POST,
            &format!("/api/v1/inspections/{id}/approve"),
            &w.lead1,
        )
        .header("accept-language", "vi")
        .send()
        .await
        .unwrap();
    let p = assert_problem(approve, 409, "invalid_transition").await;
    assert!(p["detail"].as_str().unwrap().contains("nháp"), "{p}");
    assert!(!p["detail"].as_str().unwrap().contains("draft"), "{p}");
    ok(send(
        &app,
        Method::POST,
        &format!("/api/v1/inspections/{id}/submit"),
        &w.insp1,
        Value::Null,
    )
    .await)
    .await;
    let ret = format!("/api/v1/inspections/{id}/return");
    let no_body = app
        .authed(Method::POST, &ret, &w.lead1)
        .send()
        .await
        .unwrap();
    let p = assert_problem(no_body, 422, "validation_failed").await;
    assert_eq!(
        codes(&p),
        [("/reason".to_owned(), "reason_required".to_owned())]
    );
    let p = assert_problem(
        send(&app, Method::POST, &ret, &w.lead1, json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        codes(&p),
        [("/reason".to_owned(), "reason_required".to_owned())]
    );
    let d = ok(send(
        &app,
        Method::POST,
        &ret,
        &w.lead1,
        json!({"reason": "Bổ sung phần 2"}),
    )
    .await)
    .await;
    let names: Vec<&str> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor_name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(
        names
            .iter()
            .all(|n| !n.is_empty() && uuid::Uuid::parse_str(n).is_err()),
        "{names:?}"
    );
    // Names typed decomposed are stored composed.
    let body =
        json!({"code": "P-NA", "name": format!("Phường {NFD}"), "kind": "ward", "address": NFD});
    let unit = ok(send(&app, Method::POST, "/api/v1/units", &w.admin, body).await).await;
    assert_eq!(unit["name"], "Phường Nghệ An");
    assert_eq!(unit["address"], "Nghệ An");
    let list: Value = app
        .get_json(
            &format!("/api/v1/inspections?round_id={}", w.round),
            &w.lead1,
        )
        .await;
    let item = &list["items"][0];
    assert_eq!(item["id"], id.as_str());
    assert!(
        item["unit_name"].as_str().is_some_and(|n| !n.is_empty()),
        "{item}"
    );
    assert!(item["unit_code"].as_str().is_some(), "{item}");
}

async fn a_round_past_its_end_warns_or_refuses(engine: Engine) {
    // The world's round ends on 20/11/2026: make sure that is past, whatever the clock says.
    if chrono::Utc::now().date_naive() <= chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let res = send(
        &app,
        Method::POST,
        "/api/v1/inspections",
        &w.insp1,
        json!({"round_id": w.round, "unit_id": w.unit_a}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let d: Value = res.json().await.unwrap();
    assert_eq!(d["warnings"][0]["code"], "round_ended");
    assert!(d["warnings"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("20/11/2026"));

    let Some(strict) = TestApp::spawn_with(engine, |s| {
        s.late_inspections = kiemtra::inspections::late::LateInspections::Refuse
    })
    .await
    else {
        return;
    };
    let w = World::build(&strict).await;
    let body = json!({"round_id": w.round, "unit_id": w.unit_a});
    assert_problem(
        send(&strict, Method::POST, "/api/v1/inspections", &w.insp1, body).await,
        409,
        "round_ended",
    )
    .await;
    let create = json!([{"mutation_id": mid(), "type": "inspection.create", "id": uuid::Uuid::new_v4().to_string(), "round_id": w.round, "unit_id": w.unit_a}]);
    let r = push(&strict, &w.insp1, create).await;
    assert_eq!(r[0]["status"], "rejected", "{r:?}");
    assert_eq!(r[0]["reason"], "round_ended", "{r:?}");
}
