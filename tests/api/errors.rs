//! Every kind of bad request gets problem+json with a stable code, in the client's language,
//! and never leaks internals.

use diesel::RunQueryDsl;
use kiemtra::auth::Role;
use reqwest::Method;
use serde_json::json;

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};

both_engines!(
    unknown_routes_and_methods,
    malformed_bodies,
    oversized_body_is_refused,
    internal_errors_do_not_leak,
);

async fn unknown_routes_and_methods(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let en = assert_problem(
        app.req(Method::GET, "/api/v1/nope").send().await.unwrap(),
        404,
        "route_not_found",
    )
    .await;
    assert_eq!(en["title"], "No such endpoint");
    assert_eq!(en["instance"], "/api/v1/nope");
    let vi = assert_problem(
        app.req(Method::GET, "/nowhere")
            .header("Accept-Language", "vi-VN,vi;q=0.9,en;q=0.5")
            .send()
            .await
            .unwrap(),
        404,
        "route_not_found",
    )
    .await;
    assert_eq!(vi["title"], "Không có đường dẫn này");

    let res = app
        .req(Method::DELETE, "/api/v1/auth/login")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "POST");
    assert_problem(res, 405, "method_not_allowed").await;
    let res = app
        .req(
            Method::PUT,
            "/api/v1/users/0b7d5f4e-0000-0000-0000-000000000000",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "GET, PATCH");
    assert_problem(res, 405, "method_not_allowed").await;
    let res = app.req(Method::PUT, "/healthz").send().await.unwrap();
    assert_problem(res, 405, "method_not_allowed").await;
}

async fn malformed_bodies(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let res = app
        .req(Method::POST, "/api/v1/auth/login")
        .header("content-type", "application/json")
        .body("{\"username\": \"a\", ")
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 400, "malformed_json").await;
    assert!(body["detail"].as_str().unwrap().contains("EOF"), "{body}");

    let res = app
        .req(Method::POST, "/api/v1/auth/login")
        .json(&json!({"username": "a"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 400, "malformed_json").await;
    assert!(
        body["detail"].as_str().unwrap().contains("password"),
        "names the missing field: {body}"
    );

    let res = app
        .req(Method::POST, "/api/v1/auth/login")
        .json(&json!([1, 2]))
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "malformed_json").await;

    let res = app
        .req(Method::POST, "/api/v1/auth/login")
        .header("content-type", "text/plain")
        .body("username=a&password=b")
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported_media_type").await;

    let long = "x".repeat(300);
    let res = app
        .req(Method::POST, "/api/v1/auth/login")
        .json(&json!({"username": "a", "password": long}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["pointer"], "/password");

    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let res = app
        .authed(Method::GET, "/api/v1/users?limit=lots", &admin)
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_query").await;
    let res = app
        .authed(Method::GET, "/api/v1/users?role=king", &admin)
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_query").await;
}

async fn oversized_body_is_refused(engine: Engine) {
    let Some(app) = TestApp::spawn_with(engine, |s| s.json_body_limit = 1024).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let huge = json!({"username": "big.user", "full_name": "x".repeat(4096), "role": "viewer"});
    let res = app
        .authed(Method::POST, "/api/v1/users", &admin)
        .json(&huge)
        .send()
        .await
        .unwrap();
    assert_problem(res, 413, "payload_too_large").await;
    let page: serde_json::Value = app.get_json("/api/v1/users", &admin).await;
    assert_eq!(page["total"], 1, "nothing written");
}

async fn internal_errors_do_not_leak(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    // Break the database under the running server: the next login hits a missing table.
    app.db
        .write(|c| {
            diesel::sql_query("DROP TABLE login_attempts")
                .execute(c)
                .map(|_| ())
                .map_err(kiemtra::db::DbError::from)
        })
        .await
        .unwrap();
    let res = app.login_body("anyone", "whatever-password", None).await;
    let body = assert_problem(res, 500, "internal_error").await;
    let text = body.to_string();
    assert!(
        !text.contains("login_attempts") && !text.to_lowercase().contains("table"),
        "{text}"
    );
    // The server is still serving.
    assert_eq!(
        app.req(Method::GET, "/healthz")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
