//! Điểm sáng: a unit registers and edits its own bright spots, nobody reaches another unit's,
//! the lead of the unit's team in a round evaluates them, and the round report lists them
//! (docs/bright-spots.md).

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::self_assessment::unit_user;
use crate::world::World;

both_engines!(
    a_unit_registers_and_edits_only_its_own,
    the_lead_of_the_units_team_evaluates_it_in_the_round,
    the_round_report_lists_the_bright_spots,
);

async fn send(app: &TestApp, m: Method, path: &str, token: &str, body: Value) -> reqwest::Response {
    app.authed(m, path, token).json(&body).send().await.unwrap()
}

async fn ok(res: reqwest::Response, want: u16) -> Value {
    let status = res.status().as_u16();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, want, "{v}");
    v
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

const LIST: &str = "/api/v1/bright-spots";

fn spot_body(id: &str, name: &str) -> Value {
    json!({"id": id, "name": name, "field": "Cải cách hành chính",
           "description": "Mô hình \"Một cửa thân thiện\"",
           "evidence": "https://xa-nghiloc.example/mo-hinh", "registered_on": "2026-03-05"})
}

async fn total(app: &TestApp, token: &str, query: &str) -> i64 {
    let v: Value = app.get_json(&format!("{LIST}{query}"), token).await;
    v["total"].as_i64().unwrap()
}

async fn a_unit_registers_and_edits_only_its_own(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvia", &w.unit_a).await;
    let b = unit_user(&app, &w.admin, "donvib", &w.unit_b).await;

    // Registered for the caller's own unit; the same request again makes no second row.
    let id = new_id();
    let first = ok(
        send(
            &app,
            Method::POST,
            LIST,
            &a,
            spot_body(&id, "Một cửa thân thiện"),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(first["unit_id"], w.unit_a);
    assert_eq!(first["status"], "registered");
    assert_eq!(first["status_vi"], "Đã đăng ký");
    assert_eq!(first["registered_on"], "2026-03-05");
    let again = ok(
        send(
            &app,
            Method::POST,
            LIST,
            &a,
            spot_body(&id, "Một cửa thân thiện"),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(again, first);
    assert_eq!(total(&app, &a, "").await, 1);
    let res = send(&app, Method::POST, LIST, &a, spot_body(&id, "Khác")).await;
    assert_problem(res, 409, "id_taken").await;
    let res = send(&app, Method::POST, LIST, &a, spot_body(&new_id(), "  ")).await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["pointer"], "/name");
    // A phone's retry racing its first send: one is made, the other answered with it.
    for _ in 0..5 {
        let twice = new_id();
        let (r1, r2) = tokio::join!(
            send(
                &app,
                Method::POST,
                LIST,
                &a,
                spot_body(&twice, "Gửi hai lần")
            ),
            send(
                &app,
                Method::POST,
                LIST,
                &a,
                spot_body(&twice, "Gửi hai lần")
            ),
        );
        let mut codes = [r1.status().as_u16(), r2.status().as_u16()];
        codes.sort();
        assert_eq!(codes, [200, 201], "{}", r2.text().await.unwrap());
    }
    assert_eq!(total(&app, &a, "").await, 6);
    // A date past PostgreSQL's calendar (a 500 there) or outside any plan: refused alike.
    for date in ["1800-01-01", "2201-01-01", "+200000-01-01"] {
        let mut body = spot_body(&new_id(), "Ngày lạ");
        body["registered_on"] = json!(date);
        let res = send(&app, Method::POST, LIST, &a, body).await;
        let p = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(p["errors"][0]["pointer"], "/registered_on", "{date}");
        let edit = json!({"registered_on": date});
        let res = send(&app, Method::PATCH, &format!("{LIST}/{id}"), &a, edit).await;
        let p = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(p["errors"][0]["code"], "invalid_date", "{date}");
    }

    // Another unit: neither registered for, read, nor edited.
    let mut other = spot_body(&new_id(), "Của đơn vị khác");
    other["unit_id"] = json!(w.unit_b);
    assert_problem(
        send(&app, Method::POST, LIST, &a, other).await,
        404,
        "not_found",
    )
    .await;
    let path = format!("{LIST}/{id}");
    let res = app.authed(Method::GET, &path, &b).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
    let res = send(&app, Method::PATCH, &path, &b, json!({"name": "x"})).await;
    assert_problem(res, 404, "not_found").await;
    assert_eq!(total(&app, &b, "").await, 0);
    // Nor reviewed by the unit itself.
    let review = json!({"round_id": w.round, "result": "recognised"});
    let res = send(&app, Method::POST, &format!("{path}/reviews"), &a, review).await;
    assert_problem(res, 403, "forbidden").await;

    // Readers: the viewer and the unit's team read it, and write nothing; team 2 does not see it.
    for t in [&w.viewer, &w.lead1, &w.insp1] {
        let v: Value = app.get_json(&path, t).await;
        assert_eq!(v["name"], "Một cửa thân thiện");
        assert_eq!(v["can_edit"], false);
    }
    for t in [&w.lead2, &w.insp2] {
        let res = app.authed(Method::GET, &path, t).send().await.unwrap();
        assert_problem(res, 404, "not_found").await;
        assert_eq!(total(&app, t, "").await, 0);
    }
    for t in [&w.viewer, &w.lead1] {
        let res = send(
            &app,
            Method::POST,
            LIST,
            t,
            spot_body(&new_id(), "Không được"),
        )
        .await;
        assert_problem(res, 403, "forbidden").await;
        let res = send(&app, Method::PATCH, &path, t, json!({"name": "x"})).await;
        assert_problem(res, 403, "forbidden").await;
    }

    // Edits: versioned; the unit moves it to building, never to recognised.
    let mine: Value = app.get_json(&path, &a).await;
    assert_eq!(mine["can_edit"], true);
    let v = ok(
        send(
            &app,
            Method::PATCH,
            &path,
            &a,
            json!({"status": "building", "version": 1}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(v["status"], "building");
    assert_eq!(v["version"], 2);
    let res = send(
        &app,
        Method::PATCH,
        &path,
        &a,
        json!({"name": "Cũ", "version": 1}),
    )
    .await;
    assert_problem(res, 409, "version_mismatch").await;
    let res = send(
        &app,
        Method::PATCH,
        &path,
        &a,
        json!({"status": "recognised"}),
    )
    .await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "invalid_status");
    // Audited.
    let audit: Value = app
        .get_json(
            &format!("/api/v1/audit?entity=bright_spot&entity_id={id}"),
            &w.admin,
        )
        .await;
    assert!(audit.to_string().contains("\"update\""), "{audit}");
}

async fn the_lead_of_the_units_team_evaluates_it_in_the_round(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvia", &w.unit_a).await;
    let mut body = spot_body(&new_id(), "Dân vận khéo");
    body["unit_id"] = json!(w.unit_a);
    let spot = ok(send(&app, Method::POST, LIST, &w.admin, body).await, 201).await;
    let id = spot["id"].as_str().unwrap();
    let path = format!("{LIST}/{id}/reviews");
    let rid = new_id();
    let review = json!({"id": rid, "round_id": w.round, "result": "recognised",
                        "comment": "Mô hình hiệu quả, được Nhân dân đồng tình", "version": 1});

    // Another team's lead does not reach it; an inspector and a viewer do not review.
    let res = send(&app, Method::POST, &path, &w.lead2, review.clone()).await;
    assert_problem(res, 404, "not_found").await;
    for t in [&w.insp1, &w.viewer] {
        let res = send(&app, Method::POST, &path, t, review.clone()).await;
        assert_problem(res, 403, "forbidden").await;
    }
    // A round the unit is not in.
    let mut elsewhere = review.clone();
    elsewhere["round_id"] = json!(new_id());
    let p = assert_problem(
        send(&app, Method::POST, &path, &w.lead1, elsewhere).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "unit_not_in_round");
    let mut bad = review.clone();
    bad["result"] = json!("registered");
    assert_problem(
        send(&app, Method::POST, &path, &w.lead1, bad).await,
        422,
        "validation_failed",
    )
    .await;
    let mut stale = review.clone();
    stale["version"] = json!(7);
    assert_problem(
        send(&app, Method::POST, &path, &w.lead1, stale).await,
        409,
        "version_mismatch",
    )
    .await;

    // The lead of the unit's team in the round: the result sets the status; twice is once.
    let row = ok(
        send(&app, Method::POST, &path, &w.lead1, review.clone()).await,
        201,
    )
    .await;
    assert_eq!(row["result"], "recognised");
    let again = ok(
        send(&app, Method::POST, &path, &w.lead1, review.clone()).await,
        200,
    )
    .await;
    assert_eq!(again, row);
    let d: Value = app.get_json(&format!("{LIST}/{id}"), &w.viewer).await;
    assert_eq!(d["status"], "recognised");
    assert_eq!(d["version"], 2);
    assert_eq!(d["reviews"].as_array().unwrap().len(), 1);
    assert_eq!(d["reviews"][0]["result_vi"], "Công nhận");
    assert_eq!(d["reviews"][0]["round_name"], "Kiểm tra năm 2026");
    let lead: Value = app.get_json(&format!("{LIST}/{id}"), &w.lead1).await;
    assert_eq!(lead["review_rounds"][0]["id"], w.round);

    // Decided: the unit no longer edits it; filters find it.
    let res = send(
        &app,
        Method::PATCH,
        &format!("{LIST}/{id}"),
        &a,
        json!({"name": "Sửa"}),
    )
    .await;
    assert_problem(res, 409, "bright_spot_decided").await;
    let mine: Value = app.get_json(&format!("{LIST}/{id}"), &a).await;
    assert_eq!(mine["can_edit"], false);
    assert_eq!(total(&app, &w.admin, "?status=recognised").await, 1);
    assert_eq!(total(&app, &w.admin, "?status=building").await, 0);
    assert_eq!(total(&app, &w.admin, "?year=2026").await, 1);
    assert_eq!(total(&app, &w.admin, "?year=2025").await, 0);
    // Schemathesis found this one: a year PostgreSQL's dates cannot hold was a 500.
    let res = app
        .authed(Method::GET, &format!("{LIST}?year=-41725"), &w.admin)
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "invalid_year", "{p}");
    let q = format!(
        "?unit_id={}&field=C%E1%BA%A3i%20c%C3%A1ch%20h%C3%A0nh%20ch%C3%ADnh",
        w.unit_a
    );
    assert_eq!(total(&app, &w.admin, &q).await, 1);
    let res = app
        .authed(Method::GET, &format!("{LIST}?status=x"), &w.admin)
        .send()
        .await
        .unwrap();
    assert_problem(res, 422, "validation_failed").await;

    // A later evaluation may send it back to building; then the unit edits again.
    let back =
        json!({"round_id": w.round, "result": "building", "comment": "Cần bổ sung minh chứng"});
    ok(send(&app, Method::POST, &path, &w.admin, back).await, 201).await;
    let v = ok(
        send(
            &app,
            Method::PATCH,
            &format!("{LIST}/{id}"),
            &a,
            json!({"evidence": "Biên bản họp dân"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(v["status"], "building");
    assert_eq!(v["evidence"], "Biên bản họp dân");

    // Once the round closes its report stands: the lead no longer evaluates in it (nor is it
    // offered); Sở Nội vụ still may, to correct the record.
    ok(
        app.authed(
            Method::PATCH,
            &format!("/api/v1/rounds/{}", w.round),
            &w.admin,
        )
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    let late = json!({"round_id": w.round, "result": "recognised", "comment": "Sau khi kết thúc"});
    let res = send(&app, Method::POST, &path, &w.lead1, late.clone()).await;
    assert_problem(res, 409, "round_not_open").await;
    let lead: Value = app.get_json(&format!("{LIST}/{id}"), &w.lead1).await;
    assert_eq!(lead["review_rounds"], json!([]), "{lead}");
    ok(send(&app, Method::POST, &path, &w.admin, late).await, 201).await;
}

async fn report_section(app: &TestApp, token: &str, round: &str) -> String {
    let path = format!("/api/v1/rounds/{round}/exports/docx");
    let res = app.authed(Method::GET, &path, token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let text = crate::recommendations_followup::docx_text(&res.bytes().await.unwrap());
    let at = text
        .find("ĐIỂM SÁNG CÔNG TÁC DÂN VẬN")
        .expect("section missing");
    text[at..].to_owned()
}

async fn the_round_report_lists_the_bright_spots(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    // Before any: the section says so.
    let s = report_section(&app, &w.admin, &w.round).await;
    assert!(s.contains("chưa đăng ký điểm sáng nào"), "{s}");
    for (unit, name) in [
        (&w.unit_a, "Một cửa thân thiện"),
        (&w.unit_b, "Chợ văn minh"),
    ] {
        let mut body = spot_body(&new_id(), name);
        body["unit_id"] = json!(unit);
        let v = ok(send(&app, Method::POST, LIST, &w.admin, body).await, 201).await;
        if name.starts_with("Một") {
            let path = format!("{LIST}/{}/reviews", v["id"].as_str().unwrap());
            let review = json!({"round_id": w.round, "result": "recognised", "comment": "Đạt tiêu chí điểm sáng"});
            ok(send(&app, Method::POST, &path, &w.lead1, review).await, 201).await;
        }
    }
    let s = report_section(&app, &w.admin, &w.round).await;
    for want in [
        "Một cửa thân thiện",
        "Chợ văn minh",
        "Cải cách hành chính",
        "05/03/2026",
        "Đã công nhận",
        "Đạt tiêu chí điểm sáng",
        "Chưa đánh giá",
    ] {
        assert!(s.contains(want), "{want}: {s}");
    }
    // Each lead's report covers their own teams' units only.
    let one = report_section(&app, &w.lead1, &w.round).await;
    assert!(
        one.contains("Một cửa thân thiện") && !one.contains("Chợ văn minh"),
        "{one}"
    );
    let two = report_section(&app, &w.lead2, &w.round).await;
    assert!(
        two.contains("Chợ văn minh") && !two.contains("Một cửa thân thiện"),
        "{two}"
    );
}
