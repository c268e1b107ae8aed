//! The HTTP edge under slow and hostile clients: a body that stops moving is answered 408
//! (a slow but moving upload is not), headers that never end are cut off, and every response
//! carries the security headers (nosniff, no-referrer, CSP with frame-ancestors 'none',
//! no-store on authenticated answers, a sandbox for evidence files).

use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use reqwest::Method;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::both_engines;
use crate::evidence::{new_evidence, setup};
use crate::helpers::{Engine, TestApp};
use crate::photos;

both_engines!(
    a_body_that_stops_moving_gets_408,
    a_slow_but_moving_tus_patch_completes,
    headers_that_never_end_are_cut_off,
    every_response_carries_the_security_headers,
);

async fn app_with_short_timeouts(engine: Engine) -> Option<TestApp> {
    TestApp::spawn_with(engine, |s| {
        s.body_idle_timeout_secs = 1;
        s.header_timeout_secs = 1;
    })
    .await
}

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

/// Everything the server sends until it closes, or `limit` passes.
async fn read_answer(stream: &mut TcpStream, limit: Duration) -> String {
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(limit, stream.read_to_end(&mut buf)).await;
    String::from_utf8_lossy(&buf).into_owned()
}

async fn a_body_that_stops_moving_gets_408(engine: Engine) {
    let Some(app) = app_with_short_timeouts(engine).await else {
        return;
    };
    let mut s = TcpStream::connect(addr(&app)).await.unwrap();
    let head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"username\":";
    s.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let answer = read_answer(&mut s, Duration::from_secs(10)).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
}

async fn a_slow_but_moving_tus_patch_completes(engine: Engine) {
    let Some(app) = app_with_short_timeouts(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    let file = photos::png(64, 48);
    let meta = format!("evidence_id {}", STANDARD.encode(&id));
    let res = app
        .authed(Method::POST, "/api/v1/uploads", &w.insp1)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", file.len().to_string())
        .header("upload-metadata", meta)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let loc = res.headers()["location"].to_str().unwrap().to_owned();
    let path = loc.trim_start_matches(&app.base).to_owned();
    let mut s = TcpStream::connect(addr(&app)).await.unwrap();
    let head = format!(
        "PATCH {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: {}\r\n\r\n",
        w.insp1,
        file.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    // Five pieces, 600 ms apart: three seconds in all, never a second of silence.
    let started = Instant::now();
    for piece in file.chunks(file.len().div_ceil(5)) {
        tokio::time::sleep(Duration::from_millis(600)).await;
        s.write_all(piece).await.unwrap();
    }
    let answer = read_answer(&mut s, Duration::from_secs(2)).await;
    assert!(started.elapsed() > Duration::from_secs(2));
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");
    let e: Value = app
        .get_json(&format!("/api/v1/evidence/{id}"), &w.insp1)
        .await;
    assert_eq!(e["size_bytes"], file.len());
}

async fn headers_that_never_end_are_cut_off(engine: Engine) {
    let Some(app) = app_with_short_timeouts(engine).await else {
        return;
    };
    let mut s = TcpStream::connect(addr(&app)).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let started = Instant::now();
    let answer = read_answer(&mut s, Duration::from_secs(10)).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

async fn every_response_carries_the_security_headers(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    let me = app
        .authed(Method::GET, "/api/v1/me", &w.insp1)
        .send()
        .await
        .unwrap();
    let nope = app.req(Method::GET, "/api/v1/nope").send().await.unwrap();
    for res in [&me, &nope] {
        assert_eq!(header(res, "x-content-type-options"), "nosniff");
        assert_eq!(header(res, "referrer-policy"), "no-referrer");
        assert!(header(res, "content-security-policy").contains("frame-ancestors 'none'"));
        assert!(header(res, "content-security-policy").contains("default-src 'none'"));
    }
    assert_eq!(header(&me, "cache-control"), "no-store");
    let docs = app.req(Method::GET, "/docs/").send().await.unwrap();
    let csp = header(&docs, "content-security-policy");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    // An evidence file: its true type, never sniffed, sandboxed.
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    let png = photos::png(32, 24);
    let put = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{id}/content"),
            &w.insp1,
        )
        .header("content-type", "image/png")
        .body(png)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 201);
    let got = app
        .authed(
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.insp1,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(header(&got, "content-type"), "image/png");
    assert_eq!(header(&got, "x-content-type-options"), "nosniff");
    assert!(header(&got, "content-security-policy").contains("sandbox"));
}
