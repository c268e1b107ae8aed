//! The inspection workflow over HTTP: every state, every refused transition, scoring from
//! answers, and scope (another team, a closed round, a viewer writing).

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::world::World;

both_engines!(
    full_review_cycle,
    answers_are_validated_and_scored,
    scope_is_enforced,
    idempotent_creation_and_one_per_unit
);

async fn body(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {v}");
    v
}

async fn start(app: &TestApp, token: &str, w: &World, unit: &str) -> Value {
    let res = app
        .authed(Method::POST, "/api/v1/inspections", token)
        .json(&json!({"round_id": w.round, "unit_id": unit}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

async fn answer(app: &TestApp, token: &str, id: &str, answers: Value) -> reqwest::Response {
    app.authed(
        Method::PATCH,
        &format!("/api/v1/inspections/{id}/answers"),
        token,
    )
    .json(&json!({"answers": answers}))
    .send()
    .await
    .unwrap()
}

async fn act(
    app: &TestApp,
    token: &str,
    id: &str,
    action: &str,
    reason: Option<&str>,
) -> reqwest::Response {
    let mut req = app.authed(
        Method::POST,
        &format!("/api/v1/inspections/{id}/{action}"),
        token,
    );
    if let Some(r) = reason {
        req = req.json(&json!({"reason": r}));
    }
    req.send().await.unwrap()
}

async fn full_review_cycle(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = start(&app, &w.insp1, &w, &w.unit_a).await;
    let id = insp["id"].as_str().unwrap();
    assert_eq!(insp["status"], "draft");
    assert_eq!(
        insp["template_version_id"], w.version,
        "pinned to the round's version"
    );
    assert_eq!(insp["team_id"], w.team1);

    // Submitting with required items missing says what is missing.
    let missing = assert_problem(
        act(&app, &w.insp1, id, "submit", None).await,
        422,
        "validation_failed",
    )
    .await;
    let pointers: Vec<&str> = missing["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        ["/answers/a", "/answers/b", "/strengths", "/shortcomings"]
    );

    body(
        answer(
            &app,
            &w.insp1,
            id,
            json!({"a": {"value": "yes"}, "b": {"value": "full"}, "d": {"value": 5}}),
        )
        .await,
    )
    .await;
    let findings = app
        .authed(Method::PATCH, &format!("/api/v1/inspections/{id}"), &w.insp1)
        .json(&json!({"strengths": "Triển khai kịp thời.", "shortcomings": "Chưa có điểm sáng.", "causes": "Thiếu cán bộ."}))
        .send()
        .await
        .unwrap();
    assert_eq!(body(findings).await["shortcomings"], "Chưa có điểm sáng.");
    let rec = app
        .authed(Method::POST, &format!("/api/v1/inspections/{id}/recommendations"), &w.insp1)
        .json(&json!({"content": "Xây dựng điểm sáng dân vận chính quyền", "responsible_unit_id": w.unit_a, "due_on": "2027-03-31"}))
        .send()
        .await
        .unwrap();
    assert_eq!(rec.status(), 201);
    let rec: Value = rec.json().await.unwrap();
    assert_eq!(rec["follow_up"], "open");
    let comment = app
        .authed(
            Method::POST,
            &format!("/api/v1/inspections/{id}/comments"),
            &w.lead1,
        )
        .json(&json!({"item_id": "b", "body": "Kiểm tra lại sổ tiếp công dân"}))
        .send()
        .await
        .unwrap();
    assert_eq!(comment.status(), 201);

    let submitted = body(act(&app, &w.insp1, id, "submit", None).await).await;
    assert_eq!(submitted["status"], "submitted");
    assert_problem(
        answer(&app, &w.insp1, id, json!({"d": {"value": 4}})).await,
        409,
        "inspection_submitted",
    )
    .await;
    assert_problem(
        act(&app, &w.insp1, id, "approve", None).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        act(&app, &w.insp1, id, "return", Some("x")).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        act(&app, &w.lead2, id, "approve", None).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        act(&app, &w.lead1, id, "submit", None).await,
        409,
        "invalid_transition",
    )
    .await;
    let no_reason = assert_problem(
        act(&app, &w.lead1, id, "return", Some("  ")).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(no_reason["errors"][0]["pointer"], "/reason");

    let returned = body(
        act(
            &app,
            &w.lead1,
            id,
            "return",
            Some("Bổ sung đánh giá phần 2"),
        )
        .await,
    )
    .await;
    assert_eq!(returned["status"], "returned");
    assert_eq!(returned["return_reason"], "Bổ sung đánh giá phần 2");
    body(
        answer(
            &app,
            &w.insp1,
            id,
            json!({"d": {"value": 4}, "f": {"na": true}}),
        )
        .await,
    )
    .await;
    body(act(&app, &w.insp1, id, "submit", None).await).await;
    let approved = body(act(&app, &w.lead1, id, "approve", None).await).await;
    assert_eq!(approved["status"], "approved");
    assert!(approved["return_reason"].is_null());
    let events: Vec<(String, String)> = approved["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from_status"].as_str().unwrap().to_owned(),
                e["to_status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let pairs = [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "approved"),
    ];
    assert_eq!(events, pairs.map(|(a, b)| (a.to_owned(), b.to_owned())));
    assert_eq!(approved["events"][1]["reason"], "Bổ sung đánh giá phần 2");

    // Approved is read-only, for everyone, by every route.
    assert_problem(
        answer(&app, &w.insp1, id, json!({"d": {"value": 1}})).await,
        409,
        "inspection_read_only",
    )
    .await;
    assert_problem(
        answer(&app, &w.admin, id, json!({"d": {"value": 1}})).await,
        409,
        "inspection_read_only",
    )
    .await;
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{id}"),
            &w.lead1,
        )
        .json(&json!({"causes": "x"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "inspection_read_only").await;
    assert_problem(
        act(&app, &w.lead1, id, "return", Some("x")).await,
        409,
        "invalid_transition",
    )
    .await;
    // The follow-up of a recommendation goes on after approval, by the lead, not an inspector.
    let rid = rec["id"].as_str().unwrap();
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/recommendations/{rid}"),
            &w.insp1,
        )
        .json(&json!({"follow_up": "done"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/recommendations/{rid}"),
            &w.lead1,
        )
        .json(&json!({"follow_up": "in_progress"}))
        .send()
        .await
        .unwrap();
    assert_eq!(body(res).await["follow_up"], "in_progress");
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/recommendations/{rid}"),
            &w.lead1,
        )
        .json(&json!({"content": "Sửa nội dung"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "inspection_read_only").await;

    // Every transition is in the audit log.
    let log: Vec<Value> = app
        .get_json(
            &format!("/api/v1/audit?entity=inspection&entity_id={id}"),
            &w.admin,
        )
        .await;
    assert_eq!(
        log.iter().filter(|e| e["action"] == "transition").count(),
        4
    );
}

async fn answers_are_validated_and_scored(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = start(&app, &w.insp1, &w, &w.unit_a).await;
    let id = insp["id"].as_str().unwrap();
    assert!(insp["score"].as_f64().unwrap_or(0.0) == 0.0);

    let bad = answer(&app, &w.insp1, id, json!({"a": {"value": true}, "b": {"value": "maybe"}, "c": {"value": "hidden"}, "d": {"value": 9}, "e": {"value": 1}, "zz": {"value": 1}, "a2": {"na": true}})).await;
    let problem = assert_problem(bad, 422, "validation_failed").await;
    let mut faults: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    faults.sort();
    assert_eq!(
        faults,
        [
            ("/answers/a", "wrong_type"),
            ("/answers/a2", "unknown_item"),
            ("/answers/b", "unknown_option"),
            ("/answers/c", "hidden_item"),
            ("/answers/d", "out_of_range"),
            ("/answers/zz", "unknown_item")
        ]
        .map(|(p, c)| (p.to_owned(), c.to_owned()))
    );
    let after: Value = app
        .get_json(&format!("/api/v1/inspections/{id}"), &w.insp1)
        .await;
    assert!(
        after["answers"].as_object().unwrap().is_empty(),
        "a refused batch writes nothing"
    );
    assert_eq!(after["version"], insp["version"]);

    // a = no → c shows (and is required at submission); b part; d = 3; f N/A.
    // s1 (weight 2): a 0/10 + b 5/10 = 0.25; s2: d = 20·(2/4) = 10/20, f N/A → 0.5.
    // score = 100 · (2·0.25 + 0.5) / 3 = 33.33 → Yếu; a is critical and failed.
    let v = body(answer(&app, &w.insp1, id, json!({"a": {"value": "no"}, "b": {"value": "part"}, "c": {"value": "Chưa xây dựng"}, "d": {"value": 3}, "f": {"na": true}, "e": {"value": 12}})).await).await;
    assert_eq!(v["score"], 33.33);
    assert_eq!(v["band"], "yeu");
    assert_eq!(v["score_report"]["critical_failed"], json!(["a"]));
    assert_eq!(v["answers"]["f"]["na"], true);
    assert_eq!(v["answers"]["e"]["value"], 12);

    // a = yes hides c; everything full except d = 5: s1 = 20/20 → 1; s2 = 20/20 → 1 → 100, Tốt.
    let v = body(
        answer(
            &app,
            &w.insp1,
            id,
            json!({"a": {"value": "yes"}, "b": {"value": "full"}, "d": {"value": 5}}),
        )
        .await,
    )
    .await;
    assert_eq!(v["score"], 100.0);
    assert_eq!(v["band"], "tot");
    let c_status = v["score_report"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_id"] == "c")
        .unwrap()["status"]
        .clone();
    assert_eq!(c_status, "hidden");
    // Clearing an answer.
    let v = body(answer(&app, &w.insp1, id, json!({"e": {"value": null}})).await).await;
    assert!(v["answers"].get("e").is_none());
    // A stale version is refused.
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{id}/answers"),
            &w.insp1,
        )
        .json(&json!({"answers": {"d": {"value": 1}}, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "version_mismatch").await;
}

async fn scope_is_enforced(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = start(&app, &w.insp1, &w, &w.unit_a).await;
    let b = start(&app, &w.insp2, &w, &w.unit_b).await;
    let (ida, idb) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());

    // Another team's inspection: not found, not even its existence.
    assert_problem(
        app.authed(Method::GET, &format!("/api/v1/inspections/{idb}"), &w.insp1)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
    assert_problem(
        answer(&app, &w.insp1, idb, json!({"a": {"value": "yes"}})).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.authed(
            Method::GET,
            &format!("/api/v1/inspections/{idb}/comments"),
            &w.insp1,
        )
        .send()
        .await
        .unwrap(),
        404,
        "not_found",
    )
    .await;
    // Nor can an inspector start one for a unit of another team.
    let res = app
        .authed(Method::POST, "/api/v1/inspections", &w.insp1)
        .json(&json!({"round_id": w.round, "unit_id": w.unit_c}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    let list: Value = app.get_json("/api/v1/inspections", &w.insp1).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], ida);
    let all: Value = app
        .get_json(
            &format!("/api/v1/inspections?round_id={}", w.round),
            &w.viewer,
        )
        .await;
    assert_eq!(all["total"], 2, "a viewer reads everything");
    let by_team: Value = app
        .get_json(
            &format!("/api/v1/inspections?team_id={}", w.team2),
            &w.admin,
        )
        .await;
    assert_eq!(by_team["total"], 1);

    // A viewer reads but never writes.
    assert_eq!(
        app.authed(
            Method::GET,
            &format!("/api/v1/inspections/{ida}"),
            &w.viewer
        )
        .send()
        .await
        .unwrap()
        .status(),
        200
    );
    assert_problem(
        answer(&app, &w.viewer, ida, json!({"a": {"value": "yes"}})).await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/inspections/{ida}/comments"),
            &w.viewer,
        )
        .json(&json!({"body": "x"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    assert_problem(
        act(&app, &w.viewer, ida, "submit", None).await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{ida}"),
            &w.viewer,
        )
        .json(&json!({"causes": "x"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/inspections/{ida}/recommendations"),
            &w.viewer,
        )
        .json(&json!({"content": "x"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    assert_problem(
        act(&app, &w.viewer, ida, "approve", None).await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .authed(Method::POST, "/api/v1/inspections", &w.viewer)
        .json(&json!({"round_id": w.round, "unit_id": w.unit_c}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;

    // Leads see their own team only.
    assert_problem(
        app.authed(Method::GET, &format!("/api/v1/inspections/{ida}"), &w.lead2)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;

    // A closed round disappears for inspectors, and is read-only for leads.
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/rounds/{}", w.round),
            &w.admin,
        )
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_problem(
        app.authed(Method::GET, &format!("/api/v1/inspections/{ida}"), &w.insp1)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
    let rounds: Value = app.get_json("/api/v1/rounds", &w.insp1).await;
    assert_eq!(rounds.as_array().unwrap().len(), 0);
    assert_eq!(
        app.authed(Method::GET, &format!("/api/v1/inspections/{ida}"), &w.lead1)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_problem(
        answer(&app, &w.lead1, ida, json!({"a": {"value": "yes"}})).await,
        409,
        "round_not_open",
    )
    .await;

    // Round and assignment management is for administrators only.
    for t in [&w.lead1, &w.insp1, &w.viewer] {
        let res = app
            .authed(Method::PATCH, &format!("/api/v1/rounds/{}", w.round), t)
            .json(&json!({"status": "open"}))
            .send()
            .await
            .unwrap();
        assert_problem(res, 403, "forbidden").await;
        let res = app
            .authed(
                Method::PUT,
                &format!("/api/v1/rounds/{}/assignments", w.round),
                t,
            )
            .json(&json!({"assignments": []}))
            .send()
            .await
            .unwrap();
        assert_problem(res, 403, "forbidden").await;
        let res = app.authed(Method::POST, "/api/v1/rounds", t).json(&json!({"name": "x", "kind": "year", "template_version_id": w.version, "starts_on": "2026-01-01", "ends_on": "2026-02-01", "due_on": "2026-03-01"})).send().await.unwrap();
        assert_problem(res, 403, "forbidden").await;
        let res = app
            .authed(
                Method::DELETE,
                &format!("/api/v1/rounds/{}/assignments/{}", w.round, w.unit_c),
                t,
            )
            .send()
            .await
            .unwrap();
        assert_problem(res, 403, "forbidden").await;
    }
}

async fn idempotent_creation_and_one_per_unit(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let id = uuid::Uuid::new_v4().to_string();
    let make = |token: &str, id: &str, unit: &str| {
        app.authed(Method::POST, "/api/v1/inspections", token)
            .json(&json!({"id": id, "round_id": w.round, "unit_id": unit}))
            .send()
    };
    assert_eq!(make(&w.insp2, &id, &w.unit_c).await.unwrap().status(), 201);
    let again = make(&w.insp2, &id, &w.unit_c).await.unwrap();
    assert_eq!(again.status(), 200, "a retried creation returns the first");
    assert_eq!(again.json::<Value>().await.unwrap()["id"], id);
    let other = uuid::Uuid::new_v4().to_string();
    assert_problem(
        make(&w.lead2, &other, &w.unit_c).await.unwrap(),
        409,
        "inspection_exists",
    )
    .await;
    assert_problem(
        make(&w.insp2, &id, &w.unit_b).await.unwrap(),
        409,
        "id_taken",
    )
    .await;
    let res = app
        .authed(Method::POST, "/api/v1/inspections", &w.insp2)
        .json(&json!({"id": "not-a-uuid", "round_id": w.round, "unit_id": w.unit_b}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 422, "validation_failed").await;
    // A unit with an inspection cannot be unassigned; a submitted one cannot move.
    let res = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/rounds/{}/assignments/{}", w.round, w.unit_c),
            &w.admin,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "assignment_locked").await;
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/rounds/{}/assignments", w.round),
            &w.admin,
        )
        .json(&json!({"assignments": [{"unit_id": w.unit_c, "team_id": w.team1}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "a draft moves with its unit");
    let moved: Value = app
        .get_json(&format!("/api/v1/inspections/{id}"), &w.insp1)
        .await;
    assert_eq!(moved["team_id"], w.team1);
    let _ = (&w.template, &w.unit_b);
}
