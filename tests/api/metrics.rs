//! `/metrics` is not public: a configured bearer token, or no such path.

use kiemtra::config::Secret;
use reqwest::Method;

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};

both_engines!(
    metrics_are_hidden_without_a_configured_token,
    metrics_need_the_right_token
);

const TOKEN: &str = "scrape-me-0123456789abcdef";

async fn metrics_are_hidden_without_a_configured_token(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    for token in [None, Some(TOKEN), Some("")] {
        let mut req = app.req(Method::GET, "/metrics");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        assert_problem(req.send().await.unwrap(), 404, "route_not_found").await;
    }
}

async fn metrics_need_the_right_token(engine: Engine) {
    let Some(app) =
        TestApp::spawn_with(engine, |s| s.metrics_token = Some(Secret::new(TOKEN))).await
    else {
        return;
    };
    let res = app.req(Method::GET, "/metrics").send().await.unwrap();
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    assert_problem(res, 401, "unauthenticated").await;
    for wrong in [&TOKEN[..TOKEN.len() - 1], "scrape-me-0123456789abcdeF", "x"] {
        let res = app
            .authed(Method::GET, "/metrics", wrong)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        assert_problem(res, 401, "invalid_token").await;
    }
    // Another scheme with the right secret is not a bearer token.
    let res = app
        .req(Method::GET, "/metrics")
        .basic_auth("prometheus", Some(TOKEN))
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "invalid_token").await;

    let res = app
        .authed(Method::GET, "/metrics", TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = res.text().await.unwrap();
    assert!(
        text.contains("# TYPE kiemtra_http_requests_total counter"),
        "{text}"
    );
    // The refusals were counted, under the route's pattern.
    assert!(
        text.contains(
            r#"kiemtra_http_requests_total{method="GET",route="/metrics",status="401"} 5"#
        ),
        "{text}"
    );
}
