//! The province the devices work in: one team of five inspectors (and a lead) per five units,
//! every unit assigned in one open round on the bundled 2026 checklist.
//!
//! Accounts are written straight into the database before any server starts, all with one
//! Argon2 hash (hashing 600 passwords would take the server half a minute and is not what is
//! measured); everything else goes through the API as an administrator would do it.

use std::path::Path;

use futures_util::{stream, StreamExt};
use kiemtra::audit::Actor;
use kiemtra::auth::{password, Role};
use kiemtra::config::{Secret, Settings};
use kiemtra::users::service::{self as users, NewUser};
use serde_json::{json, Value};

pub const PASSWORD: &str = "load-bench-password";
pub const TEAM_SIZE: usize = 5;

pub struct Accounts {
    pub template_version: String,
    /// The user ids of `lead{t}` and `insp{i}`, in order.
    pub leads: Vec<String>,
    pub inspectors: Vec<String>,
}

/// Migrates the database and makes the accounts: `admin`, `lead{t}`, `insp{i}`.
pub async fn accounts(data_dir: &Path, database_url: Option<&str>, devices: usize) -> Accounts {
    let settings = Settings {
        data_dir: data_dir.to_path_buf(),
        database_url: database_url.map(Secret::new),
        jwt_secret: Some(Secret::new(super::procs::JWT_SECRET)),
        db_pool_size: 2,
        ..Settings::default()
    };
    let db = kiemtra::startup::open_database(&settings).await.unwrap();
    let hash = password::hash(PASSWORD).unwrap();
    let teams = devices.div_ceil(TEAM_SIZE);
    let ids = db
        .write(move |c| {
            let mut ids = Vec::new();
            let mut people = vec![("admin".to_owned(), Role::Admin)];
            people.extend((0..teams).map(|t| (format!("lead{t}"), Role::Lead)));
            people.extend((0..devices).map(|i| (format!("insp{i}"), Role::Inspector)));
            for (username, role) in people {
                let new = NewUser {
                    full_name: format!("Người đo {username}"),
                    username,
                    role,
                    password_hash: hash.clone(),
                    unit_id: None,
                    email: None,
                };
                ids.push(users::create(c, &Actor::cli(), &new)?.id);
            }
            Ok::<_, users::UserError>(ids)
        })
        .await
        .unwrap();
    kiemtra::cli::install_default(&db, None, false)
        .await
        .unwrap();
    let template_version = db
        .read(|c| {
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            use kiemtra::db::schema::template_versions as tv;
            tv::table
                .filter(tv::status.eq("published"))
                .select(tv::id)
                .first::<String>(c)
                .map_err(kiemtra::db::DbError::from)
        })
        .await
        .unwrap();
    Accounts {
        template_version,
        leads: ids[1..=teams].to_vec(),
        inspectors: ids[teams + 1..].to_vec(),
    }
}

pub async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {v}");
    v
}

pub async fn login(http: &reqwest::Client, base: &str, username: &str, device: &str) -> String {
    let body = json!({"username": username, "password": PASSWORD, "device_name": device});
    for _ in 0..20 {
        let res = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&body)
            .send()
            .await
            .unwrap();
        if res.status() == 429 {
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            continue;
        }
        return ok(res).await["access_token"].as_str().unwrap().to_owned();
    }
    panic!("{username} could not sign in");
}

/// Units, teams, the round and its assignments; returns the round's id and each device's unit
/// (device `i` inspects unit `i`, in team `i / TEAM_SIZE`).
pub async fn province(
    http: &reqwest::Client,
    base: &str,
    accounts: &Accounts,
    devices: usize,
) -> (String, Vec<String>) {
    let template_version = &accounts.template_version;
    let admin = login(http, base, "admin", "seed").await;
    let csv: String = std::iter::once("code,name,kind".to_owned())
        .chain((0..devices).map(|i| format!("LB{i:04},Xã đo số {i},xã")))
        .collect::<Vec<_>>()
        .join("\n");
    ok(http
        .post(format!("{base}/api/v1/units/import"))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap())
    .await;
    let mut by_code = std::collections::HashMap::new();
    for offset in (0..).step_by(500) {
        let page = ok(http
            .get(format!("{base}/api/v1/units?limit=500&offset={offset}"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap())
        .await;
        let items = page["items"].as_array().unwrap();
        for u in items {
            by_code.insert(
                u["code"].as_str().unwrap().to_owned(),
                u["id"].as_str().unwrap().to_owned(),
            );
        }
        if items.len() < 500 {
            break;
        }
    }
    let units: Vec<String> = (0..devices)
        .map(|i| by_code[&format!("LB{i:04}")].clone())
        .collect();
    let teams: Vec<String> = stream::iter(0..devices.div_ceil(TEAM_SIZE))
        .map(|t| {
            let admin = admin.clone();
            let lead = accounts.leads[t].clone();
            let members =
                accounts.inspectors[t * TEAM_SIZE..((t + 1) * TEAM_SIZE).min(devices)].to_vec();
            async move {
                let body =
                    json!({"name": format!("Đoàn đo {t}"), "lead_id": lead, "member_ids": members});
                ok(http
                    .post(format!("{base}/api/v1/teams"))
                    .bearer_auth(&admin)
                    .json(&body)
                    .send()
                    .await
                    .unwrap())
                .await["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            }
        })
        .buffered(4)
        .collect()
        .await;
    let round = json!({"name": "Đợt đo tải", "kind": "thematic", "template_version_id": template_version,
        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "due_on": "2026-12-31", "status": "open"});
    let round = ok(http
        .post(format!("{base}/api/v1/rounds"))
        .bearer_auth(&admin)
        .json(&round)
        .send()
        .await
        .unwrap())
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let assignments: Vec<Value> = units
        .iter()
        .enumerate()
        .map(|(i, u)| json!({"unit_id": u, "team_id": teams[i / TEAM_SIZE]}))
        .collect();
    ok(http
        .put(format!("{base}/api/v1/rounds/{round}/assignments"))
        .bearer_auth(&admin)
        .json(&json!({ "assignments": assignments }))
        .send()
        .await
        .unwrap())
    .await;
    (round, units)
}
