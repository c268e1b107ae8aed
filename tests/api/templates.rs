//! Checklist templates over HTTP: create, draft, publish (immutable, hashed), versions,
//! validation faults with pointers, the default 2026 template, and who may do what.

use kiemtra::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::world::test_template;

both_engines!(
    versions_and_publishing,
    invalid_templates_are_refused_with_pointers,
    the_default_template_publishes,
    teams_and_rounds_rules
);

async fn versions_and_publishing(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let (_, insp) = app.token_for("insp1", Role::Inspector).await;
    let draft: Value = app
        .authed(Method::POST, "/api/v1/templates", &admin)
        .json(&test_template())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(draft["status"], "draft");
    assert!(draft["number"].is_null());
    let tid = draft["template_id"].as_str().unwrap().to_owned();
    // Drafts are for administrators only.
    let list: Vec<Value> = app.get_json("/api/v1/templates", &insp).await;
    assert!(list.is_empty());
    let res = app
        .authed(
            Method::GET,
            &format!(
                "/api/v1/template-versions/{}",
                draft["id"].as_str().unwrap()
            ),
            &insp,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;

    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/templates/{tid}/publish"),
            &admin,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let v1: Value = res.json().await.unwrap();
    assert_eq!(v1["number"], 1);
    assert_eq!(v1["content_hash"].as_str().unwrap().len(), 64);
    assert_problem(
        app.authed(
            Method::POST,
            &format!("/api/v1/templates/{tid}/publish"),
            &admin,
        )
        .send()
        .await
        .unwrap(),
        409,
        "no_draft",
    )
    .await;

    // A second version renames item `e` and names the id it replaces.
    let mut doc = test_template();
    doc["sections"][1]["items"][1]["id"] = json!("so_cuoc_doi_thoai");
    doc["sections"][1]["items"][1]["replaces"] = json!("e");
    doc["title"] = json!("Phiếu thử nghiệm (sửa đổi)");
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/templates/{tid}/draft"),
            &admin,
        )
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let v2: Value = app
        .authed(
            Method::POST,
            &format!("/api/v1/templates/{tid}/publish"),
            &admin,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v2["number"], 2);
    assert_ne!(v2["content_hash"], v1["content_hash"]);
    // Version 1 is unchanged.
    let again: Value = app
        .authed(
            Method::GET,
            &format!("/api/v1/template-versions/{}", v1["id"].as_str().unwrap()),
            &insp,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["content"], test_template());
    assert_eq!(again["content_hash"], v1["content_hash"]);

    let fam: Value = app
        .get_json(&format!("/api/v1/templates/{tid}"), &insp)
        .await;
    assert_eq!(fam["title"], "Phiếu thử nghiệm (sửa đổi)");
    assert_eq!(fam["versions"].as_array().unwrap().len(), 2);

    // `replaces` must name an item of the previous version; the code must stay.
    let mut bad = doc.clone();
    bad["sections"][1]["items"][1]["replaces"] = json!("khong_co");
    bad["sections"][1]["items"][1]["id"] = json!("moi");
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/templates/{tid}/draft"),
            &admin,
        )
        .json(&bad)
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["pointer"], "/sections/1/items/1/replaces");
    let mut other_code = doc.clone();
    other_code["code"] = json!("khac");
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/templates/{tid}/draft"),
            &admin,
        )
        .json(&other_code)
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(res, 422, "validation_failed").await["errors"][0]["pointer"],
        "/code"
    );
    assert_problem(
        app.authed(Method::POST, "/api/v1/templates", &admin)
            .json(&test_template())
            .send()
            .await
            .unwrap(),
        409,
        "template_code_taken",
    )
    .await;

    // Only administrators change templates.
    for req in [
        app.authed(Method::POST, "/api/v1/templates", &insp)
            .json(&json!({})),
        app.authed(
            Method::PUT,
            &format!("/api/v1/templates/{tid}/draft"),
            &insp,
        )
        .json(&doc),
        app.authed(
            Method::POST,
            &format!("/api/v1/templates/{tid}/publish"),
            &insp,
        ),
    ] {
        assert_problem(req.send().await.unwrap(), 403, "forbidden").await;
    }
}

async fn invalid_templates_are_refused_with_pointers(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let mut doc = test_template();
    doc["sections"][0]["items"][1]["id"] = json!("a");
    doc["sections"][0]["items"][2]["visible_if"]["equals"] = json!("co");
    doc["scoring"]["bands"][3]["min"] = json!(20);
    let res = app
        .authed(Method::POST, "/api/v1/templates", &admin)
        .header("Accept-Language", "vi")
        .json(&doc)
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 422, "validation_failed").await;
    let faults: Vec<(String, String)> = p["errors"]
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
    assert!(
        faults.contains(&("/sections/0/items/1/id".into(), "duplicate_item_id".into())),
        "{faults:?}"
    );
    assert!(
        faults.contains(&(
            "/sections/0/items/2/visible_if/equals".into(),
            "condition_value".into()
        )),
        "{faults:?}"
    );
    assert!(
        faults.contains(&("/scoring/bands".into(), "bands_gap".into())),
        "{faults:?}"
    );
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Mã mục"),
        "Vietnamese messages: {p}"
    );
    let res = app.authed(Method::POST, "/api/v1/templates", &admin).json(&json!({"code": "x", "title": "X", "sections": [{"id": "s", "title": "S", "items": [{"id": "i", "type": "video", "label": "V"}]}]})).send().await.unwrap();
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "schema");
    assert_eq!(p["errors"][0]["pointer"], "/sections/0/items/0/type");
    let list: Vec<Value> = app.get_json("/api/v1/templates", &admin).await;
    assert!(list.is_empty(), "nothing stored");
}

async fn the_default_template_publishes(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let schema: Value = app
        .req(Method::GET, "/api/v1/schemas/checklist-template")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let doc: Value = app
        .req(Method::GET, "/api/v1/schemas/default-template-2026")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = app
        .authed(Method::POST, "/api/v1/templates", &admin)
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let tid = res.json::<Value>().await.unwrap()["template_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let v: Value = app
        .authed(
            Method::POST,
            &format!("/api/v1/templates/{tid}/publish"),
            &admin,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["content"]["code"], "dvcq-2026");
    assert_problem(
        app.req(Method::GET, "/api/v1/schemas/nope")
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
}

async fn teams_and_rounds_rules(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let (lead_id, lead) = app.token_for("lead1", Role::Lead).await;
    let (insp_id, insp) = app.token_for("insp1", Role::Inspector).await;
    let (viewer_id, viewer) = app.token_for("viewer1", Role::Viewer).await;
    let res = app
        .authed(Method::POST, "/api/v1/teams", &admin)
        .json(&json!({"name": "Đoàn 1", "lead_id": insp_id, "member_ids": [viewer_id]}))
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 422, "validation_failed").await;
    let pointers: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/lead_id", "/member_ids/0"]);
    let team: Value = app
        .authed(Method::POST, "/api/v1/teams", &admin)
        .json(&json!({"name": "Đoàn 1", "lead_id": lead_id, "member_ids": [insp_id]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tid = team["id"].as_str().unwrap();
    let (_, other) = app.token_for("insp2", Role::Inspector).await;
    let mine: Vec<Value> = app.get_json("/api/v1/teams", &insp).await;
    assert_eq!(mine.len(), 1);
    let none: Vec<Value> = app.get_json("/api/v1/teams", &other).await;
    assert!(none.is_empty());
    assert_problem(
        app.authed(Method::GET, &format!("/api/v1/teams/{tid}"), &other)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.authed(Method::GET, &format!("/api/v1/teams/{tid}"), &viewer)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for t in [&lead, &insp, &viewer] {
        let res = app
            .authed(Method::POST, "/api/v1/teams", t)
            .json(&json!({"name": "X", "lead_id": lead_id}))
            .send()
            .await
            .unwrap();
        assert_problem(res, 403, "forbidden").await;
        assert_problem(
            app.authed(Method::PATCH, &format!("/api/v1/teams/{tid}"), t)
                .json(&json!({"name": "Y"}))
                .send()
                .await
                .unwrap(),
            403,
            "forbidden",
        )
        .await;
        assert_problem(
            app.authed(Method::DELETE, &format!("/api/v1/teams/{tid}"), t)
                .send()
                .await
                .unwrap(),
            403,
            "forbidden",
        )
        .await;
    }
    let renamed: Value = app
        .authed(Method::PATCH, &format!("/api/v1/teams/{tid}"), &admin)
        .json(&json!({"name": "Đoàn số 1", "version": 1}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(renamed["member_ids"], json!([insp_id]), "members kept");

    // A round needs a published version and ordered dates.
    let draft: Value = app
        .authed(Method::POST, "/api/v1/templates", &admin)
        .json(&test_template())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = app
        .authed(Method::POST, "/api/v1/rounds", &admin)
        .json(&json!({"name": "Đợt 1", "kind": "yearly", "template_version_id": draft["id"], "starts_on": "2026-10-01", "ends_on": "2026-09-01", "due_on": "2026-11-30"}))
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 422, "validation_failed").await;
    let pointers: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/kind", "/ends_on", "/template_version_id"]);
    let tpl = draft["template_id"].as_str().unwrap();
    let v: Value = app
        .authed(
            Method::POST,
            &format!("/api/v1/templates/{tpl}/publish"),
            &admin,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let round: Value = app
        .authed(Method::POST, "/api/v1/rounds", &admin)
        .json(&json!({"name": "Đợt 1", "kind": "half_year", "template_version_id": v["id"], "starts_on": "2026-05-01", "ends_on": "2026-06-30", "due_on": "2026-07-15"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(round["status"], "planned");
    let rid = round["id"].as_str().unwrap();
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/rounds/{rid}"), &admin)
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "invalid_round_status").await;
    let res = app.authed(Method::PUT, &format!("/api/v1/rounds/{rid}/assignments"), &admin).json(&json!({"assignments": [{"unit_id": uuid::Uuid::new_v4().to_string(), "team_id": tid}]})).send().await.unwrap();
    assert_eq!(
        assert_problem(res, 422, "validation_failed").await["errors"][0]["pointer"],
        "/assignments/0/unit_id"
    );
    // A planned round is invisible to inspectors even when assigned; a team with assignments cannot be deleted.
    let unit: Value = app
        .authed(Method::POST, "/api/v1/units", &admin)
        .json(&json!({"code": "U1", "name": "Xã Một", "kind": "commune"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    app.authed(
        Method::PUT,
        &format!("/api/v1/rounds/{rid}/assignments"),
        &admin,
    )
    .json(&json!({"assignments": [{"unit_id": unit["id"], "team_id": tid}]}))
    .send()
    .await
    .unwrap();
    let rounds: Vec<Value> = app.get_json("/api/v1/rounds", &insp).await;
    assert!(rounds.is_empty());
    let rounds: Vec<Value> = app.get_json("/api/v1/rounds", &lead).await;
    assert_eq!(rounds.len(), 1, "the lead plans ahead");
    assert_problem(
        app.authed(Method::DELETE, &format!("/api/v1/teams/{tid}"), &admin)
            .send()
            .await
            .unwrap(),
        409,
        "team_in_use",
    )
    .await;
}
