//! A province: 130 communes and 20 departments, all approved, reported in seconds.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use super::readers::read;
use super::*;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    a_province_of_150_units_reports_in_seconds(Engine::Sqlite).await
}

async fn a_province_of_150_units_reports_in_seconds(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let mut csv = String::from("code,name,kind\n");
    for i in 1..=130 {
        csv.push_str(&format!("XA-{i:03},Xã Nghĩa Đàn số {i},commune\n"));
    }
    for i in 1..=20 {
        csv.push_str(&format!("SO-{i:02},Sở Ngành số {i},department\n"));
    }
    let res = app
        .authed(Method::POST, "/api/v1/units/import", &w.admin)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    ok(res).await;
    let mut ids = Vec::new();
    for offset in (0..300).step_by(100) {
        let page: Value = app
            .get_json(
                &format!("/api/v1/units?limit=100&offset={offset}"),
                &w.admin,
            )
            .await;
        for u in page["items"].as_array().unwrap() {
            let code = u["code"].as_str().unwrap();
            if code.starts_with("XA-") && code.len() == 6
                || code.starts_with("SO-") && code.len() == 5
            {
                ids.push(u["id"].as_str().unwrap().to_owned());
            }
        }
    }
    assert_eq!(ids.len(), 150);
    let pairs: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(
            |(i, u)| json!({"unit_id": u, "team_id": if i % 2 == 0 { &w.team1 } else { &w.team2 }}),
        )
        .collect();
    ok(app
        .authed(
            Method::PUT,
            &format!("/api/v1/rounds/{}/assignments", w.round),
            &w.admin,
        )
        .json(&json!({"assignments": pairs}))
        .send()
        .await
        .unwrap())
    .await;
    let seeding = Instant::now();
    let choices = ["full", "part", "none"];
    let mut handles = Vec::new();
    for (i, u) in ids.iter().enumerate() {
        let (base, token, round, unit) = (
            app.base.clone(),
            w.admin.clone(),
            w.round.clone(),
            u.clone(),
        );
        let client = app.client.clone();
        handles.push(async move {
            let mut answers = json!({"a": {"value": if i % 7 == 0 { "no" } else { "yes" }}, "b": {"value": choices[i % 3]}, "d": {"value": 1 + (i % 5)}, "f": {"value": if i % 4 == 0 { "no" } else { "yes" }}});
            if i % 7 == 0 {
                answers["c"] = json!({"value": "Chưa ban hành"});
            }
            let send = |m: Method, p: String, b: Value| client.request(m, format!("{base}{p}")).bearer_auth(&token).json(&b).send();
            let x: Value = send(Method::POST, "/api/v1/inspections".into(), json!({"round_id": round, "unit_id": unit})).await.unwrap().json().await.unwrap();
            let id = x["id"].as_str().unwrap().to_owned();
            let r = send(Method::PATCH, format!("/api/v1/inspections/{id}/answers"), json!({"answers": answers})).await.unwrap();
            assert!(r.status().is_success());
            let r = send(Method::PATCH, format!("/api/v1/inspections/{id}"), json!({"strengths": format!("Ưu điểm của đơn vị {i}"), "shortcomings": "Còn hạn chế"})).await.unwrap();
            assert!(r.status().is_success());
            let r = send(Method::POST, format!("/api/v1/inspections/{id}/recommendations"), json!({"content": format!("Kiến nghị số {i}"), "due_on": "2027-06-30"})).await.unwrap();
            assert!(r.status().is_success());
            for action in ["submit", "approve"] {
                let r = send(Method::POST, format!("/api/v1/inspections/{id}/{action}"), json!(null)).await.unwrap();
                assert!(r.status().is_success(), "{action}");
            }
        });
    }
    // Four at a time, as a few leads would.
    let mut pending = handles.into_iter();
    loop {
        let batch: Vec<_> = pending.by_ref().take(4).collect();
        if batch.is_empty() {
            break;
        }
        futures_util::future::join_all(batch).await;
    }
    let seeded = seeding.elapsed();

    let started = Instant::now();
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{}/summary", w.round), &w.admin)
        .await;
    let summary_took = started.elapsed();
    assert_eq!(s["counts"]["assigned"], 153);
    assert_eq!(s["counts"]["approved"], 150);
    assert_eq!(s["counts"]["pending"], 3);
    let dir = tempfile::tempdir().unwrap();
    let mut timings = vec![("summary (JSON)".to_owned(), summary_took)];
    let mut files = Vec::new();
    for (what, name) in [
        ("docx", "r.docx"),
        ("xlsx", "r.xlsx"),
        ("csv?table=units", "units.csv"),
        ("csv?table=answers", "answers.csv"),
        ("csv?table=recommendations", "recs.csv"),
        ("chart-png", "c.png"),
        ("chart-svg", "c.svg"),
    ] {
        let (path, took) = download(&app, &w.admin, &w.round, what, dir.path(), name).await;
        assert!(took < Duration::from_secs(10), "{what} took {took:?}");
        timings.push((what.to_owned(), took));
        files.push(path);
    }
    eprintln!("province of 150 units: seeding {seeded:?}");
    for (what, took) in &timings {
        eprintln!("province of 150 units: {what}: {} ms", took.as_millis());
    }

    // The files' figures are the summary's.
    let Some(py) = python() else {
        return;
    };
    let score_of: std::collections::HashMap<String, Value> = s["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["code"].as_str().unwrap().to_owned(), u["score"].clone()))
        .collect();
    let x = read(&py, "read_xlsx.py", &[&files[1]]);
    let rows = sheet(&x, "Đơn vị")["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 154);
    for r in &rows[1..] {
        let code = r[1]["v"].as_str().unwrap();
        assert_eq!(r[6]["v"].as_f64(), score_of[code].as_f64(), "{code}");
    }
    assert_eq!(
        sheet(&x, "Kiến nghị")["rows"].as_array().unwrap().len(),
        151
    );
    let csv = read_with(&py, "read_csv.py", &[&files[2]], &[";"]);
    for r in &csv["rows"].as_array().unwrap()[1..] {
        let code = r[1].as_str().unwrap();
        let want = score_of[code]
            .as_f64()
            .map(|f| f.to_string().replace('.', ","))
            .unwrap_or_default();
        assert_eq!(r[6].as_str().unwrap(), want, "{code}");
    }
    let d = read(&py, "read_docx.py", &[&files[0]]);
    let table = d["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t[0][1] == "Đơn vị")
        .unwrap();
    assert_eq!(table.as_array().unwrap().len(), 154);
    let chart = read(&py, "read_chart.py", &[&files[5], &files[6]]);
    let texts = chart["svg"]["texts"].as_array().unwrap();
    assert!(texts.contains(&json!("Xếp loại (150 đơn vị đã duyệt)")));
    for b in s["distribution"].as_array().unwrap() {
        let pct = format!("{:.1}%", b["share"].as_f64().unwrap() * 100.0).replace('.', ",");
        let label = format!("{} ({pct})", b["count"]);
        assert!(texts.contains(&json!(label)), "{label} in {texts:?}");
    }
}
