//! Crash safety: the server process is SIGKILLed while pushes are in flight and restarted on
//! the same data. Every batch must then be wholly applied or not at all, and retrying every
//! batch must give the right answers and apply each mutation exactly once.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::cli::{kiemtra, Server};
use crate::helpers::{TestApp, JWT_SECRET};
use crate::world::World;

const BATCHES: usize = 40;
const PER_BATCH: usize = 25;

fn batch(k: usize, inspection: &str) -> Value {
    let mutations: Vec<Value> = (0..PER_BATCH)
        .map(|i| {
            json!({
                "mutation_id": format!("00000000-0000-4000-8000-{:012}", k * 1000 + i),
                "type": "comment.create",
                "id": format!("00000000-0000-4000-9000-{:012}", k * 1000 + i),
                "inspection_id": inspection,
                "body": format!("batch-{k}-{i}"),
            })
        })
        .collect();
    json!({"schema_version": 1, "mutations": mutations})
}

fn run(engine: crate::helpers::Engine) {
    let dir = tempfile::tempdir().unwrap();
    let url = match engine {
        crate::helpers::Engine::Sqlite => None,
        crate::helpers::Engine::Postgres => match crate::pg::fresh_database() {
            Ok(u) => Some(u),
            Err(why) if crate::pg::required() => panic!("PostgreSQL required: {why}"),
            Err(why) => {
                eprintln!("!!!!!!!! POSTGRESQL CRASH TEST SKIPPED: {why}");
                return;
            }
        },
    };

    // Build the world in-process, then stop that server (dropping its runtime).
    let (token, inspection) = {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let app = TestApp::spawn_in(dir.path(), url.clone()).await;
            let w = World::build(&app).await;
            let res = app
                .authed(Method::POST, "/api/v1/inspections", &w.insp1)
                .json(&json!({"round_id": w.round, "unit_id": w.unit_a}))
                .send()
                .await
                .unwrap();
            let insp: Value = res.json().await.unwrap();
            (w.insp1.clone(), insp["id"].as_str().unwrap().to_owned())
        })
    };

    let start = || {
        let mut cmd = kiemtra(dir.path());
        cmd.args(["serve", "--bind", "127.0.0.1:0"])
            .env("KIEMTRA_JWT_SECRET", JWT_SECRET);
        if let Some(u) = &url {
            cmd.env("KIEMTRA_DATABASE_URL", u);
        }
        Server::start(cmd)
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = reqwest::Client::new();

    // Fire batches concurrently and kill the server while they run.
    let mut server = start();
    let base = server.url("");
    let sent = rt.block_on(async {
        let mut tasks = Vec::new();
        for k in 0..BATCHES {
            let (client, base, token, body) = (
                client.clone(),
                base.clone(),
                token.clone(),
                batch(k, &inspection),
            );
            tasks.push(tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(5 * k as u64)).await;
                client
                    .post(format!("{base}/api/v1/sync/push"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .ok()
            }));
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        tasks
    });
    server.sigkill();
    let outcomes: Vec<Option<u16>> = rt.block_on(async {
        let mut v = Vec::new();
        for t in sent {
            v.push(t.await.unwrap());
        }
        v
    });
    let answered = outcomes.iter().filter(|o| **o == Some(200)).count();
    eprintln!("crash test ({engine:?}): {answered} of {BATCHES} batches answered before the kill");
    assert!(
        answered < BATCHES,
        "the kill came too late to test anything"
    );

    // Restart on the same data: each batch is all there or not there at all.
    let server = start();
    rt.block_on(async {
        let comments = |client: reqwest::Client, url: String, token: String| async move {
            let rows: Vec<Value> = client
                .get(url)
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            rows
        };
        let list_url = server.url(&format!("/api/v1/inspections/{inspection}/comments"));
        let before = comments(client.clone(), list_url.clone(), token.clone()).await;
        for (k, outcome) in outcomes.iter().enumerate() {
            let n = before
                .iter()
                .filter(|c| {
                    c["body"]
                        .as_str()
                        .unwrap()
                        .starts_with(&format!("batch-{k}-"))
                })
                .count();
            assert!(
                n == 0 || n == PER_BATCH,
                "batch {k} half applied: {n} of {PER_BATCH}"
            );
            if *outcome == Some(200) {
                assert_eq!(
                    n, PER_BATCH,
                    "batch {k} was acknowledged, so it must have survived"
                );
            }
        }
        let present = (0..BATCHES)
            .filter(|k| {
                before.iter().any(|c| {
                    c["body"]
                        .as_str()
                        .unwrap()
                        .starts_with(&format!("batch-{k}-"))
                })
            })
            .count();
        eprintln!("crash test: {present} of {BATCHES} batches present after restart");
        // Retrying every batch gives each mutation its answer and applies nothing twice.
        for k in 0..BATCHES {
            let res = client
                .post(server.url("/api/v1/sync/push"))
                .bearer_auth(&token)
                .json(&batch(k, &inspection))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            let body: Value = res.json().await.unwrap();
            assert!(
                body["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|r| r["status"] == "applied"),
                "{body}"
            );
        }
        let after = comments(client.clone(), list_url, token.clone()).await;
        assert_eq!(
            after.len(),
            BATCHES * PER_BATCH,
            "every mutation exactly once"
        );
    });
}

#[test]
fn killed_mid_push_each_batch_is_all_or_nothing_sqlite() {
    run(crate::helpers::Engine::Sqlite);
}

#[test]
fn killed_mid_push_each_batch_is_all_or_nothing_postgres() {
    run(crate::helpers::Engine::Postgres);
}
