//! The unit's self-assessment (tự kiểm tra): a unit's representative fills and submits their
//! own unit's, with the round's checklist; nobody reaches another unit's; the team sees it
//! beside its inspection; the round report prints both scores (docs/self-assessment.md).

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::world::World;

both_engines!(
    a_unit_fills_and_submits_its_own_self_assessment,
    the_team_sees_it_beside_the_inspection_and_the_report_prints_it,
    a_unit_user_needs_a_unit_and_reaches_nothing_else,
    the_visiting_teams_devices_pull_it_once_submitted,
    first_saves_at_once_all_land,
);

/// Makes a unit's representative through the users API, as an administrator would; returns
/// the user's access token.
pub async fn unit_user(app: &TestApp, admin: &str, username: &str, unit: &str) -> String {
    let res = app
        .authed(Method::POST, "/api/v1/users", admin)
        .json(
            &json!({"username": username, "full_name": format!("Đại diện {username}"),
                      "role": "unit", "unit_id": unit, "password": format!("pw-{username}-123")}),
        )
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["user"]["role"], "unit");
    assert_eq!(body["user"]["unit_id"], unit);
    let t = app.login(username, &format!("pw-{username}-123")).await;
    t["access_token"].as_str().unwrap().to_owned()
}

pub(crate) async fn put_answer(
    app: &TestApp,
    token: &str,
    round: &str,
    item: &str,
    body: Value,
) -> reqwest::Response {
    app.authed(
        Method::PUT,
        &format!("/api/v1/self-assessments/{round}/answers/{item}"),
        token,
    )
    .json(&body)
    .send()
    .await
    .unwrap()
}

async fn ok_json(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {v}");
    v
}

pub(crate) async fn submit(app: &TestApp, token: &str, round: &str) -> reqwest::Response {
    submit_with(app, token, round, json!({})).await
}

async fn submit_with(app: &TestApp, token: &str, round: &str, body: Value) -> reqwest::Response {
    app.authed(
        Method::POST,
        &format!("/api/v1/self-assessments/{round}/submit"),
        token,
    )
    .json(&body)
    .send()
    .await
    .unwrap()
}

async fn a_unit_fills_and_submits_its_own_self_assessment(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let round = &w.round;

    let list: Value = app.get_json("/api/v1/self-assessments", &a).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["status"], "not_started");
    assert_eq!(list[0]["unit_id"], w.unit_a.as_str());
    assert_eq!(list[0]["template_version_id"], w.version.as_str());

    // The inspection's own validation, in Vietnamese on request.
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/self-assessments/{round}/answers/b"),
            &a,
        )
        .header("accept-language", "vi")
        .json(&json!({"value": "khong-co"}))
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["pointer"], "/answers/b", "{p}");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .chars()
            .any(
                |c| "ạảãàáâấầậẫẩăắằặẵẳđêếềệễểôốồộỗổơớờợỡởưứừựữửíìịĩỉýỳỵỹỷúùụũủóòọõỏéèẹẽẻ"
                    .contains(c)
            ),
        "{p}"
    );
    let res = put_answer(&app, &a, round, "nope", json!({"value": "yes"})).await;
    assert_problem(res, 422, "validation_failed").await;

    let v = ok_json(put_answer(&app, &a, round, "a", json!({"value": "yes", "version": 0})).await)
        .await;
    assert_eq!(v["status"], "draft");
    assert_eq!(v["answers"]["a"]["value"], "yes");
    let version = v["version"].as_i64().unwrap();
    // A stale version is refused.
    let res = put_answer(
        &app,
        &a,
        round,
        "b",
        json!({"value": "full", "version": version - 1}),
    )
    .await;
    assert_problem(res, 409, "version_mismatch").await;
    // A second tab that also opened the form before any answer existed (version 0) would
    // overwrite the first one's answers unseen: refused as stale too.
    let res = put_answer(&app, &a, round, "a", json!({"value": "no", "version": 0})).await;
    assert_problem(res, 409, "version_mismatch").await;
    // Submission needs every required item.
    assert_problem(submit(&app, &a, round).await, 422, "validation_failed").await;
    let v = ok_json(
        put_answer(
            &app,
            &a,
            round,
            "b",
            json!({"value": "full", "version": version}),
        )
        .await,
    )
    .await;
    assert!(v["score"].as_f64().is_some(), "self-scored: {v}");
    let seen = json!({"version": v["version"]});
    let v = ok_json(submit_with(&app, &a, round, seen.clone()).await).await;
    assert_eq!(v["status"], "submitted");
    // The same submit again (its answer lost on the way): what it did, not a refusal.
    let again = ok_json(submit_with(&app, &a, round, seen).await).await;
    assert_eq!(
        (&again["status"], &again["version"]),
        (&v["status"], &v["version"])
    );
    assert!(
        v["submitted_at"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{v}"
    );
    // Submitted: it no longer changes.
    let res = put_answer(&app, &a, round, "d", json!({"value": 4})).await;
    assert_problem(res, 409, "self_assessment_submitted").await;
    assert_problem(
        submit(&app, &a, round).await,
        409,
        "self_assessment_submitted",
    )
    .await;

    // Another unit's, or a round the unit is not in: not found, and nothing written.
    let b = unit_user(&app, &w.admin, "donvi.b", &w.unit_b).await;
    let other = format!("/api/v1/rounds/{round}/units/{}/self-assessment", w.unit_a);
    let res = app.authed(Method::GET, &other, &b).send().await.unwrap();
    assert_eq!(res.status(), 403, "readers' route is closed to units");
    let lone = app
        .authed(Method::POST, "/api/v1/units", &w.admin)
        .json(&json!({"code": "XA-Z", "name": "Xã Ngoài", "kind": "commune"}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let z = unit_user(&app, &w.admin, "donvi.z", lone["id"].as_str().unwrap()).await;
    for token in [&z] {
        let res = app
            .authed(
                Method::GET,
                &format!("/api/v1/self-assessments/{round}"),
                token,
            )
            .send()
            .await
            .unwrap();
        assert_problem(res, 404, "not_found").await;
        let res = put_answer(&app, token, round, "a", json!({"value": "no"})).await;
        assert_problem(res, 404, "not_found").await;
    }
    let mine: Value = app
        .get_json(&format!("/api/v1/self-assessments/{round}"), &b)
        .await;
    assert_eq!(mine["unit_id"], w.unit_b.as_str());
    assert_eq!(
        mine["status"], "not_started",
        "B's is its own, untouched: {mine}"
    );
    // Other roles have no unit: the unit's own routes are refused.
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/self-assessments/{round}"),
            &w.lead1,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;

    // Audited.
    let audit: Value = app
        .get_json("/api/v1/audit?entity=self_assessment", &w.admin)
        .await;
    let text = audit.to_string();
    assert!(text.contains("submit") && text.contains("answer"), "{text}");
}

async fn the_team_sees_it_beside_the_inspection_and_the_report_prints_it(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let round = &w.round;
    for (item, value) in [("a", json!("yes")), ("b", json!("full")), ("d", json!(5))] {
        ok_json(put_answer(&app, &a, round, item, json!({"value": value})).await).await;
    }
    // Before submission the team sees the state, not the answers.
    let path = format!("/api/v1/rounds/{round}/units/{}/self-assessment", w.unit_a);
    let early: Value = app.get_json(&path, &w.lead1).await;
    assert_eq!(early["status"], "draft");
    assert_eq!(early["answers"], json!({}), "{early}");
    ok_json(submit(&app, &a, round).await).await;

    let ins: Value = ok_json(
        app.authed(Method::POST, "/api/v1/inspections", &w.insp1)
            .json(&json!({"round_id": round, "unit_id": w.unit_a}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let id = ins["id"].as_str().unwrap();
    ok_json(
        app.authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{id}/answers"),
            &w.insp1,
        )
        .json(
            &json!({"answers": {"a": {"value": "yes"}, "b": {"value": "part"}, "d": {"value": 5}}}),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;

    let side = format!("/api/v1/inspections/{id}/self-assessment");
    for token in [&w.lead1, &w.insp1, &w.admin, &w.viewer] {
        let c: Value = app.get_json(&side, token).await;
        assert_eq!(c["submitted"], true, "{c}");
        assert_eq!(c["differing"], 1, "{c}");
        let b = c["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item_id"] == "b")
            .unwrap();
        assert_eq!(b["self_value"]["value"], "full");
        assert_eq!(b["inspected_value"]["value"], "part");
        assert_eq!(b["differs"], true);
        assert_eq!(b["label"], "Tiếp công dân");
        assert!(
            c["self_score"].as_f64().unwrap() > c["inspected_score"].as_f64().unwrap(),
            "{c}"
        );
    }
    let full: Value = app.get_json(&path, &w.lead1).await;
    assert_eq!(full["answers"]["b"]["value"], "full");
    // Team 2's lead, and the unit user, do not reach it.
    for token in [&w.lead2, &w.insp2] {
        for p in [&side, &path] {
            let res = app.authed(Method::GET, p, token).send().await.unwrap();
            assert_problem(res, 404, "not_found").await;
        }
    }
    let res = app.authed(Method::GET, &side, &a).send().await.unwrap();
    assert_problem(res, 403, "forbidden").await;

    // The round report: the section, with both scores and the differing item.
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/rounds/{round}/exports/docx"),
            &w.admin,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let text = strip_tags(&xml);
    assert!(
        text.contains("KẾT QUẢ TỰ KIỂM TRA CỦA ĐƠN VỊ"),
        "section missing"
    );
    let at = text.find("KẾT QUẢ TỰ KIỂM TRA").unwrap();
    let section = &text[at..];
    assert!(section.contains("Xã Nghi Lộc"), "{section}");
    assert!(
        section.contains("Tiếp công dân"),
        "the differing item: {section}"
    );
    assert!(
        section.contains("Chưa gửi"),
        "B and C sent nothing: {section}"
    );
}

fn strip_tags(xml: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for ch in xml.chars() {
        match ch {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn a_unit_user_needs_a_unit_and_reaches_nothing_else(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    // The role needs a unit, and only that role has one.
    for body in [
        json!({"username": "khongdonvi", "full_name": "X", "role": "unit", "password": "pw-x-12345"}),
        json!({"username": "thuaddonvi", "full_name": "X", "role": "inspector", "unit_id": w.unit_a, "password": "pw-x-12345"}),
        json!({"username": "saidonvi", "full_name": "X", "role": "unit", "unit_id": uuid::Uuid::new_v4().to_string(), "password": "pw-x-12345"}),
    ] {
        let res = app
            .authed(Method::POST, "/api/v1/users", &w.admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        let p = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(p["errors"][0]["pointer"], "/unit_id", "{p}");
    }
    let b = unit_user(&app, &w.admin, "donvi.b", &w.unit_b).await;
    let me: Value = app.get_json("/api/v1/me", &b).await;
    assert_eq!(me["user"]["role"], "unit");
    // Everything else is refused before any handler runs: a sample here, every route in the
    // security matrix (tests/api/matrix).
    for path in [
        "/api/v1/rounds".to_owned(),
        format!("/api/v1/rounds/{}", w.round),
        "/api/v1/inspections".to_owned(),
        "/api/v1/units".to_owned(),
        "/api/v1/teams".to_owned(),
        format!("/api/v1/rounds/{}/summary", w.round),
        "/api/v1/sync/pull".to_owned(),
        format!("/api/v1/templates/{}", w.template),
    ] {
        let res = app.authed(Method::GET, &path, &b).send().await.unwrap();
        assert_problem(res, 403, "forbidden").await;
    }
    // A unit user cannot be put in a team.
    let uid = me["user"]["id"].as_str().unwrap();
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/teams/{}", w.team2),
            &w.admin,
        )
        .json(&json!({"member_ids": [uid]}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 422, "validation_failed").await;
    // Changing the role away from unit drops the unit.
    let v: Value = ok_json(
        app.authed(Method::PATCH, &format!("/api/v1/users/{uid}"), &w.admin)
            .json(&json!({"role": "viewer"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(v["unit_id"], Value::Null, "{v}");
}

async fn pull(app: &TestApp, token: &str, cursor: Option<&str>) -> Value {
    let mut path = "/api/v1/sync/pull?schema_version=1&limit=5000".to_owned();
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={c}"));
    }
    app.get_json(&path, token).await
}

/// The self-assessment rows of a pull: (id, deleted, reason, data).
fn self_rows(page: &Value) -> Vec<(String, bool, Value, Value)> {
    page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["entity"] == "self_assessment")
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["deleted"].as_bool().unwrap(),
                c["reason"].clone(),
                c["data"].clone(),
            )
        })
        .collect()
}

fn cursor(page: &Value) -> String {
    assert_eq!(page["has_more"], false, "one page: {page}");
    page["next_cursor"].as_str().unwrap().to_owned()
}

async fn the_visiting_teams_devices_pull_it_once_submitted(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let round = &w.round;
    let marker = "TU-KIEM-TRA-XA-NGHI-LOC";
    for (item, value) in [
        ("a", json!("no")),
        ("b", json!("full")),
        ("c", json!(marker)),
    ] {
        ok_json(put_answer(&app, &a, round, item, json!({"value": value})).await).await;
    }
    // A draft is the unit's: no device of anyone receives it.
    let insp1 = pull(&app, &w.insp1, None).await;
    assert!(self_rows(&insp1).is_empty(), "a draft was pulled");
    assert!(!insp1.to_string().contains(marker));
    assert!(self_rows(&pull(&app, &w.admin, None).await).is_empty());
    let (c_insp1, c_insp2) = (cursor(&insp1), cursor(&pull(&app, &w.insp2, None).await));

    let v = ok_json(submit(&app, &a, round).await).await;
    let id = v["id"].as_str().unwrap().to_owned();
    // Team 1's inspector gets it on the next pull, answers inline.
    let next = pull(&app, &w.insp1, Some(&c_insp1)).await;
    let rows = self_rows(&next);
    assert_eq!(rows.len(), 1, "{next}");
    let (rid, deleted, _, data) = &rows[0];
    assert_eq!((rid.as_str(), *deleted), (id.as_str(), false));
    assert_eq!(data["unit_id"], w.unit_a.as_str());
    assert_eq!(data["round_id"], round.as_str());
    assert_eq!(data["status"], "submitted");
    assert_eq!(data["answers"]["c"]["value"], marker);
    assert!(data["score"].as_f64().is_some(), "{data}");
    assert!(data["submitted_at"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    // So do its lead, administrators and viewers, from scratch.
    for token in [&w.lead1, &w.admin, &w.viewer] {
        let rows = self_rows(&pull(&app, token, None).await);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, id);
    }
    // Team 2's devices never: not from scratch, not incrementally, not its id.
    for (token, from) in [
        (&w.insp2, None),
        (&w.lead2, None),
        (&w.insp2, Some(&c_insp2)),
    ] {
        let page = pull(&app, token, from.map(String::as_str)).await;
        assert!(self_rows(&page).is_empty(), "{page}");
        let text = page.to_string();
        assert!(!text.contains(marker) && !text.contains(&id), "{text}");
    }

    // The unit moves to team 2: team 1's devices drop it, team 2's get it.
    let c_insp1 = cursor(&next);
    let c_lead2 = cursor(&pull(&app, &w.lead2, None).await);
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/rounds/{round}/assignments"),
            &w.admin,
        )
        .json(&json!({"assignments": [{"unit_id": w.unit_a, "team_id": w.team2}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let gone = pull(&app, &w.insp1, Some(&c_insp1)).await;
    let rows = self_rows(&gone);
    assert_eq!(rows.len(), 1, "{gone}");
    assert_eq!(
        (rows[0].1, rows[0].2.as_str()),
        (true, Some("out_of_scope"))
    );
    assert!(rows[0].3.is_null());
    let moved = pull(&app, &w.lead2, Some(&c_lead2)).await;
    let rows = self_rows(&moved);
    assert_eq!(rows.len(), 1, "{moved}");
    assert_eq!((rows[0].0.as_str(), rows[0].1), (id.as_str(), false));
    let fresh = pull(&app, &w.insp2, None).await;
    assert_eq!(self_rows(&fresh).len(), 1, "team 2's inspector has it now");
    assert!(self_rows(&pull(&app, &w.insp1, None).await).is_empty());

    // Closing the round takes it off team 2's inspectors' devices with the round.
    let c_insp2 = cursor(&fresh);
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/rounds/{round}"), &w.admin)
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let closed = pull(&app, &w.insp2, Some(&c_insp2)).await;
    let rows = self_rows(&closed);
    assert_eq!(rows.len(), 1, "{closed}");
    assert_eq!(
        (rows[0].1, rows[0].2.as_str()),
        (true, Some("out_of_scope"))
    );
}

/// A phone resending its first save while the first is still in flight: all reach the
/// (round, unit) row, none fails on its key (a 500 on PostgreSQL before), and every
/// answer is kept.
async fn first_saves_at_once_all_land(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    // Each unit's first save is a race: three units, three requests each.
    for (name, unit) in [
        ("donvi.a", &w.unit_a),
        ("donvi.b", &w.unit_b),
        ("donvi.c", &w.unit_c),
    ] {
        let t = unit_user(&app, &w.admin, name, unit).await;
        let (x, y, z) = tokio::join!(
            put_answer(&app, &t, &w.round, "a", json!({"value": "yes"})),
            put_answer(&app, &t, &w.round, "b", json!({"value": "full"})),
            put_answer(&app, &t, &w.round, "d", json!({"value": 4})),
        );
        let got = [x.status(), y.status(), z.status()].map(|s| s.as_u16());
        assert_eq!(got, [200, 200, 200], "{name}");
        let v: Value = app
            .get_json(&format!("/api/v1/self-assessments/{}", w.round), &t)
            .await;
        assert_eq!(v["answers"]["a"]["value"], "yes", "{v}");
        assert_eq!(v["answers"]["b"]["value"], "full", "{v}");
        assert_eq!(v["answers"]["d"]["value"], 4, "{v}");
    }
}
