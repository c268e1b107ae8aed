//! The audit log: changes are recorded with who and what, only administrators read it, and
//! `kiemtra audit verify` finds the first altered entry.

use diesel::{Connection, RunQueryDsl};
use kiemtra::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};

both_engines!(user_changes_are_audited, only_admins_read_the_audit_log);

async fn user_changes_are_audited(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (admin_id, admin) = app.token_for("admin1", Role::Admin).await;
    let created: Value = app
        .authed(Method::POST, "/api/v1/users", &admin)
        .json(&json!({"username": "thanh.ho", "full_name": "Hồ Thanh", "role": "inspector"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["user"]["id"].as_str().unwrap();
    app.authed(Method::PATCH, &format!("/api/v1/users/{id}"), &admin)
        .json(&json!({"role": "lead", "password": "mật khẩu mới 123"}))
        .send()
        .await
        .unwrap();
    let log: Vec<Value> = app
        .get_json(&format!("/api/v1/audit?entity=user&entity_id={id}"), &admin)
        .await;
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0]["action"], "create");
    assert_eq!(log[0]["actor_id"], admin_id);
    assert!(log[0]["device_id"].is_string());
    assert!(log[0]["before"].is_null());
    assert_eq!(log[0]["after"]["username"], "thanh.ho");
    assert_eq!(log[1]["action"], "update");
    assert_eq!(log[1]["before"]["role"], "inspector");
    assert_eq!(log[1]["after"]["role"], "lead");
    assert_eq!(log[1]["after"]["password_changed"], true);
    assert!(
        !log.iter().any(|e| e.to_string().contains("argon2")),
        "no password hashes in the log"
    );
    assert_eq!(
        log[1]["prev_hash"],
        log[0]["hash"].clone(),
        "consecutive entries chain (no other change between)"
    );

    let page: Vec<Value> = app.get_json("/api/v1/audit?limit=1&after=1", &admin).await;
    assert_eq!(page.len(), 1);
    assert_eq!(page[0]["seq"], 2);
}

async fn only_admins_read_the_audit_log(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    for (name, role) in [
        ("lead1", Role::Lead),
        ("insp1", Role::Inspector),
        ("viewer1", Role::Viewer),
    ] {
        let (_, token) = app.token_for(name, role).await;
        assert_problem(
            app.authed(Method::GET, "/api/v1/audit", &token)
                .send()
                .await
                .unwrap(),
            403,
            "forbidden",
        )
        .await;
    }
    assert_problem(
        app.req(Method::GET, "/api/v1/audit").send().await.unwrap(),
        401,
        "unauthenticated",
    )
    .await;
}

#[test]
fn verify_command_finds_the_first_altered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_kiemtra");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .env_clear()
            .env("KIEMTRA_DATA_DIR", dir.path())
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    for u in ["a.one", "b.two", "c.three"] {
        assert!(run(&[
            "user",
            "create",
            "--username",
            u,
            "--role",
            "viewer",
            "--full-name",
            "X"
        ])
        .status
        .success());
    }
    let ok = run(&["audit", "verify"]);
    assert!(ok.status.success(), "{ok:?}");
    assert!(String::from_utf8_lossy(&ok.stdout).contains("3 entries verified"));

    let mut conn =
        diesel::SqliteConnection::establish(dir.path().join("kiemtra.db").to_str().unwrap())
            .unwrap();
    diesel::sql_query("UPDATE audit_log SET after = '{\"username\":\"giả mạo\"}' WHERE seq = 2")
        .execute(&mut conn)
        .unwrap();
    let bad = run(&["audit", "verify"]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("broken at entry 2") && err.contains("altered"),
        "{err}"
    );
}
