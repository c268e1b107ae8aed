//! `cargo bench --bench web`: the round dashboard of a province-sized round (500 units in 10
//! teams, 400 inspections answered on the 2026 checklist, 100 not started), rendered by the
//! real server over HTTP with a signed-in administrator's cookie, beside the JSON progress
//! endpoint of the same round (the API's own answer to "how far are we"). Reports p50/p95/max
//! and the page's bytes, raw and gzipped. See docs/performance.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use kiemtra::audit::Actor;
use kiemtra::auth::{password, Role};
use kiemtra::config::{Secret, Settings};
use kiemtra::db::{Db, DbConn};
use kiemtra::scope::Scope;
use kiemtra::startup::{open_database, Application};
use kiemtra::users::service::{self as users, NewUser};

const UNITS: usize = 500;
const TEAMS: usize = 10;
const STARTED: usize = 400;
const RUNS: usize = 40;

fn user(c: &mut DbConn, name: &str, role: Role, hash: &str) -> String {
    let new = NewUser {
        username: name.into(),
        full_name: format!("Cán bộ {name}"),
        role,
        password_hash: hash.into(),
        unit_id: None,
        email: None,
    };
    users::create(c, &Actor::cli(), &new).unwrap().id
}

/// The round, its teams and units, and the answered inspections; returns the round id.
fn seed(c: &mut DbConn) -> String {
    let hash = password::hash("bench-password-1").unwrap();
    let admin_id = user(c, "admin", Role::Admin, &hash);
    let admin = Actor {
        user_id: Some(admin_id),
        device_id: None,
    };
    let version = kiemtra::templates::install::install_default(c, &admin, false)
        .unwrap()
        .version_id;
    let (_, template) = kiemtra::templates::service::published_template(c, &version).unwrap();
    let mut csv = String::from("code,name,kind\n");
    for i in 0..UNITS {
        csv.push_str(&format!("X{i:03},Xã Thử Nghiệm {i},commune\n"));
    }
    let rows = kiemtra::units::csv_import::parse(csv.as_bytes()).unwrap();
    kiemtra::units::service::import(c, &admin, &rows).unwrap();
    let round = kiemtra::rounds::service::create(
        c,
        &admin,
        &kiemtra::rounds::service::RoundInput {
            name: "Kiểm tra năm 2026 (benchmark)".into(),
            kind: "year".into(),
            template_version_id: version,
            starts_on: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            due_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            status: "open".into(),
            plan_number: None,
            plan_date: None,
        },
    )
    .unwrap();
    let mut inspectors = Vec::new();
    let mut pairs = Vec::new();
    for t in 0..TEAMS {
        let lead = user(c, &format!("lead{t}"), Role::Lead, &hash);
        let insp = user(c, &format!("insp{t}"), Role::Inspector, &hash);
        let team = kiemtra::teams::service::create(
            c,
            &admin,
            &kiemtra::teams::service::TeamInput {
                name: format!("Đoàn kiểm tra số {}", t + 1),
                lead_id: lead,
                member_ids: vec![insp.clone()],
            },
        )
        .unwrap();
        inspectors.push((team.id.clone(), insp));
        for i in (t..UNITS).step_by(TEAMS) {
            let unit = kiemtra::units::store::find_by_code(c, &format!("X{i:03}"))
                .unwrap()
                .unwrap();
            pairs.push((unit.id, team.id.clone()));
        }
    }
    kiemtra::rounds::assign::assign(c, &admin, &round.id, &pairs).unwrap();
    let answers = kiemtra::demo::findings::complete_answers(&template);
    for (unit, team) in pairs.iter().take(STARTED) {
        let insp = &inspectors.iter().find(|(t, _)| t == team).unwrap().1;
        let actor = Actor {
            user_id: Some(insp.clone()),
            device_id: None,
        };
        let scope = Scope::for_user(c, insp, Role::Inspector).unwrap();
        let id = kiemtra::db::new_id();
        kiemtra::inspections::service::create(c, &actor, &scope, &id, &round.id, unit).unwrap();
        kiemtra::inspections::service::save_answers(c, &actor, &scope, &id, &answers, None)
            .unwrap();
    }
    round.id
}

fn stats(mut ms: Vec<f64>) -> String {
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    format!(
        "p50 {:>6.1} ms   p95 {:>6.1} ms   max {:>6.1} ms",
        at(0.5),
        at(0.95),
        at(1.0)
    )
}

async fn time(client: &reqwest::Client, url: &str, headers: &[(&str, &str)]) -> (Vec<f64>, usize) {
    let mut ms = Vec::new();
    let mut bytes = 0;
    for _ in 0..RUNS {
        let mut req = client.get(url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let t = Instant::now();
        let res = req.send().await.unwrap();
        assert!(res.status().is_success(), "{url}: {}", res.status());
        bytes = res.bytes().await.unwrap().len();
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    (ms, bytes)
}

async fn compressed_size(client: &reqwest::Client, url: &str) -> usize {
    let res = client
        .get(url)
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    res.bytes().await.unwrap().len()
}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            bind: "127.0.0.1:0".into(),
            data_dir: dir.path().to_path_buf(),
            jwt_secret: Some(Secret::new("bench-secret-bench-secret-bench-secret")),
            ..Settings::default()
        };
        let db: Db = open_database(&settings).await.unwrap();
        let t = Instant::now();
        let round = db
            .write(|c| Ok::<_, kiemtra::error::ApiError>(seed(c)))
            .await
            .unwrap();
        eprintln!(
            "seeded {UNITS} units, {STARTED} answered inspections in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let app = Application::build_with(settings, db).await.unwrap();
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());

        let plain = reqwest::Client::builder()
            .no_gzip()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let form = [("username", "admin"), ("password", "bench-password-1")];
        let res = plain
            .post(format!("{base}/dang-nhap"))
            .header("Origin", &base)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let token: serde_json::Value = plain
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"username": "admin", "password": "bench-password-1"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());

        let page = format!("{base}/dot/{round}");
        let api = format!("{base}/api/v1/rounds/{round}/progress");
        let (page_ms, page_bytes) = time(&plain, &page, &[]).await;
        let (api_ms, api_bytes) = time(&plain, &api, &[("Authorization", &bearer)]).await;
        let filtered = format!("{page}?q=xa+thu+nghiem+49&sap-xep=can-xu-ly");
        let (filtered_ms, _) = time(&plain, &filtered, &[]).await;
        let gz = compressed_size(&plain, &page).await;
        println!(
            "round dashboard, {UNITS} units ({STARTED} answered), {RUNS} requests each, SQLite:"
        );
        println!(
            "  GET /dot/{{id}}                 (HTML)  {}   {page_bytes} B, {gz} B gzipped",
            stats(page_ms)
        );
        println!(
            "  GET /dot/{{id}}?q=…&sap-xep=…   (HTML)  {}",
            stats(filtered_ms)
        );
        println!(
            "  GET /api/v1/rounds/{{id}}/progress (JSON) {}   {api_bytes} B",
            stats(api_ms)
        );
    });
}
