//! Health, readiness, metrics, request ids, OpenAPI and the offline docs page.

use reqwest::Method;
use serde_json::Value;

use crate::both_engines;
use crate::helpers::{Engine, TestApp};

both_engines!(
    every_secured_endpoint_refuses_anonymous_callers,
    health_and_readiness,
    metrics_count_requests_by_route,
    request_ids,
    openapi_documents_every_route,
    docs_page_is_served_from_the_binary
);

async fn health_and_readiness(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let h: Value = app
        .req(Method::GET, "/healthz")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["status"], "ok");
    let r: Value = app
        .req(Method::GET, "/readyz")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["status"], "ok");
    assert_eq!(
        r["database"],
        if engine == Engine::Sqlite {
            "sqlite"
        } else {
            "postgres"
        }
    );
}

async fn metrics_count_requests_by_route(engine: Engine) {
    let token = "metrics-token-0123456789";
    let Some(app) = TestApp::spawn_with(engine, |s| {
        s.metrics_token = Some(kiemtra::config::Secret::new(token));
    })
    .await
    else {
        return;
    };
    for _ in 0..3 {
        app.req(Method::GET, "/healthz").send().await.unwrap();
    }
    app.req(Method::GET, "/api/v1/users/123")
        .send()
        .await
        .unwrap();
    let res = app
        .authed(Method::GET, "/metrics", token)
        .send()
        .await
        .unwrap();
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = res.text().await.unwrap();
    assert!(
        text.contains(
            r#"kiemtra_http_requests_total{method="GET",route="/healthz",status="200"} 3"#
        ),
        "{text}"
    );
    // Patterns, not raw paths: ids never become labels.
    assert!(
        text.contains(r#"route="/api/v1/users/{id}",status="401""#),
        "{text}"
    );
    assert!(!text.contains("/api/v1/users/123"));
    assert!(text.contains("kiemtra_http_request_duration_seconds_bucket"));
}

async fn request_ids(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let res = app
        .req(Method::GET, "/healthz")
        .header("X-Request-Id", "phone-abc.123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "phone-abc.123");
    let res = app
        .req(Method::GET, "/healthz")
        .header("X-Request-Id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
}

async fn openapi_documents_every_route(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let doc: Value = app
        .req(Method::GET, "/api/v1/openapi.json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let expected = [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/users", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/{id}", "get"),
        ("/api/v1/users/{id}", "patch"),
        ("/api/v1/users/{id}/devices", "get"),
        ("/api/v1/users/{id}/devices", "delete"),
        ("/api/v1/users/{id}/devices/{device}", "delete"),
        ("/api/v1/audit", "get"),
        ("/api/v1/units", "get"),
        ("/api/v1/units", "post"),
        ("/api/v1/units/import", "post"),
        ("/api/v1/units/{id}", "get"),
        ("/api/v1/units/{id}", "patch"),
        ("/api/v1/units/{id}", "delete"),
        ("/api/v1/teams", "get"),
        ("/api/v1/teams", "post"),
        ("/api/v1/teams/{id}", "get"),
        ("/api/v1/teams/{id}", "patch"),
        ("/api/v1/teams/{id}", "delete"),
        ("/api/v1/schemas/{name}", "get"),
        ("/api/v1/templates", "get"),
        ("/api/v1/templates", "post"),
        ("/api/v1/templates/{id}", "get"),
        ("/api/v1/templates/{id}/draft", "put"),
        ("/api/v1/templates/{id}/publish", "post"),
        ("/api/v1/template-versions/{id}", "get"),
        ("/api/v1/rounds", "get"),
        ("/api/v1/rounds", "post"),
        ("/api/v1/rounds/{id}", "get"),
        ("/api/v1/rounds/{id}", "patch"),
        ("/api/v1/rounds/{id}/assignments", "get"),
        ("/api/v1/rounds/{id}/assignments", "put"),
        ("/api/v1/rounds/{id}/assignments/{unit_id}", "delete"),
        ("/api/v1/rounds/{id}/assignments/{unit_id}", "patch"),
        ("/api/v1/rounds/{id}/reminders", "post"),
        ("/api/v1/notifications", "get"),
        ("/api/v1/notifications/{id}/read", "post"),
        ("/api/v1/notifications/read-all", "post"),
        ("/api/v1/inspections", "get"),
        ("/api/v1/inspections", "post"),
        ("/api/v1/inspections/{id}", "get"),
        ("/api/v1/inspections/{id}", "patch"),
        ("/api/v1/inspections/{id}/answers", "patch"),
        ("/api/v1/inspections/{id}/submit", "post"),
        ("/api/v1/inspections/{id}/return", "post"),
        ("/api/v1/inspections/{id}/approve", "post"),
        ("/api/v1/inspections/{id}/recommendations", "post"),
        ("/api/v1/recommendations/{id}", "patch"),
        ("/api/v1/inspections/{id}/comments", "get"),
        ("/api/v1/inspections/{id}/comments", "post"),
        ("/api/v1/inspections/{id}/evidence", "get"),
        ("/api/v1/inspections/{id}/evidence", "post"),
        ("/api/v1/evidence/{id}", "get"),
        ("/api/v1/evidence/{id}", "delete"),
        ("/api/v1/evidence/{id}/content", "put"),
        ("/api/v1/evidence/{id}/content", "get"),
        ("/api/v1/evidence/{id}/thumbnail", "get"),
        ("/api/v1/uploads", "options"),
        ("/api/v1/uploads", "post"),
        ("/api/v1/uploads/{id}", "head"),
        ("/api/v1/uploads/{id}", "patch"),
        ("/api/v1/uploads/{id}", "delete"),
        ("/api/v1/recommendations", "get"),
        ("/api/v1/recommendations/{id}", "get"),
        ("/api/v1/recommendations/{id}/remedies", "post"),
        (
            "/api/v1/recommendations/{id}/remedies/{remedy_id}/files/{file_id}",
            "put",
        ),
        ("/api/v1/inspections/{id}/earlier-recommendations", "get"),
        ("/api/v1/sync/pull", "get"),
        ("/api/v1/sync/push", "post"),
        ("/api/v1/conflicts", "get"),
        ("/api/v1/conflicts/{id}/resolve", "post"),
        ("/api/v1/sync/watermelon", "get"),
        ("/api/v1/sync/watermelon", "post"),
        ("/api/v1/rounds/{id}/progress", "get"),
        ("/api/v1/rounds/{id}/missing", "get"),
        ("/api/v1/rounds/{id}/summary", "get"),
        ("/api/v1/rounds/{id}/comparison", "get"),
        ("/api/v1/rounds/{id}/comparison/xlsx", "get"),
        ("/api/v1/rounds/{id}/exports/{format}", "get"),
        ("/api/v1/rounds/{id}/documents/{issuer}", "get"),
        ("/api/v1/rounds/{id}/documents/{issuer}", "put"),
        ("/api/v1/inspections/{id}/bien-ban", "get"),
        ("/api/v1/rounds/{id}/teams/{team_id}/conclusion", "put"),
        (
            "/api/v1/rounds/{id}/teams/{team_id}/report-recommendations",
            "post",
        ),
        ("/api/v1/report-recommendations/{id}", "patch"),
        ("/api/v1/report-recommendations/{id}", "delete"),
        ("/api/v1/self-assessments", "get"),
        ("/api/v1/self-assessments/{id}", "get"),
        ("/api/v1/self-assessments/{id}/answers/{item_id}", "put"),
        ("/api/v1/self-assessments/{id}/submit", "post"),
        (
            "/api/v1/self-assessments/{id}/answers/{item_id}/files/{file_id}",
            "put",
        ),
        ("/api/v1/rounds/{id}/units/{unit_id}/self-assessment", "get"),
        ("/api/v1/inspections/{id}/self-assessment", "get"),
        ("/api/v1/bright-spots", "get"),
        ("/api/v1/bright-spots", "post"),
        ("/api/v1/bright-spots/{id}", "get"),
        ("/api/v1/bright-spots/{id}", "patch"),
        ("/api/v1/bright-spots/{id}/reviews", "post"),
        ("/api/v1/bright-spots/{id}/files/{file_id}", "put"),
        ("/api/v1/unit-reports", "get"),
        ("/api/v1/unit-reports/{year}/{kind}/files/{id}", "put"),
        ("/api/v1/unit-reports/due-dates", "get"),
        ("/api/v1/unit-reports/due-dates/{year}", "put"),
        (
            "/api/v1/unit-reports/due-dates/{year}/units/{unit_id}",
            "put",
        ),
        ("/api/v1/unit-reports/reminders", "post"),
        ("/api/v1/attachments/{id}", "get"),
    ];
    let paths = doc["paths"].as_object().unwrap();
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        documented,
        expected.len(),
        "documented operations: {:?}",
        paths.keys().collect::<Vec<_>>()
    );
    for (path, method) in expected {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} missing");
        assert_eq!(
            op["responses"]["default"]["content"]["application/problem+json"]["schema"]["$ref"],
            "#/components/schemas/Problem",
            "{method} {path} documents its errors"
        );
        if op["security"].is_array() {
            assert!(
                op["responses"]["401"].is_object() && op["responses"]["403"].is_object(),
                "{method} {path}"
            );
        }
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Every schema reference resolves (a type used only in a parameter is easily missed).
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| match (k.as_str(), v) {
                ("$ref", Value::String(r)) => out.push(r.clone()),
                _ => refs(v, out),
            }),
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling {r}"
        );
    }
}

async fn docs_page_is_served_from_the_binary(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let res = app.req(Method::GET, "/docs").send().await.unwrap();
    assert!(res.status().is_redirection());
    let html = app
        .req(Method::GET, "/docs/")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    // Every script and stylesheet the page names is served by us: nothing from the internet.
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-initializer.js",
    ] {
        let res = app
            .req(Method::GET, &format!("/docs/{asset}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{asset}");
        assert!(res.bytes().await.unwrap().len() > 50, "{asset}");
    }
    assert!(!html.contains("https://"), "no external assets: {html}");
    let init = app
        .req(Method::GET, "/docs/swagger-initializer.js")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/v1/openapi.json"));
}

/// Walks the OpenAPI document: every operation that declares bearer security answers 401
/// without a token, whatever its path parameters and body.
async fn every_secured_endpoint_refuses_anonymous_callers(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let doc: Value = app
        .req(Method::GET, "/api/v1/openapi.json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !op["security"].is_array() {
                continue;
            }
            let concrete: String = path
                .split('/')
                .map(|seg| {
                    if seg.starts_with('{') {
                        uuid::Uuid::new_v4().to_string()
                    } else {
                        seg.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = app
                .req(m, &concrete)
                .json(&serde_json::json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 401, "{method} {path}");
            if method == "head" {
                // No body in a HEAD answer; the status says it all.
                checked += 1;
                continue;
            }
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["code"], "unauthenticated", "{method} {path}");
            checked += 1;
        }
    }
    assert!(checked >= 45, "only {checked} secured operations found");
}
