//! What one typical device cycle costs the database (issue 19, goal 4c): the statements and
//! commits of a push of 17 answers to one inspection, as the load bench's phones send, and of
//! the incremental pull after it, counted by the server's own connections
//! (`kiemtra_db_statements_total`, `kiemtra_db_commits_total`). The bounds guard against a
//! change that quietly adds a statement per mutation; docs/performance.md has the figures.
//! Run with `-- --nocapture` to see them.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::world::{test_template, World};

both_engines!(a_push_and_a_pull_cost_a_bounded_number_of_statements);

/// Answers per push, as `benches/load` sends.
const PER_PUSH: usize = 17;

/// Per push of 17 answers (authentication included): statements and commits. Measured
/// 2026-12-03: 22 and 2 on PostgreSQL, 19 and 2 on SQLite (about 45 and 5 before the
/// statements were cut: a ping per checkout, one insert per mutation record, one audit
/// lock and head read per group, the user and device read apart).
const PUSH_STATEMENTS: u64 = 24;
const PUSH_COMMITS: u64 = 2;
/// Per incremental pull of those 17 changes (and the inspection's): 14 and 2 on PostgreSQL,
/// 13 and 2 on SQLite (about 34 and 5 before: one statement per answer).
const PULL_STATEMENTS: u64 = 16;
const PULL_COMMITS: u64 = 2;

/// The test checklist with 30 more number items, `n0` … `n29`.
fn template() -> Value {
    let mut t = test_template();
    let items = t["sections"][1]["items"].as_array_mut().unwrap();
    for i in 0..30 {
        items.push(json!({"id": format!("n{i}"), "type": "number", "label": format!("Số {i}"), "min": 0, "max": 1000}));
    }
    t
}

fn mid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// 17 answers to `items`, each from the version the device last saw.
fn answers(insp: &str, items: &[(String, i64)], value: i64) -> Value {
    let hlc = format!("{:013}:0000:p1", chrono::Utc::now().timestamp_millis());
    let m: Vec<Value> = items
        .iter()
        .map(|(item, base)| {
            json!({"mutation_id": mid(), "type": "answer.set", "inspection_id": insp,
            "item_id": item, "value": value, "base_version": base, "hlc": hlc})
        })
        .collect();
    json!({"schema_version": 1, "mutations": m})
}

async fn push(app: &TestApp, token: &str, body: &Value) -> Value {
    let res = app
        .authed(Method::POST, "/api/v1/sync/push", token)
        .json(body)
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    for r in body["results"].as_array().unwrap() {
        assert_eq!(r["status"], "applied", "{body}");
    }
    body
}

/// One pull page from `cursor`; returns the next cursor and the number of changes.
async fn pull(app: &TestApp, token: &str, cursor: &str) -> (String, usize) {
    let page: Value = app
        .get_json(
            &format!("/api/v1/sync/pull?schema_version=1&limit=1000&cursor={cursor}"),
            token,
        )
        .await;
    assert_eq!(page["has_more"], false, "{page}");
    let n = page["changes"].as_array().unwrap().len();
    (page["next_cursor"].as_str().unwrap().to_owned(), n)
}

async fn a_push_and_a_pull_cost_a_bounded_number_of_statements(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build_with_template(&app, template()).await;
    let insp = mid();
    push(
        &app,
        &w.insp1,
        &json!({"schema_version": 1, "mutations": [{"mutation_id": mid(),
        "type": "inspection.create", "id": insp, "round_id": w.round, "unit_id": w.unit_a}]}),
    )
    .await;
    // The first push answers n0..n16; the measured one answers n8..n24: 9 seen, 8 new.
    let first: Vec<(String, i64)> = (0..PER_PUSH).map(|i| (format!("n{i}"), 0)).collect();
    push(&app, &w.insp1, &answers(&insp, &first, 1)).await;
    let (cursor, _) = pull(&app, &w.insp1, "").await;
    let items: Vec<(String, i64)> = (8..8 + PER_PUSH)
        .map(|i| (format!("n{i}"), i64::from(i < PER_PUSH)))
        .collect();
    let body = answers(&insp, &items, 2);

    let before = app.db.stats().counts();
    push(&app, &w.insp1, &body).await;
    let pushed = app.db.stats().counts().since(before);
    let before = app.db.stats().counts();
    let (_, changes) = pull(&app, &w.insp1, &cursor).await;
    let pulled = app.db.stats().counts().since(before);

    eprintln!(
        "{engine:?}: push of {PER_PUSH} answers {pushed:?}; pull of {changes} changes {pulled:?}"
    );
    assert!(changes >= PER_PUSH, "{changes} changes pulled");
    assert!(
        pushed.statements <= PUSH_STATEMENTS && pushed.commits <= PUSH_COMMITS,
        "a push of {PER_PUSH} answers cost {pushed:?}"
    );
    assert!(
        pulled.statements <= PULL_STATEMENTS && pulled.commits <= PULL_COMMITS,
        "a pull of {changes} changes cost {pulled:?}"
    );
}
