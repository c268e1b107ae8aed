//! Sync under load (issue 19): pushes overlap, because a transaction takes its change-log
//! numbers only at its very end; and pulls answer while every write connection is blocked.
//! Both are proven by holding a lock or a transaction open, not by timing.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

both_engines!(pulls_answer_while_every_writer_is_blocked);

/// Long enough that only a wait on another transaction can exceed it.
const PATIENCE: Duration = Duration::from_secs(10);

fn mid() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn push(app: &TestApp, token: &str, mutations: Value) -> reqwest::Response {
    app.authed(Method::POST, "/api/v1/sync/push", token)
        .json(&json!({"schema_version": 1, "mutations": mutations}))
        .send()
        .await
        .unwrap()
}

async fn new_inspection(app: &TestApp, token: &str, w: &World, unit: &str) -> String {
    let id = mid();
    let res = push(app, token, json!([{"mutation_id": mid(), "type": "inspection.create", "id": id, "round_id": w.round, "unit_id": unit}])).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["results"][0]["status"], "applied", "{body}");
    id
}

fn answer(insp: &str, value: i64) -> Value {
    json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": value, "hlc": format!("{:013}:0000:p1", chrono::Utc::now().timestamp_millis())}])
}

/// The seq of the latest change of `entity`/`id` the admin pulls.
async fn seq_of(app: &TestApp, token: &str, entity: &str, id: &str) -> i64 {
    let mut cursor = String::new();
    let mut found = None;
    loop {
        let page: Value = app
            .get_json(
                &format!("/api/v1/sync/pull?schema_version=1&limit=5000&cursor={cursor}"),
                token,
            )
            .await;
        for c in page["changes"].as_array().unwrap() {
            if c["entity"] == entity && c["id"] == id {
                found = c["seq"].as_i64();
            }
        }
        cursor = page["next_cursor"].as_str().unwrap().to_owned();
        if !page["has_more"].as_bool().unwrap() {
            return found.unwrap_or_else(|| panic!("{entity}/{id} never pulled"));
        }
    }
}

/// A writer stops half-way through its transaction, after recording a change and an audit
/// entry, which is where the old code had locked the counter (and the audit chain) until its
/// commit. A push through the server must complete meanwhile; and when the held transaction
/// commits after it, its change comes later in the log: commit order is still seq order.
/// (PostgreSQL only: SQLite has one writer by design.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_overlap_on_postgresql() {
    let Some(app) = TestApp::spawn(Engine::Postgres).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = new_inspection(&app, &w.insp1, &w, &w.unit_a).await;
    let (reached, reached_rx) = tokio::sync::oneshot::channel();
    let (go, go_rx) = std::sync::mpsc::channel::<()>();
    let (db, unit) = (app.db.clone(), w.unit_b.clone());
    let held = tokio::task::spawn_blocking(move || {
        db.write_blocking(|c| -> Result<(), kiemtra::db::DbError> {
            use kiemtra::sync::log::{record, Keys};
            record(c, "unit", &unit, Keys::default(), false)?;
            let actor = kiemtra::audit::Actor::cli();
            kiemtra::audit::append(c, &actor, "unit.touch", "unit", &unit, None, None)?;
            reached.send(()).unwrap();
            go_rx.recv().unwrap();
            Ok(())
        })
    });
    reached_rx.await.unwrap();
    let pushed = tokio::time::timeout(PATIENCE, push(&app, &w.insp1, answer(&insp, 3))).await;
    // Let the held writer go before asserting, so a failure does not leave it hanging.
    go.send(()).unwrap();
    let pushed = pushed.expect("a push waited for another push's transaction to end");
    let body: Value = pushed.json().await.unwrap();
    assert_eq!(body["results"][0]["status"], "applied", "{body}");
    held.await.unwrap().unwrap();
    let push_seq = seq_of(&app, &w.admin, "answer", &format!("{insp}/d")).await;
    let held_seq = seq_of(&app, &w.admin, "unit", &w.unit_b).await;
    assert!(
        held_seq > push_seq,
        "committed second but numbered first: {held_seq} vs {push_seq}"
    );
    // The audit chain took the held transaction's entry after the push's, and still verifies.
    let chain = app
        .db
        .read(|c| kiemtra::audit::store::verify(c).map_err(kiemtra::db::DbError::from))
        .await
        .unwrap();
    assert!(chain.is_ok(), "{chain:?}");
}

/// Every write connection is taken by a push that waits on a lock held from outside (the
/// counter row on PostgreSQL, the write lock on SQLite); a pull still answers, REST and
/// WatermelonDB, and the pushes complete once the lock goes.
async fn pulls_answer_while_every_writer_is_blocked(engine: Engine) {
    let Some(app) = TestApp::spawn_with(engine, |s| {
        s.db_pool_size = 2;
        s.db_write_pool_size = 2;
    })
    .await
    else {
        return;
    };
    let w = World::build(&app).await;
    let insp = new_inspection(&app, &w.insp1, &w, &w.unit_a).await;
    // A device's first WatermelonDB pull marks its base with a write of its own; the pull
    // under test is a later one.
    let first: Value = app
        .get_json("/api/v1/sync/watermelon?schema_version=1", &w.insp2)
        .await;
    let since = first["timestamp"].as_i64().unwrap();
    let mut blocker = Blocker::take(&app).await;
    let mut pushes = Vec::new();
    for n in 0..2 {
        let (base, client, token) = (app.base.clone(), app.client.clone(), w.insp1.clone());
        let body = json!({"schema_version": 1, "mutations": answer(&insp, n + 1)});
        pushes.push(tokio::spawn(async move {
            client
                .post(format!("{base}/api/v1/sync/push"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    blocker.wait_until_writers_wait(2).await;
    let pulled = tokio::time::timeout(PATIENCE, async {
        let rest = app
            .authed(Method::GET, "/api/v1/sync/pull?schema_version=1", &w.insp1)
            .send()
            .await
            .unwrap()
            .status();
        let wm = app
            .authed(
                Method::GET,
                &format!("/api/v1/sync/watermelon?schema_version=1&last_pulled_at={since}"),
                &w.insp2,
            )
            .send()
            .await
            .unwrap()
            .status();
        (rest, wm)
    })
    .await;
    let still_waiting = pushes.iter().all(|p| !p.is_finished());
    blocker.release();
    assert_eq!(
        pulled.expect("a pull waited for the pushes"),
        (reqwest::StatusCode::OK, reqwest::StatusCode::OK)
    );
    assert!(still_waiting, "a push finished while writes were blocked");
    for p in pushes {
        assert_eq!(p.await.unwrap(), 200);
    }
}

/// A lock that every writer of the server needs, held by the test: on PostgreSQL the counter
/// row, from a connection of the test's own; on SQLite the server's one writer, by a write
/// transaction of the test's own through the same `Db` (an outside `BEGIN IMMEDIATE` would
/// make the server's writes fail at once with `SQLITE_BUSY` instead of waiting).
struct Blocker {
    conn: Option<kiemtra::db::DbConn>,
    writer: Option<(std::sync::mpsc::Sender<()>, tokio::task::JoinHandle<()>)>,
    url: String,
}

impl Blocker {
    async fn take(app: &TestApp) -> Blocker {
        let url = app.settings.database_url();
        if !url.starts_with("postgres") {
            let (reached, reached_rx) = tokio::sync::oneshot::channel();
            let (go, go_rx) = std::sync::mpsc::channel::<()>();
            let db = app.db.clone();
            let held = tokio::task::spawn_blocking(move || {
                db.write_blocking(|_| -> Result<(), kiemtra::db::DbError> {
                    reached.send(()).unwrap();
                    let _ = go_rx.recv();
                    Ok(())
                })
                .unwrap()
            });
            reached_rx.await.unwrap();
            return Blocker {
                conn: None,
                writer: Some((go, held)),
                url,
            };
        }
        let mut conn = PgConnection::establish(&url).unwrap();
        conn.batch_execute("BEGIN; SELECT seq FROM sync_counter WHERE id = 1 FOR UPDATE")
            .unwrap();
        Blocker {
            conn: Some(kiemtra::db::DbConn::Pg(conn)),
            writer: None,
            url,
        }
    }

    /// PostgreSQL: until `n` of the server's connections wait on a lock (the write pool is
    /// then exhausted). SQLite shows no such thing (the pushes wait on the writer's mutex);
    /// that they cannot have finished is asserted instead.
    async fn wait_until_writers_wait(&mut self, n: i64) {
        if !self.url.starts_with("postgres") {
            tokio::time::sleep(Duration::from_millis(300)).await;
            return;
        }
        #[derive(QueryableByName)]
        struct Waiting {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut watcher = PgConnection::establish(&self.url).unwrap();
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            let w: Waiting = diesel::sql_query(
                "SELECT count(*) AS n FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
            .get_result(&mut watcher)
            .unwrap();
            if w.n >= n {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "only {} writer(s) reached the lock",
                w.n
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn release(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            conn.batch_execute("ROLLBACK").unwrap();
        }
        if let Some((go, _)) = &self.writer {
            let _ = go.send(());
        }
    }
}

impl Drop for Blocker {
    fn drop(&mut self) {
        self.release();
    }
}
