//! Findings typed once (issue 16): submission needs strengths and shortcomings; the biên bản
//! record fields (place, held_at, members, attendees) by REST, by push (merged by field) and in
//! the WatermelonDB pull; answers typed into the old checklist items reach the report.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;

/// Writes the findings a submission needs (ưu điểm, hạn chế), as an inspector does before
/// submitting.
pub async fn write_findings(app: &TestApp, token: &str, inspection: &str) {
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{inspection}"),
            token,
        )
        .json(&json!({"strengths": "Triển khai kịp thời.", "shortcomings": "Chưa có điểm sáng."}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
}

use crate::both_engines;
use crate::helpers::{assert_problem, Engine};
use crate::sync_trust::{hlc, mid, pull_all, push};
use crate::world::{test_template, World};

both_engines!(
    the_meeting_photo_and_the_findings_are_required,
    the_record_fields_by_rest_and_by_push,
    answers_in_the_old_findings_items_reach_the_report,
    a_return_without_a_reason_says_so_and_lists_name_their_people,
    a_round_past_its_end_warns_or_refuses
);

/// "Nghệ An" typed on a keyboard that sends decomposed marks (NFD).
const NFD: &str = "Nghe\u{302}\u{323} An";

async fn send(app: &TestApp, m: Method, path: &str, token: &str, body: Value) -> reqwest::Response {
    app.authed(m, path, token).json(&body).send().await.unwrap()
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {v}");
    v
}

async fn start(app: &TestApp, w: &World, token: &str, unit: &str) -> String {
    let body = json!({"round_id": w.round, "unit_id": unit});
    let v = ok(send(app, Method::POST, "/api/v1/inspections", token, body).await).await;
    v["id"].as_str().unwrap().to_owned()
}

fn codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn with_section(section: Value) -> Value {
    let mut t = test_template();
    t["sections"].as_array_mut().unwrap().push(section);
    t
}

async fn missing_evidence(app: &TestApp, w: &World) -> u64 {
    let p: Value = app
        .get_json(&format!("/api/v1/rounds/{}/progress", w.round), &w.lead1)
        .await;
    p["overall"]["missing_evidence"].as_u64().unwrap()
}

async fn the_meeting_photo_and_the_findings_are_required(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let photo = json!({"id": "ket_qua", "title": "Kết quả kiểm tra", "items": [
        {"id": "ket_qua.anh_hien_truong", "type": "photo", "label": "Ảnh buổi làm việc", "evidence": {"min_photos": 1}}]});
    let w = World::build_with_template(&app, with_section(photo)).await;
    let id = start(&app, &w, &w.insp1, &w.unit_a).await;
    let answers = json!({"answers": {"a": {"value": "yes"}, "b": {"value": "full"}}});
    ok(send(
        &app,
        Method::PATCH,
        &format!("/api/v1/inspections/{id}/answers"),
        &w.insp1,
        answers,
    )
    .await)
    .await;
    assert_eq!(
        missing_evidence(&app, &w).await,
        1,
        "counted before submission"
    );

    let submit_path = format!("/api/v1/inspections/{id}/submit");
    let submit = || send(&app, Method::POST, &submit_path, &w.insp1, Value::Null);
    let p = assert_problem(submit().await, 422, "validation_failed").await;
    assert_eq!(
        codes(&p),
        [
            (
                "/answers/ket_qua.anh_hien_truong".to_owned(),
                "evidence_missing".to_owned()
            ),
            ("/strengths".to_owned(), "findings_required".to_owned()),
            ("/shortcomings".to_owned(), "findings_required".to_owned()),
        ]
    );
    assert!(p.to_string().contains("ưu điểm"), "{p}");

    // Findings typed with decomposed marks are stored composed.
    let body = json!({"strengths": NFD, "shortcomings": "Chưa có điểm sáng."});
    let d = ok(send(
        &app,
        Method::PATCH,
        &format!("/api/v1/inspections/{id}"),
        &w.insp1,
        body,
    )
    .await)
    .await;
    assert_eq!(d["strengths"], "Nghệ An");
    let p = assert_problem(submit().await, 422, "validation_failed").await;
    assert_eq!(codes(&p).len(), 1, "{p}");

    let ev = crate::evidence::new_evidence(&app, &w.insp1, &id, "ket_qua.anh_hien_truong").await;
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{ev}/content"),
            &w.insp1,
        )
        .header("content-type", "image/jpeg")
        .body(crate::photos::jpeg(120, 90, 3, false))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(missing_evidence(&app, &w).await, 0);
    assert_eq!(ok(submit().await).await["status"], "submitted");
}

async fn the_record_fields_by_rest_and_by_push(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let id = start(&app, &w, &w.insp1, &w.unit_a).await;
    let path = format!("/api/v1/inspections/{id}");
    let body = json!({
        "place": "Hội trường UBND phường Cửa Lò",
        "held_at": "2026-03-10T08:00:00+07:00",
        "members": [{"name": NFD, "title": "Trưởng đoàn"}, {"name": "Trần Thị B"}],
        "attendees": [{"name": "Lê Văn C", "title": "Chủ tịch UBND phường"}]
    });
    let d = ok(send(&app, Method::PATCH, &path, &w.insp1, body).await).await;
    assert_eq!(d["place"], "Hội trường UBND phường Cửa Lò");
    assert_eq!(d["held_at"], "2026-03-10T01:00:00Z");
    assert_eq!(
        d["members"],
        json!([{"name": "Nghệ An", "title": "Trưởng đoàn"}, {"name": "Trần Thị B"}])
    );
    let got: Value = app.get_json(&path, &w.lead1).await;
    assert_eq!(
        got["attendees"],
        json!([{"name": "Lê Văn C", "title": "Chủ tịch UBND phường"}])
    );

    let bad = json!({"members": [{"title": "x"}], "held_at": "10/03/2026"});
    let p = assert_problem(
        send(&app, Method::PATCH, &path, &w.insp1, bad).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        codes(&p),
        [
            ("/held_at".to_owned(), "invalid_time".to_owned()),
            ("/members/0/name".to_owned(), "invalid_text".to_owned())
        ]
    );

    // Two devices edit different fields from the same version: both stay.
    let version = got["version"].as_i64().unwrap();
    let tablet = app
        .login_body("insp1", "pw-insp1-123", Some("tablet"))
        .await;
    let tablet = tablet.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let edit = |field: &str, value: Value| json!([{"mutation_id": mid(), "type": "inspection.update", "id": id, "base_version": version, "fields": {field: {"value": value, "hlc": hlc()}}}]);
    let r = push(&app, &w.insp1, edit("place", json!("Nhà văn hoá khối 1"))).await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
    let r = push(
        &app,
        &tablet,
        edit(
            "attendees",
            json!([{"name": "Phạm Văn D", "title": "Phó Chủ tịch"}]),
        ),
    )
    .await;
    assert_eq!(r[0]["status"], "merged", "{r:?}");
    assert_eq!(r[0]["current"]["place"], "Nhà văn hoá khối 1");
    assert_eq!(
        r[0]["current"]["attendees"],
        json!([{"name": "Phạm Văn D", "title": "Phó Chủ tịch"}])
    );
    assert_eq!(
        r[0]["current"]["members"][0]["name"], "Nghệ An",
        "untouched"
    );

    let (changes, _) = pull_all(&app, &w.insp1, None).await;
    let row = changes
        .iter()
        .rfind(|c| c["entity"] == "inspection" && c["id"] == id.as_str())
        .unwrap();
    assert_eq!(row["data"]["held_at"], "2026-03-10T01:00:00Z");
    assert_eq!(row["data"]["attendees"][0]["name"], "Phạm Văn D");

    // The WatermelonDB face: flat columns, the people as JSON text.
    let page: Value = app
        .get_json("/api/v1/sync/watermelon?schema_version=1", &w.insp1)
        .await;
    let rec = page["changes"]["inspections"]["created"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(rec["place"], "Nhà văn hoá khối 1");
    assert_eq!(rec["held_at"], "2026-03-10T01:00:00Z");
    let members: Value = serde_json::from_str(rec["members"].as_str().unwrap()).unwrap();
    assert_eq!(members[1], json!({"name": "Trần Thị B"}));
}

fn old_findings_section() -> Value {
    json!({"id": "ket_qua", "title": "Kết quả kiểm tra", "items": [
        {"id": "ket_qua.uu_diem", "type": "text", "label": "Ưu điểm", "required": true},
        {"id": "ket_qua.han_che", "type": "text", "label": "Hạn chế", "required": true},
        {"id": "ket_qua.nguyen_nhan", "type": "text", "label": "Nguyên nhân"},
        {"id": "ket_qua.kien_nghi", "type": "text", "label": "Kiến nghị"}]})
}

/// The round's summary line for `unit`, and the unit's recommendations in it.
async fn reported(app: &TestApp, w: &World, unit: &str) -> (Value, Vec<String>) {
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{}/summary", w.round), &w.admin)
        .await;
    let line = s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["unit_id"] == unit)
        .cloned()
        .unwrap_or(Value::Null);
    let recs = s["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.to_string().contains(unit))
        .map(|r| r["content"].as_str().unwrap_or_default().to_owned())
        .collect();
    (line, recs)
}

async fn answers_in_the_old_findings_items_reach_the_report(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build_with_template(&app, with_section(old_findings_section())).await;

    // An old device still answers the checklist items: the texts reach the fields as typed.
    let a = start(&app, &w, &w.insp1, &w.unit_a).await;
    let answers = |uu: &str| {
        json!({"answers": {"a": {"value": "yes"}, "b": {"value": "full"},
        "ket_qua.uu_diem": {"value": uu}, "ket_qua.han_che": {"value": "Chưa có điểm sáng."},
        "ket_qua.kien_nghi": {"value": "Xây dựng điểm sáng dân vận."}}})
    };
    let path = format!("/api/v1/inspections/{a}/answers");
    ok(send(&app, Method::PATCH, &path, &w.insp1, answers("Tốt")).await).await;
    let d = ok(send(
        &app,
        Method::PATCH,
        &path,
        &w.insp1,
        answers("Tốt, đúng hạn"),
    )
    .await)
    .await;
    assert_eq!(d["strengths"], "Tốt, đúng hạn", "edited, not doubled");
    assert_eq!(d["shortcomings"], "Chưa có điểm sáng.");
    assert_eq!(d["recommendations"].as_array().unwrap().len(), 1);
    for (token, action) in [(&w.insp1, "submit"), (&w.lead1, "approve")] {
        ok(send(
            &app,
            Method::POST,
            &format!("/api/v1/inspections/{a}/{action}"),
            token,
            Value::Null,
        )
        .await)
        .await;
    }
    let (line, recs) = reported(&app, &w, &w.unit_a).await;
    assert_eq!(line["strengths"], "Tốt, đúng hạn");
    assert_eq!(recs, ["Xây dựng điểm sáng dân vận."]);

    // Data from before the fold: answers only, approved. The one-off step folds them.
    let b = start(&app, &w, &w.insp2, &w.unit_b).await;
    let b2 = b.clone();
    app.db
        .write(move |c| plant_old_answers(c, &b2))
        .await
        .unwrap();
    assert_eq!(
        reported(&app, &w, &w.unit_b).await.0["strengths"],
        Value::Null
    );
    let ran = app
        .db
        .write(|c| {
            use diesel::prelude::*;
            diesel::delete(kiemtra::db::schema::data_migrations::table).execute(c)?;
            kiemtra::db::data::run(c, kiemtra::upgrades::STEPS)
        })
        .await
        .unwrap();
    assert_eq!(ran, 1);
    let (line, recs) = reported(&app, &w, &w.unit_b).await;
    assert_eq!(line["strengths"], "Ưu điểm cũ");
    assert_eq!(line["causes"], "Nguyên nhân cũ");
    assert_eq!(recs, ["Kiến nghị cũ"]);
    // Stamped for sync like any change.
    let (changes, _) = pull_all(&app, &w.insp2, None).await;
    assert!(changes
        .iter()
        .any(|c| c["entity"] == "recommendation" && c["data"]["content"] == "Kiến nghị cũ"));
}

/// Answers written as an older server wrote them (no fold), then approved.
fn plant_old_answers(c: &mut kiemtra::db::DbConn, id: &str) -> Result<(), kiemtra::db::DbError> {
    use diesel::prelude::*;
    use kiemtra::db::schema::{answers, inspections};
    let now = chrono::Utc::now().naive_utc();
    let by: String = inspections::table
        .find(id)
        .select(inspections::created_by)
        .first(c)?;
    for (item, text) in [
        ("ket_qua.uu_diem", "Ưu điểm cũ"),
        ("ket_qua.han_che", "Hạn chế cũ"),
        ("ket_qua.nguyen_nhan", "Nguyên nhân cũ"),
        ("ket_qua.kien_nghi", "Kiến nghị cũ"),
    ] {
        diesel::insert_into(answers::table)
            .values((
                answers::inspection_id.eq(id),
                answers::item_id.eq(item),
                answers::value.eq(Some(json!(text).to_string())),
                answers::na.eq(false),
                answers::version.eq(1),
                answers::updated_by.eq(&by),
                answers::updated_at.eq(now),
            ))
            .execute(c)?;
    }
    diesel::update(inspections::table.find(id))
        .set((
            inspections::status.eq("approved"),
            inspections::approved_at.eq(Some(now)),
        ))
        .execute(c)?;
    Ok(())
}

async fn a_return_without_a_reason_says_so_and_lists_name_their_people(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let id = start(&app, &w, &w.insp1, &w.unit_a).await;
    let answers = json!({"answers": {"a": {"value": "yes"}, "b": {"value": "full"}}});
    ok(send(
        &app,
        Method::PATCH,
        &format!("/api/v1/inspections/{id}/answers"),
        &w.insp1,
        answers,
    )
    .await)
    .await;
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
