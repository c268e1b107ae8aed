//! `cargo bench --bench reports`: a province's round (130 communes and 20 departments, every
//! inspection answered on the 2026 checklist and approved) compiled and exported over HTTP,
//! each file timed, on SQLite; see docs/performance.md. The files are left in
//! `<target>/tmp/reports-sample/` to look at.
//!
//! The checklist is `schemas/templates/dvcq-2026.json` without its evidence rules: photos
//! arrive with the evidence feature, and until then an item that needs one cannot be submitted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use kiemtra::audit::Actor;
use kiemtra::auth::{password, Role};
use kiemtra::config::{Secret, Settings};
use kiemtra::startup::{open_database, Application};
use kiemtra::users::service::{self as users, NewUser};
use serde_json::{json, Map, Value};

const COMMUNES: usize = 130;
const DEPARTMENTS: usize = 20;

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {v}");
    v
}

fn checklist() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schemas/templates/dvcq-2026.json"
    );
    let mut t: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    t["code"] = json!("dvcq-2026-bench");
    for s in t["sections"].as_array_mut().unwrap() {
        for i in s["items"].as_array_mut().unwrap() {
            i.as_object_mut().unwrap().remove("evidence");
        }
    }
    t
}

/// A small deterministic generator: each unit gets a "quality" so scores spread over the
/// bands, and each item a draw against it.
fn draw(unit: usize, item: usize) -> f64 {
    let x = (unit as u64 * 2_654_435_761 + item as u64 * 40_503 + 12_345) % 10_007;
    x as f64 / 10_007.0
}

fn answers(t: &Value, unit: usize) -> Value {
    let quality = 0.45 + 0.55 * draw(unit, 999);
    let mut out = Map::new();
    let mut n = 0;
    for s in t["sections"].as_array().unwrap() {
        for i in s["items"].as_array().unwrap() {
            n += 1;
            if let Some(cond) = i.get("visible_if") {
                let dep = out
                    .get(cond["item"].as_str().unwrap())
                    .map(|a| a["value"].clone());
                if dep.as_ref() != Some(&cond["equals"]) {
                    continue;
                }
            }
            let good = draw(unit, n) < quality;
            let value = match i["type"].as_str().unwrap() {
                "yes_no" => json!(if good { "yes" } else { "no" }),
                "single_choice" => {
                    let opts = i["options"].as_array().unwrap();
                    let k = if good {
                        0
                    } else if draw(unit, n + 50) < 0.6 {
                        1
                    } else {
                        opts.len() - 1
                    };
                    opts[k.min(opts.len() - 1)]["value"].clone()
                }
                "number" => json!(1 + unit % 12),
                "date" => json!(format!("2026-03-{:02}", 1 + unit % 9)),
                "text" => json!(format!("Ghi nhận của đoàn tại đơn vị số {unit}")),
                _ => continue,
            };
            out.insert(
                i["id"].as_str().unwrap().to_owned(),
                json!({ "value": value }),
            );
        }
    }
    Value::Object(out)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reports-sample");
    std::fs::create_dir_all(&sample).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let settings = Settings { bind: "127.0.0.1:0".into(), data_dir: dir.path().to_path_buf(), jwt_secret: Some(Secret::new("bench-secret-bench-secret-bench-secret")), ..Settings::default() };
        let db = open_database(&settings).await.unwrap();
        for (u, role) in [("admin", Role::Admin), ("lead1", Role::Lead), ("lead2", Role::Lead)] {
            let new = NewUser { username: u.into(), full_name: format!("Trưởng đoàn {u}"), role, password_hash: password::hash("bench-password").unwrap(), unit_id: None, email: None };
            db.write(move |c| users::create(c, &Actor::cli(), &new)).await.unwrap();
        }
        let app = Application::build_with(settings, db).await.unwrap();
        let base = format!("http://{}", app.addr());
        tokio::spawn(app.run_until_stopped());
        let http = reqwest::Client::new();
        let login = |u: &'static str| {
            let (http, base) = (http.clone(), base.clone());
            async move { ok(http.post(format!("{base}/api/v1/auth/login")).json(&json!({"username": u, "password": "bench-password"})).send().await.unwrap()).await }
        };
        let admin = login("admin").await["access_token"].as_str().unwrap().to_owned();
        let lead_ids = [login("lead1").await["user"]["id"].clone(), login("lead2").await["user"]["id"].clone()];
        let send = |m: reqwest::Method, path: &str, body: Value| http.request(m, format!("{base}{path}")).bearer_auth(&admin).json(&body).send();
        let post = |path: &str, body: Value| send(reqwest::Method::POST, path, body);
        let mut teams = Vec::new();
        for (k, lead) in lead_ids.iter().enumerate() {
            let name = ["Đoàn kiểm tra số 1 (Sở Nội vụ)", "Đoàn kiểm tra số 2 (Ban Tuyên giáo và Dân vận)"][k];
            teams.push(ok(post("/api/v1/teams", json!({"name": name, "lead_id": lead, "member_ids": []})).await.unwrap()).await["id"].as_str().unwrap().to_owned());
        }
        let t = checklist();
        let tpl = ok(post("/api/v1/templates", t.clone()).await.unwrap()).await["template_id"].as_str().unwrap().to_owned();
        let version = ok(post(&format!("/api/v1/templates/{tpl}/publish"), json!(null)).await.unwrap()).await["id"].as_str().unwrap().to_owned();
        let round = ok(post("/api/v1/rounds", json!({"name": "Kiểm tra công tác dân vận chính quyền năm 2026", "kind": "year", "template_version_id": version, "starts_on": "2026-10-01", "ends_on": "2026-11-20", "due_on": "2026-11-30", "status": "open"})).await.unwrap()).await["id"].as_str().unwrap().to_owned();
        let communes = ["Xã Nghi Lộc", "Xã Diễn Châu", "Xã Anh Sơn", "Xã Quỳnh Lưu", "Xã Đô Lương", "Xã Thanh Chương", "Xã Nam Đàn", "Xã Hưng Nguyên", "Xã Yên Thành", "Xã Con Cuông"];
        let departments = ["Sở Tài chính", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Xây dựng", "Sở Nông nghiệp và Môi trường"];
        let mut csv = String::from("code,name,kind\n");
        for i in 0..COMMUNES {
            csv.push_str(&format!("XA-{i:03},{} {},commune\n", communes[i % communes.len()], i / communes.len() + 1));
        }
        for i in 0..DEPARTMENTS {
            csv.push_str(&format!("SO-{i:02},{} {},department\n", departments[i % departments.len()], i / departments.len() + 1));
        }
        ok(http.post(format!("{base}/api/v1/units/import")).bearer_auth(&admin).header("content-type", "text/csv").body(csv).send().await.unwrap()).await;
        let units = ok(http.get(format!("{base}/api/v1/units?limit=500")).bearer_auth(&admin).send().await.unwrap()).await;
        let unit_ids: Vec<String> = units["items"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(unit_ids.len(), COMMUNES + DEPARTMENTS);
        let assignments: Vec<Value> = unit_ids.iter().enumerate().map(|(i, u)| json!({"unit_id": u, "team_id": teams[i % 2]})).collect();
        ok(send(reqwest::Method::PUT, &format!("/api/v1/rounds/{round}/assignments"), json!({"assignments": assignments})).await.unwrap()).await;

        let seeding = Instant::now();
        for (i, unit) in unit_ids.iter().enumerate() {
            let id = ok(post("/api/v1/inspections", json!({"round_id": round, "unit_id": unit})).await.unwrap()).await["id"].as_str().unwrap().to_owned();
            ok(send(reqwest::Method::PATCH, &format!("/api/v1/inspections/{id}/answers"), json!({"answers": answers(&t, i)})).await.unwrap()).await;
            ok(send(reqwest::Method::PATCH, &format!("/api/v1/inspections/{id}"), json!({
                "strengths": "Ban hành kịp thời Chương trình công tác dân vận chính quyền năm 2026; duy trì tiếp công dân định kỳ.",
                "shortcomings": if i % 3 == 0 { "Chưa xây dựng được mô hình điểm sáng về dân vận chính quyền." } else { "Việc đối thoại với Nhân dân còn ít." },
                "causes": "Cán bộ phụ trách công tác dân vận kiêm nhiệm nhiều việc."})).await.unwrap()).await;
            ok(post(&format!("/api/v1/inspections/{id}/recommendations"), json!({"content": "Xây dựng và đăng ký điểm sáng về dân vận chính quyền năm 2027", "responsible_unit_id": unit, "due_on": "2027-03-31"})).await.unwrap()).await;
            ok(post(&format!("/api/v1/inspections/{id}/submit"), json!(null)).await.unwrap()).await;
            ok(post(&format!("/api/v1/inspections/{id}/approve"), json!(null)).await.unwrap()).await;
        }
        let seeded = seeding.elapsed();
        ok(send(reqwest::Method::PUT, &format!("/api/v1/rounds/{round}/teams/{}/conclusion", teams[0]), json!({"body": "Các đơn vị đã triển khai nghiêm túc Kế hoạch công tác dân vận chính quyền năm 2026; cần tập trung xây dựng điểm sáng và tăng cường đối thoại với Nhân dân."})).await.unwrap()).await;

        println!("reports bench: {} units, {} items each; seeding through the API took {:.1} s", unit_ids.len(), t["sections"].as_array().unwrap().iter().map(|s| s["items"].as_array().unwrap().len()).sum::<usize>(), seeded.as_secs_f64());
        println!("| what | time | size |\n| --- | --- | --- |");
        let started = Instant::now();
        let summary = http.get(format!("{base}/api/v1/rounds/{round}/summary")).bearer_auth(&admin).send().await.unwrap().bytes().await.unwrap();
        println!("| summary (JSON) | {} ms | {} KB |", started.elapsed().as_millis(), summary.len() / 1024);
        std::fs::write(sample.join("summary.json"), &summary).unwrap();
        for (what, file) in [("progress", "progress.json"), ("exports/docx", "bao-cao.docx"), ("exports/xlsx", "ket-qua.xlsx"), ("exports/csv?table=units", "don-vi.csv"), ("exports/csv?table=answers", "cau-tra-loi.csv"), ("exports/csv?table=recommendations", "kien-nghi.csv"), ("exports/chart-png", "bieu-do.png"), ("exports/chart-svg", "bieu-do.svg")] {
            let started = Instant::now();
            let res = http.get(format!("{base}/api/v1/rounds/{round}/{what}")).bearer_auth(&admin).send().await.unwrap();
            assert!(res.status().is_success(), "{what}");
            let bytes = res.bytes().await.unwrap();
            println!("| {what} | {} ms | {} KB |", started.elapsed().as_millis(), bytes.len() / 1024);
            std::fs::write(sample.join(file), &bytes).unwrap();
        }
        println!("files in {}", sample.display());
    });
}
