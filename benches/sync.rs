//! `cargo bench --bench sync`: the sync engine's speed on SQLite, each number beside its
//! anchor, in one run (see docs/performance.md):
//! - pushing 10,000 answer edits in batches of 500, against two floors, each the rows inserted
//!   straight into SQLite in one transaction: the 10,000 answer rows alone, and every row the
//!   pushes wrote (answers, their change-log heads, the mutation records, the audit entries);
//! - pulling 10,000+ changes from an empty cursor;
//! - the same 10,000 documents replicated from a PouchDB client to pouchdb-server (npm), when
//!   Node.js is available.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl};
use kiemtra::audit::store::AuditRow;
use kiemtra::audit::Actor;
use kiemtra::auth::{password, Role};
use kiemtra::config::{Secret, Settings};
use kiemtra::inspections::store::AnswerRow;
use kiemtra::startup::{open_database, Application};
use kiemtra::users::service::{self as users, NewUser};
use serde_json::{json, Value};

const INSPECTIONS: usize = 100;
const ITEMS: usize = 100;
const BATCH: usize = 500;

fn template() -> Value {
    let items: Vec<Value> = (0..ITEMS).map(|i| json!({"id": format!("i{i:03}"), "type": "yes_no", "label": format!("Mục {i}"), "max_points": 1})).collect();
    json!({"code": "bench", "title": "Phiếu đo", "scoring": {"max_score": 100, "bands": [{"code": "dat", "label": "Đạt", "min": 50}, {"code": "chua", "label": "Chưa đạt", "min": 0}]},
           "sections": [{"id": "s", "title": "S", "items": items}]})
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {v}");
    v
}

/// The rows the pushes write that the server has no row type for, as read back from its
/// database and inserted again (answers and audit entries use the server's own `AnswerRow` and
/// `AuditRow`). `Insertable` with every column bound (NULL included) keeps each insert one
/// prepared statement that diesel caches: the floors prepare each statement once, not once a
/// row.
mod same_rows {
    use chrono::NaiveDateTime;
    use diesel::{Insertable, QueryableByName};
    use kiemtra::db::schema::{change_heads, sync_mutations};

    #[derive(QueryableByName, Insertable)]
    #[diesel(table_name = change_heads, treat_none_as_null = true)]
    pub struct Head {
        pub entity: String,
        pub entity_id: String,
        pub seq: i64,
        pub deleted: bool,
        pub team_id: Option<String>,
        pub round_id: Option<String>,
    }

    #[derive(QueryableByName, Insertable)]
    #[diesel(table_name = sync_mutations, treat_none_as_null = true)]
    pub struct Mutation {
        pub mutation_id: String,
        pub user_id: String,
        pub device_id: Option<String>,
        pub result: String,
        pub created_at: NaiveDateTime,
    }
}

/// Floor A: the 10,000 answer rows alone, into an empty table of the same columns and primary
/// key (no foreign keys, no other table), one prepared insert a row, one transaction.
fn floor_insert(dir: &std::path::Path, n: usize) -> Duration {
    use kiemtra::db::schema::answers;
    let mut c =
        diesel::SqliteConnection::establish(dir.join("floor.db").to_str().unwrap()).unwrap();
    c.batch_execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE answers (inspection_id TEXT NOT NULL, item_id TEXT NOT NULL, value TEXT, na BOOLEAN NOT NULL, version BIGINT NOT NULL, updated_by TEXT NOT NULL, updated_device TEXT, updated_at TIMESTAMP NOT NULL, hlc TEXT, PRIMARY KEY (inspection_id, item_id));").unwrap();
    let at = chrono::Utc::now().naive_utc();
    let rows: Vec<AnswerRow> = (0..n)
        .map(|i| AnswerRow {
            inspection_id: format!("insp-{}", i / ITEMS),
            item_id: format!("i{:03}", i % ITEMS),
            value: Some(if i % 2 == 1 { "\"yes\"" } else { "\"no\"" }.to_owned()),
            na: false,
            version: 1,
            updated_by: "u".into(),
            updated_device: Some("d".into()),
            updated_at: at,
            hlc: Some("1795689118000:0000:d".into()),
        })
        .collect();
    let started = Instant::now();
    c.transaction::<_, diesel::result::Error, _>(|c| {
        for row in rows {
            diesel::insert_into(answers::table).values(row).execute(c)?;
        }
        Ok(())
    })
    .unwrap();
    started.elapsed()
}

/// Floor B: the same rows the pushes wrote, inserted straight into SQLite in one transaction.
/// `before` is a copy of the server's database taken just before the pushes; every row the
/// pushes added (answers, their change-log heads, the mutation records with the answer each
/// got, the audit entries) is read from `after` into memory, then inserted row by row into a
/// fresh copy of `before` (the server's schema, indexes and pragmas), one prepared insert per
/// table. The 100 inspections' heads, which the pushes moved on, are updated in place; the
/// inspections' own score updates are left out (they are not inserted rows).
///
/// `tables` says how many of the four tables, in that order, to fill: the runs with fewer show
/// what each kind of row costs on its own.
fn floor_same_rows(
    before: &std::path::Path,
    after: &std::path::Path,
    tables: usize,
) -> (Duration, usize) {
    use diesel::sql_types::Text;
    use diesel::{ExpressionMethods, QueryDsl};
    use kiemtra::db::schema::{answers, audit_log, change_heads, sync_mutations};
    let copy = before.with_file_name(format!("floor-b-{tables}.db"));
    std::fs::copy(before, &copy).unwrap();
    let mut c = diesel::SqliteConnection::establish(copy.to_str().unwrap()).unwrap();
    c.batch_execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
        .unwrap();
    diesel::sql_query("ATTACH DATABASE ? AS pushed")
        .bind::<Text, _>(after.to_str().unwrap())
        .execute(&mut c)
        .unwrap();
    let load_heads = |c: &mut diesel::SqliteConnection, existing: bool| -> Vec<same_rows::Head> {
        let not = if existing { "" } else { "NOT" };
        diesel::sql_query(format!("SELECT p.* FROM pushed.change_heads p WHERE p.seq > (SELECT max(seq) FROM main.change_heads) AND {not} EXISTS (SELECT 1 FROM main.change_heads m WHERE m.entity = p.entity AND m.entity_id = p.entity_id) ORDER BY p.seq")).load(c).unwrap()
    };
    let answers_rows: Vec<AnswerRow> =
        diesel::sql_query("SELECT * FROM pushed.answers ORDER BY updated_at")
            .load(&mut c)
            .unwrap();
    let (mut new_heads, mut moved_heads) = (load_heads(&mut c, false), load_heads(&mut c, true));
    let mut mutations: Vec<same_rows::Mutation> = diesel::sql_query("SELECT * FROM pushed.sync_mutations WHERE mutation_id NOT IN (SELECT mutation_id FROM main.sync_mutations) ORDER BY rowid").load(&mut c).unwrap();
    let mut audit: Vec<AuditRow> = diesel::sql_query("SELECT * FROM pushed.audit_log WHERE seq > (SELECT max(seq) FROM main.audit_log) ORDER BY seq").load(&mut c).unwrap();
    for (n, rows) in [(2, new_heads.len()), (3, mutations.len()), (4, audit.len())] {
        assert!(rows > 0, "the pushes wrote table {n}'s rows");
    }
    c.batch_execute("DETACH DATABASE pushed").unwrap();
    if tables < 2 {
        new_heads.clear();
        moved_heads.clear();
    }
    if tables < 3 {
        mutations.clear();
    }
    if tables < 4 {
        audit.clear();
    }
    let rows =
        answers_rows.len() + new_heads.len() + moved_heads.len() + mutations.len() + audit.len();
    let started = Instant::now();
    c.transaction::<_, diesel::result::Error, _>(|c| {
        for row in answers_rows {
            diesel::insert_into(answers::table).values(row).execute(c)?;
        }
        for row in new_heads {
            diesel::insert_into(change_heads::table)
                .values(row)
                .execute(c)?;
        }
        for h in moved_heads {
            diesel::update(change_heads::table.find((h.entity, h.entity_id)))
                .set((
                    change_heads::seq.eq(h.seq),
                    change_heads::deleted.eq(h.deleted),
                    change_heads::team_id.eq(h.team_id),
                    change_heads::round_id.eq(h.round_id),
                ))
                .execute(c)?;
        }
        for row in mutations {
            diesel::insert_into(sync_mutations::table)
                .values(row)
                .execute(c)?;
        }
        for row in audit {
            diesel::insert_into(audit_log::table)
                .values(row)
                .execute(c)?;
        }
        Ok(())
    })
    .unwrap();
    let took = started.elapsed();
    drop(c);
    std::fs::remove_file(&copy).unwrap();
    (took, rows)
}

fn pouchdb(n: usize) -> Option<Duration> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/pouchdb");
    Command::new("node").arg("--version").output().ok()?;
    if !dir.join("node_modules/pouchdb-server").exists() {
        let st = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .ok()?;
        if !st.success() {
            return None;
        }
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let mut server = Command::new(dir.join("node_modules/.bin/pouchdb-server"))
        .args([
            "--in-memory",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let url = format!("http://127.0.0.1:{port}/bench");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = Command::new("node")
        .args(["replicate.mjs", &url, &n.to_string()])
        .current_dir(&dir)
        .output()
        .ok();
    let _ = server.kill();
    let _ = server.wait();
    let out = out?;
    let v: Value = serde_json::from_slice(out.stdout.trim_ascii()).ok()?;
    assert_eq!(
        v["docs"].as_u64(),
        Some(n as u64),
        "pouchdb replicated everything"
    );
    Some(Duration::from_secs_f64(v["ms"].as_f64()? / 1000.0))
}

fn main() {
    // A bench run straight after `cargo bench` builds would otherwise have its fsyncs queue
    // behind the kernel writing out the build's hundreds of megabytes: PouchDB's in-memory
    // server never syncs, so only kiemtra's side would pay for it.
    let _ = Command::new("sync").status();
    let n = INSPECTIONS * ITEMS;
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (push_time, pull_time, pulled) = rt.block_on(async {
        let settings = Settings { bind: "127.0.0.1:0".into(), data_dir: dir.path().to_path_buf(), jwt_secret: Some(Secret::new("bench-secret-bench-secret-bench-secret")), ..Settings::default() };
        let db = open_database(&settings).await.unwrap();
        for (u, role) in [("admin", Role::Admin), ("lead", Role::Lead), ("insp", Role::Inspector)] {
            let hash = password::hash("bench-password").unwrap();
            let new = NewUser { username: u.into(), full_name: u.into(), role, password_hash: hash, unit_id: None, email: None };
            db.write(move |c| users::create(c, &Actor::cli(), &new)).await.unwrap();
        }
        let app = Application::build_with(settings, db).await.unwrap();
        let base = format!("http://{}", app.addr());
        tokio::spawn(app.run_until_stopped());
        let http = reqwest::Client::new();
        let login = |u: &'static str| {
            let (http, base) = (http.clone(), base.clone());
            async move { ok(http.post(format!("{base}/api/v1/auth/login")).json(&json!({"username": u, "password": "bench-password"})).send().await.unwrap()).await["access_token"].as_str().unwrap().to_owned() }
        };
        let (admin, insp) = (login("admin").await, login("insp").await);
        let me = |t: &str| {
            let (http, base, t) = (http.clone(), base.clone(), t.to_owned());
            async move { ok(http.get(format!("{base}/api/v1/me")).bearer_auth(&t).send().await.unwrap()).await["user"]["id"].as_str().unwrap().to_owned() }
        };
        let (lead_id, insp_id) = (me(&login("lead").await).await, me(&insp).await);
        let post = |path: &str, body: Value| http.post(format!("{base}{path}")).bearer_auth(&admin).json(&body).send();
        let team = ok(post("/api/v1/teams", json!({"name": "Đoàn đo", "lead_id": lead_id, "member_ids": [insp_id]})).await.unwrap()).await["id"].as_str().unwrap().to_owned();
        let tpl = ok(post("/api/v1/templates", template()).await.unwrap()).await["template_id"].as_str().unwrap().to_owned();
        let version = ok(post(&format!("/api/v1/templates/{tpl}/publish"), json!(null)).await.unwrap()).await["id"].as_str().unwrap().to_owned();
        let round = ok(post("/api/v1/rounds", json!({"name": "Đợt đo", "kind": "thematic", "template_version_id": version, "starts_on": "2026-01-01", "ends_on": "2026-12-31", "due_on": "2026-12-31", "status": "open"})).await.unwrap()).await["id"].as_str().unwrap().to_owned();
        let csv: String = std::iter::once("code,name,kind".to_owned()).chain((0..INSPECTIONS).map(|i| format!("B{i:03},Xã số {i},xã"))).collect::<Vec<_>>().join("\n");
        ok(http.post(format!("{base}/api/v1/units/import")).bearer_auth(&admin).header("content-type", "text/csv").body(csv).send().await.unwrap()).await;
        let units = ok(http.get(format!("{base}/api/v1/units?limit=500")).bearer_auth(&admin).send().await.unwrap()).await;
        let unit_ids: Vec<String> = units["items"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect();
        let assignments: Vec<Value> = unit_ids.iter().map(|u| json!({"unit_id": u, "team_id": team})).collect();
        ok(http.put(format!("{base}/api/v1/rounds/{round}/assignments")).bearer_auth(&admin).json(&json!({"assignments": assignments})).send().await.unwrap()).await;
        let inspections: Vec<String> = (0..INSPECTIONS).map(|_| uuid::Uuid::new_v4().to_string()).collect();
        let creates: Vec<Value> = inspections.iter().zip(&unit_ids).map(|(i, u)| json!({"mutation_id": uuid::Uuid::new_v4().to_string(), "type": "inspection.create", "id": i, "round_id": round, "unit_id": u})).collect();
        ok(http.post(format!("{base}/api/v1/sync/push")).bearer_auth(&insp).json(&json!({"schema_version": 1, "mutations": creates})).send().await.unwrap()).await;

        let now = chrono::Utc::now().timestamp_millis() - 60_000;
        let edits: Vec<Value> = (0..n)
            .map(|k| {
                json!({"mutation_id": uuid::Uuid::new_v4().to_string(), "type": "answer.set", "inspection_id": inspections[k / ITEMS],
                       "item_id": format!("i{:03}", k % ITEMS), "value": if k % 2 == 1 { "yes" } else { "no" }, "hlc": format!("{:013}:{:04}:bench", now, k % 10000)})
            })
            .collect();
        {
            // The before-state for floor B; the connection is closed before the timed pushes.
            let mut reader = diesel::SqliteConnection::establish(dir.path().join("kiemtra.db").to_str().unwrap()).unwrap();
            diesel::sql_query("VACUUM INTO ?").bind::<diesel::sql_types::Text, _>(dir.path().join("before-push.db").to_str().unwrap()).execute(&mut reader).unwrap();
        }
        let started = Instant::now();
        for chunk in edits.chunks(BATCH) {
            let r = ok(http.post(format!("{base}/api/v1/sync/push")).bearer_auth(&insp).json(&json!({"schema_version": 1, "mutations": chunk})).send().await.unwrap()).await;
            assert!(r["results"].as_array().unwrap().iter().all(|x| x["status"] == "applied"));
        }
        let push_time = started.elapsed();

        let started = Instant::now();
        let mut cursor = String::new();
        let mut pulled = 0;
        loop {
            let page = ok(http.get(format!("{base}/api/v1/sync/pull?schema_version=1&limit=5000&cursor={cursor}")).bearer_auth(&insp).send().await.unwrap()).await;
            pulled += page["changes"].as_array().unwrap().len();
            cursor = page["next_cursor"].as_str().unwrap().to_owned();
            if !page["has_more"].as_bool().unwrap() {
                break;
            }
        }
        (push_time, started.elapsed(), pulled)
    });
    let floor = floor_insert(dir.path(), n);
    let (before, after) = (
        dir.path().join("before-push.db"),
        dir.path().join("kiemtra.db"),
    );
    let parts: Vec<(Duration, usize)> = (1..=3)
        .map(|tables| floor_same_rows(&before, &after, tables))
        .collect();
    let (same, same_rows) = floor_same_rows(&before, &after, 4);
    let pouch = pouchdb(n);

    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!("| measure | kiemtra | anchor | ratio |");
    println!("| --- | --- | --- | --- |");
    let pct = |a: Duration, b: Duration| 100.0 * b.as_secs_f64() / a.as_secs_f64();
    println!(
        "| push {n} answer edits, batches of {BATCH} | {:.2} s ({:.0}/s) | floor A, the {n} answer rows alone: {:.3} s ({:.0}/s) | {:.1}% of floor A's rate |",
        push_time.as_secs_f64(),
        rate(push_time),
        floor.as_secs_f64(),
        rate(floor),
        pct(push_time, floor)
    );
    println!(
        "| the same push | | floor B, the same {same_rows} rows the push wrote (answers, change heads, mutation records, audit): {:.3} s | {:.1}% of floor B's rate (goal ≥ 30%); floor B itself runs at {:.1}% of floor A's rate |",
        same.as_secs_f64(),
        pct(push_time, same),
        pct(same, floor)
    );
    for ((took, rows), what) in parts.iter().zip([
        "answers alone, in the server's schema",
        "answers and their change-log heads (issue 4 §1)",
        "answers, heads and mutation records (§3)",
    ]) {
        println!(
            "| (floor B in parts) | | {what}: {rows} rows, {:.3} s | {:.1}% of floor A's rate |",
            took.as_secs_f64(),
            pct(*took, floor)
        );
    }
    println!(
        "| pull {pulled} changes from an empty cursor | {:.3} s | goal < 1 s | |",
        pull_time.as_secs_f64()
    );
    match pouch {
        Some(p) => println!(
            "| replicate {n} documents to a server | {:.2} s (push) | PouchDB → pouchdb-server {:.2} s | kiemtra {:.2}× faster (goal ≥ 5×) |",
            push_time.as_secs_f64(),
            p.as_secs_f64(),
            p.as_secs_f64() / push_time.as_secs_f64()
        ),
        None => println!("| PouchDB comparison | skipped: Node.js or benches/pouchdb packages unavailable | | |"),
    }
}
