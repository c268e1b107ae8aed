//! User management by administrators, and every role that must be refused.

use kiemtra::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};

both_engines!(
    create_list_get_update,
    invalid_and_duplicate_users_are_refused,
    password_reset_ends_sessions,
    last_admin_cannot_be_removed,
    non_admins_are_refused_every_admin_endpoint,
);

async fn create_list_get_update(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;

    let res = app
        .authed(Method::POST, "/api/v1/users", &admin)
        .json(&json!({"username": "Thu.Nguyen", "full_name": "Nguyễn Thị Thu", "role": "lead"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["user"]["username"], "thu.nguyen");
    assert_eq!(created["user"]["full_name"], "Nguyễn Thị Thu");
    assert_eq!(created["user"]["version"], 1);
    let generated = created["generated_password"].as_str().unwrap().to_owned();
    assert_eq!(generated.len(), 16);
    app.login("thu.nguyen", &generated).await;

    let res = app
        .authed(Method::POST, "/api/v1/users", &admin)
        .json(&json!({"username": "khoa", "full_name": "Trần Khoa", "role": "inspector", "password": "mật khẩu dài"}))
        .send()
        .await
        .unwrap();
    let khoa: Value = res.json().await.unwrap();
    assert!(khoa["generated_password"].is_null());
    app.login("khoa", "mật khẩu dài").await;

    let page: Value = app.get_json("/api/v1/users?limit=2", &admin).await;
    assert_eq!(page["total"], 3);
    assert_eq!(page["limit"], 2);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["username"], "admin1");
    let page: Value = app.get_json("/api/v1/users?limit=2&offset=2", &admin).await;
    assert_eq!(page["items"][0]["username"], "thu.nguyen");
    let leads: Value = app.get_json("/api/v1/users?role=lead", &admin).await;
    assert_eq!(leads["total"], 1);
    let found: Value = app.get_json("/api/v1/users?q=Thị", &admin).await;
    assert_eq!(found["items"][0]["username"], "thu.nguyen");

    let id = khoa["user"]["id"].as_str().unwrap();
    let got: Value = app.get_json(&format!("/api/v1/users/{id}"), &admin).await;
    assert_eq!(got["username"], "khoa");

    let res = app
        .authed(Method::PATCH, &format!("/api/v1/users/{id}"), &admin)
        .json(&json!({"full_name": "Trần Đăng Khoa", "role": "lead", "version": 1}))
        .send()
        .await
        .unwrap();
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["full_name"], "Trần Đăng Khoa");
    assert_eq!(updated["role"], "lead");
    assert_eq!(updated["version"], 2);

    // A stale version is refused and changes nothing.
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/users/{id}"), &admin)
        .json(&json!({"full_name": "Tên khác", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "version_mismatch").await;
    let got: Value = app.get_json(&format!("/api/v1/users/{id}"), &admin).await;
    assert_eq!(got["full_name"], "Trần Đăng Khoa");

    for missing in [uuid::Uuid::new_v4().to_string(), "not-a-uuid".to_owned()] {
        let res = app
            .authed(Method::GET, &format!("/api/v1/users/{missing}"), &admin)
            .send()
            .await
            .unwrap();
        assert_problem(res, 404, "not_found").await;
    }
}

async fn invalid_and_duplicate_users_are_refused(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let res = app
        .authed(Method::POST, "/api/v1/users", &admin)
        .header("Accept-Language", "vi")
        .json(&json!({"username": "Nguyễn", "full_name": " ", "role": "boss", "password": "short"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 422, "validation_failed").await;
    let pointers: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/username", "/full_name", "/role", "/password"]);
    assert_eq!(body["errors"][3]["message"], "Mật khẩu từ 8 đến 256 ký tự.");

    let res = app
        .authed(Method::POST, "/api/v1/users", &admin)
        .json(&json!({"username": "ADMIN1", "full_name": "Trùng tên", "role": "viewer"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "username_taken").await;

    let res = app
        .authed(Method::POST, "/api/v1/users", &admin)
        .json(&json!({"username": "x.y.z", "full_name": "A", "role": "viewer", "is_admin": true}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "malformed_json").await;

    let page: Value = app.get_json("/api/v1/users", &admin).await;
    assert_eq!(page["total"], 1, "nothing was written");
}

async fn password_reset_ends_sessions(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let (id, old) = app.user("quang.vo", Role::Inspector).await;
    let t = app.login("quang.vo", &old).await;
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/users/{id}"), &admin)
        .json(&json!({"password": "mật khẩu mới 2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_problem(
        app.login_body("quang.vo", &old, None).await,
        401,
        "invalid_credentials",
    )
    .await;
    app.login("quang.vo", "mật khẩu mới 2026").await;
    let res = app
        .authed(
            Method::GET,
            "/api/v1/me",
            t["access_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "invalid_token").await;
}

async fn last_admin_cannot_be_removed(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (id, admin) = app.token_for("admin1", Role::Admin).await;
    for change in [json!({"disabled": true}), json!({"role": "viewer"})] {
        let res = app
            .authed(Method::PATCH, &format!("/api/v1/users/{id}"), &admin)
            .json(&change)
            .send()
            .await
            .unwrap();
        assert_problem(res, 409, "last_admin").await;
    }
    let (id2, _) = app.user("admin2", Role::Admin).await;
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/users/{id2}"), &admin)
        .json(&json!({"role": "viewer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

async fn non_admins_are_refused_every_admin_endpoint(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (target, _) = app.user("target", Role::Inspector).await;
    let device = uuid::Uuid::new_v4();
    let endpoints: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/users".into(), None),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(json!({"username": "new.user", "full_name": "X", "role": "admin"})),
        ),
        (Method::GET, format!("/api/v1/users/{target}"), None),
        (
            Method::PATCH,
            format!("/api/v1/users/{target}"),
            Some(json!({"role": "admin"})),
        ),
        (Method::GET, format!("/api/v1/users/{target}/devices"), None),
        (
            Method::DELETE,
            format!("/api/v1/users/{target}/devices"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/users/{target}/devices/{device}"),
            None,
        ),
    ];
    for (name, role) in [
        ("lead1", Role::Lead),
        ("inspector1", Role::Inspector),
        ("viewer1", Role::Viewer),
    ] {
        let (_, token) = app.token_for(name, role).await;
        for (method, path, body) in &endpoints {
            let mut req = app.authed(method.clone(), path, &token);
            if let Some(b) = body {
                req = req.json(b);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 403, "{role} {method} {path}");
            assert_problem(res, 403, "forbidden").await;
        }
    }
    for (method, path, body) in &endpoints {
        let mut req = app.req(method.clone(), path);
        if let Some(b) = body {
            req = req.json(b);
        }
        assert_problem(req.send().await.unwrap(), 401, "unauthenticated").await;
    }
    // Nothing was changed by any of them.
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let got: Value = app
        .get_json(&format!("/api/v1/users/{target}"), &admin)
        .await;
    assert_eq!(got["role"], "inspector");
    assert_eq!(got["version"], 1);
}
