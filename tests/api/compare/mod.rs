//! `GET /rounds/{id}/comparison` (JSON and XLSX) and `/dot/{id}/so-sanh`: section scores,
//! totals and their change since each unit's previous round, means by unit kind, and scope —
//! a previous round's score from another team's inspection never reaches a lead.
//!
//! Three rounds of the same checklist: 2024 (unit A inspected by team 1, then closed), 2025
//! (units A and B by team 2) and the world's 2026 round (A by team 1, B by team 2, C not
//! started). The test checklist's sections: s1 (weight 2: a 10, b 10) and s2 (d 20, f 10).

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::reports::{act, compiled, ok, post};
use crate::world::World;

mod files;

both_engines!(sections_totals_and_changes_follow_each_callers_scope);

/// An earlier round of the world's checklist; `pairs` assign units to teams.
async fn round(app: &TestApp, w: &World, name: &str, year: i32, pairs: &[(&str, &str)]) -> String {
    let r = ok(post(app, &w.admin, "/api/v1/rounds", json!({"name": name, "kind": "year", "template_version_id": w.version, "starts_on": format!("{year}-09-01"), "ends_on": format!("{year}-11-20"), "due_on": format!("{year}-11-30"), "status": "open"})).await).await;
    let id = r["id"].as_str().unwrap().to_owned();
    let assignments: Vec<Value> = pairs
        .iter()
        .map(|(u, t)| json!({"unit_id": u, "team_id": t}))
        .collect();
    ok(app
        .authed(
            Method::PUT,
            &format!("/api/v1/rounds/{id}/assignments"),
            &w.admin,
        )
        .json(&json!({ "assignments": assignments }))
        .send()
        .await
        .unwrap())
    .await;
    id
}

/// Fills, submits and approves the unit's inspection.
async fn approved(app: &TestApp, insp: &str, lead: &str, round: &str, unit: &str, answers: Value) {
    let x = ok(post(
        app,
        insp,
        "/api/v1/inspections",
        json!({"round_id": round, "unit_id": unit}),
    )
    .await)
    .await;
    let id = x["id"].as_str().unwrap().to_owned();
    ok(app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{id}/answers"),
            insp,
        )
        .json(&json!({ "answers": answers }))
        .send()
        .await
        .unwrap())
    .await;
    crate::findings::write_findings(app, insp, &id).await;
    act(app, insp, &id, "submit").await;
    act(app, lead, &id, "approve").await;
}

pub(crate) struct Rounds {
    pub w: World,
    pub r2024: String,
    pub r2025: String,
}

pub(crate) async fn three_rounds(app: &TestApp) -> Rounds {
    // 2026: A 66.67 (s1 75 %, s2 50 %) approved; B 100 (s1 and s2 100 %) approved below.
    let c = compiled(app).await;
    let w = c.w;
    act(app, &w.lead2, &c.b, "approve").await;
    let (a, b) = (w.unit_a.clone(), w.unit_b.clone());
    let r2024 = round(app, &w, "Kiểm tra năm 2024", 2024, &[(&a, &w.team1)]).await;
    // A: s1 100 %, s2 d 2 → 5/20 = 25 % (f not applicable); 100 · (2 + 0.25) / 3 = 75.
    approved(app, &w.insp1, &w.lead1, &r2024, &a, json!({"a": {"value": "yes"}, "b": {"value": "full"}, "d": {"value": 2}, "f": {"na": true}})).await;
    let r2025 = round(
        app,
        &w,
        "Kiểm tra năm 2025",
        2025,
        &[(&a, &w.team2), (&b, &w.team2)],
    )
    .await;
    // A: s1 10/20 = 50 %, s2 (10 + 10)/30 = 66.67 %; 100 · (1 + 0.6667) / 3 = 55.56.
    approved(app, &w.insp2, &w.lead2, &r2025, &a, json!({"a": {"value": "yes"}, "b": {"value": "none"}, "d": {"value": 3}, "f": {"value": "yes"}})).await;
    // B: s1 75 %, s2 100 %; 100 · (1.5 + 1) / 3 = 83.33.
    approved(app, &w.insp2, &w.lead2, &r2025, &b, json!({"a": {"value": "yes"}, "b": {"value": "part"}, "d": {"value": 5}, "f": {"value": "yes"}})).await;
    // 2024 is over: inspectors no longer see it.
    ok(app
        .authed(Method::PATCH, &format!("/api/v1/rounds/{r2024}"), &w.admin)
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .unwrap())
    .await;
    Rounds { w, r2024, r2025 }
}

fn row<'a>(v: &'a Value, unit: &str) -> &'a Value {
    v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == unit)
        .unwrap_or_else(|| panic!("{unit} not in {v}"))
}

/// (percent, delta) per section.
fn cells(r: &Value) -> Vec<(Value, Value)> {
    r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["percent"].clone(), s["delta"].clone()))
        .collect()
}

async fn sections_totals_and_changes_follow_each_callers_scope(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let Rounds { w, r2024, r2025 } = three_rounds(&app).await;
    let path = format!("/api/v1/rounds/{}/comparison", w.round);

    // Sở Nội vụ sees every team: each unit against its latest earlier round, 2025.
    let all: Value = app.get_json(&path, &w.admin).await;
    assert_eq!(
        all["columns"],
        json!([{"id": "s1", "title": "Phần 1"}, {"id": "s2", "title": "Phần 2"}])
    );
    assert_eq!(all["max_score"], 100.0);
    let a = row(&all, &w.unit_a);
    assert_eq!(
        cells(a),
        [(json!(75.0), json!(25.0)), (json!(50.0), json!(-16.67))]
    );
    assert_eq!(a["sections"][0]["points"], 15.0);
    assert_eq!(a["sections"][0]["max_points"], 20.0);
    assert_eq!(
        (a["total"].clone(), a["total_delta"].clone()),
        (json!(66.67), json!(11.11))
    );
    assert_eq!(a["band_label"], "Trung bình");
    assert_eq!(a["previous"]["round_id"], r2025.as_str());
    assert_eq!(a["previous"]["total"], 55.56);
    let b = row(&all, &w.unit_b);
    assert_eq!(
        cells(b),
        [(json!(100.0), json!(25.0)), (json!(100.0), json!(0.0))]
    );
    assert_eq!(
        (b["total"].clone(), b["total_delta"].clone()),
        (json!(100.0), json!(16.67))
    );
    let c = row(&all, &w.unit_c);
    assert_eq!(
        (c["status"].as_str(), c["counted"].as_bool()),
        (Some("not_started"), Some(false))
    );
    assert_eq!(
        cells(c),
        [(Value::Null, Value::Null), (Value::Null, Value::Null)]
    );
    assert!(c["total"].is_null() && c["previous"].is_null());
    // By kind, departments first: C alone and unapproved; A and B the communes.
    let kinds: Vec<&str> = all["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["department", "commune"]);
    assert_eq!(all["kinds"][0]["counted"], 0);
    assert!(all["kinds"][0]["total"].is_null());
    let commune = &all["kinds"][1];
    assert_eq!(
        (
            commune["label"].as_str(),
            commune["units"].as_u64(),
            commune["counted"].as_u64()
        ),
        (Some("Xã"), Some(2), Some(2))
    );
    assert_eq!(commune["sections"], json!([87.5, 75.0]));
    assert_eq!(commune["total"], 83.34);
    assert_eq!(commune["total_delta"], 13.89);
    assert_eq!(
        (
            all["overall"]["units"].as_u64(),
            all["overall"]["total"].as_f64()
        ),
        (Some(3), Some(83.34))
    );
    let viewer: Value = app.get_json(&path, &w.viewer).await;
    assert_eq!(viewer, all, "the committee reads what Sở Nội vụ reads");

    // Team 1's lead: unit A only, and A's previous result is team 1's own 2024 one; team 2's
    // 2025 inspection of A is not theirs to read.
    let mine: Value = app.get_json(&path, &w.lead1).await;
    assert_eq!(mine["units"].as_array().unwrap().len(), 1, "{mine}");
    let a = row(&mine, &w.unit_a);
    assert_eq!(a["previous"]["round_id"], r2024.as_str());
    assert_eq!(
        cells(a),
        [(json!(75.0), json!(-25.0)), (json!(50.0), json!(25.0))]
    );
    assert_eq!(a["total_delta"], -8.33);
    let text = mine.to_string();
    for leak in [
        r2025.as_str(),
        "55.56",
        "Kiểm tra năm 2025",
        w.unit_b.as_str(),
        "Diễn Châu",
    ] {
        assert!(
            !text.contains(leak),
            "{leak} leaked to team 1's lead: {text}"
        );
    }
    // Team 1's inspector reads open rounds only: 2024 is closed, so A has no previous.
    let insp: Value = app.get_json(&path, &w.insp1).await;
    assert!(row(&insp, &w.unit_a)["previous"].is_null(), "{insp}");
    assert!(!insp.to_string().contains("Kiểm tra năm 2024"));
    // Team 2's lead: B and C, B against its own 2025; A is team 1's this year.
    let theirs: Value = app.get_json(&path, &w.lead2).await;
    assert_eq!(row(&theirs, &w.unit_b)["total_delta"], 16.67);
    assert!(!theirs.to_string().contains(&w.unit_a));
    // 2024 was team 1's alone: team 2's lead cannot learn it exists.
    assert_problem(
        app.authed(
            Method::GET,
            &format!("/api/v1/rounds/{r2024}/comparison"),
            &w.lead2,
        )
        .send()
        .await
        .unwrap(),
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.authed(
            Method::GET,
            &format!("/api/v1/rounds/{r2024}/comparison/xlsx"),
            &w.lead2,
        )
        .send()
        .await
        .unwrap(),
        404,
        "not_found",
    )
    .await;
}
