//! Due dates of unit reports: last year's are chased in the new year when Sở Nội vụ set their
//! due date into it (a year report due in January), and not when long overdue; a lead reads
//! the own due dates of their teams' units only; the audit trail keeps the date replaced
//! (docs/unit-reports.md).

use chrono::Datelike;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::self_assessment::unit_user;
use crate::world::World;

both_engines!(
    last_years_report_due_this_year_is_chased,
    a_lead_reads_own_due_dates_of_their_units_only,
    the_same_write_at_once_succeeds_twice,
);

async fn put_dues(app: &TestApp, admin: &str, year: i32, body: Value) {
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/unit-reports/due-dates/{year}"),
            admin,
        )
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn remind(app: &TestApp, admin: &str) -> i64 {
    let res = app
        .authed(Method::POST, "/api/v1/unit-reports/reminders", admin)
        .send()
        .await
        .unwrap();
    let v: Value = res.json().await.unwrap();
    v["created"].as_i64().unwrap_or_else(|| panic!("{v}"))
}

async fn last_years_report_due_this_year_is_chased(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let today = kiemtra::time::today_local();
    let far = (today + chrono::Duration::days(60)).to_string();
    let this_year = today.year();
    // Nothing of this year is near; last year's are long past their (default) dates.
    put_dues(
        &app,
        &w.admin,
        this_year,
        json!({"programme": far, "half_year": far, "year": far, "dan_van_article": far}),
    )
    .await;
    assert_eq!(remind(&app, &w.admin).await, 0, "long overdue: not chased");
    // Last year's year report now falls due in 3 days (in January, say): chased.
    let soon = (today + chrono::Duration::days(3)).to_string();
    put_dues(&app, &w.admin, this_year - 1, json!({"year": soon})).await;
    assert_eq!(remind(&app, &w.admin).await, 1);
    // The representative reads it through the API as the web app does.
    let mine: Value = app.get_json("/api/v1/notifications", &a).await;
    let text = mine.to_string();
    assert!(text.contains(&format!("năm {}", this_year - 1)), "{text}");
}

async fn set_own(app: &TestApp, admin: &str, year: i32, unit: &str, due: Value) -> Value {
    let path = format!("/api/v1/unit-reports/due-dates/{year}/units/{unit}");
    let res = app
        .authed(Method::PUT, &path, admin)
        .json(&json!({"kind": "programme", "due_on": due}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn own_units(v: &Value) -> Vec<String> {
    let mut u: Vec<String> = v["overrides"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["unit_id"].as_str().unwrap().to_owned())
        .collect();
    u.sort();
    u
}

async fn a_lead_reads_own_due_dates_of_their_units_only(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let y = kiemtra::time::today_local().year();
    set_own(&app, &w.admin, y, &w.unit_a, json!(format!("{y}-04-01"))).await;
    set_own(&app, &w.admin, y, &w.unit_b, json!(format!("{y}-04-02"))).await;
    // Moved again: the trail keeps the date it replaced.
    set_own(&app, &w.admin, y, &w.unit_a, json!(format!("{y}-04-20"))).await;
    let path = format!("/api/v1/unit-reports/due-dates?year={y}");
    let all: Value = app.get_json(&path, &w.admin).await;
    let mut both = vec![w.unit_a.clone(), w.unit_b.clone()];
    both.sort();
    assert_eq!(own_units(&all), both);
    let viewer: Value = app.get_json(&path, &w.viewer).await;
    assert_eq!(own_units(&viewer), both);
    let lead1: Value = app.get_json(&path, &w.lead1).await;
    assert_eq!(
        own_units(&lead1),
        vec![w.unit_a.clone()],
        "team 1's unit A only"
    );
    let lead2: Value = app.get_json(&path, &w.lead2).await;
    assert!(!lead2.to_string().contains(&w.unit_a), "{lead2}");

    let log: Vec<Value> = app
        .get_json(
            &format!(
                "/api/v1/audit?entity=report_due_override&entity_id={}",
                w.unit_a
            ),
            &w.admin,
        )
        .await;
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(log[0]["before"]["due_on"].is_null(), "{log:?}");
    assert_eq!(log[1]["before"]["due_on"], format!("{y}-04-01"));
    assert_eq!(log[1]["after"]["due_on"], format!("{y}-04-20"));
    // Cleared: the trail says from what.
    set_own(&app, &w.admin, y, &w.unit_a, Value::Null).await;
    let log: Vec<Value> = app
        .get_json(
            &format!(
                "/api/v1/audit?entity=report_due_override&entity_id={}",
                w.unit_a
            ),
            &w.admin,
        )
        .await;
    assert_eq!(log[2]["before"]["due_on"], format!("{y}-04-20"));
    assert!(log[2]["after"]["due_on"].is_null());
}

/// Two administrators saving at once, and a phone's retry racing its first send: each write
/// succeeds (on PostgreSQL these hit the key: a 500), and one row is left.
async fn the_same_write_at_once_succeeds_twice(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let y = kiemtra::time::today_local().year();
    for round in 0..5 {
        let dues = format!("/api/v1/unit-reports/due-dates/{y}");
        let own = format!("{dues}/units/{}", w.unit_a);
        let day = format!("{y}-05-{:02}", 10 + round);
        let put =
            |path: String, body: Value| app.authed(Method::PUT, &path, &w.admin).json(&body).send();
        let (r1, r2, r3, r4) = tokio::join!(
            put(dues.clone(), json!({"half_year": day})),
            put(dues.clone(), json!({"half_year": day})),
            put(own.clone(), json!({"kind": "year", "due_on": day})),
            put(own.clone(), json!({"kind": "year", "due_on": day})),
        );
        for r in [r1, r2, r3, r4] {
            let r = r.unwrap();
            assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        }
        let id = uuid::Uuid::new_v4().to_string();
        let file = crate::unit_reports::pdf(&format!("lần {round}"));
        let (s1, s2) = tokio::join!(
            crate::unit_reports::send(&app, &a, "programme", &id, "ct.pdf", file.clone()),
            crate::unit_reports::send(&app, &a, "programme", &id, "ct.pdf", file.clone()),
        );
        let mut codes = [s1.status().as_u16(), s2.status().as_u16()];
        codes.sort();
        assert_eq!(codes, [200, 201], "{}", s2.text().await.unwrap());
    }
    let list: Value = app
        .get_json(
            &format!("/api/v1/unit-reports?year={y}&unit_id={}", w.unit_a),
            &w.admin,
        )
        .await;
    let programme = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "programme")
        .unwrap();
    assert_eq!(programme["submissions"].as_array().unwrap().len(), 5);
}
