//! Error bodies every real client can read. Phones, browsers and scripts ask for compressed
//! bodies by default; an error must then arrive compressed *and* say so, or arrive plain and
//! not claim otherwise. Read here through Node's fetch (as a browser or React Native app would)
//! and curl `--compressed`; every other integration test reads through reqwest with gzip,
//! deflate and brotli enabled (see helpers.rs).

use std::process::Command;

use serde_json::Value;

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::node::{clients_dir, ready};
use crate::world::World;

both_engines!(error_bodies_read_through_a_browser_like_client);

async fn error_bodies_read_through_a_browser_like_client(engine: Engine) {
    if ready("fetch error bodies").is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let mut cmd = Command::new("node");
    cmd.arg("errors_readable.mjs")
        .current_dir(clients_dir())
        .env("KT_BASE", &app.base)
        .env("KT_TOKEN", &w.lead1);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected = [
        (404, "not_found"),
        (401, "invalid_token"),
        (404, "route_not_found"),
        (400, "malformed_json"),
    ];
    for (line, (status, code)) in lines.iter().zip(expected) {
        assert_eq!(line["status"], status, "{line}");
        assert_eq!(line["type"], "application/problem+json", "{line}");
        assert_eq!(line["body"]["code"], code, "the body decodes: {line}");
        let detail = line["body"]["detail"].as_str().unwrap_or_default();
        assert!(!detail.is_empty(), "a Vietnamese detail: {line}");
    }
    assert_eq!(
        lines[0]["encoding"], "gzip",
        "errors are compressed like any body"
    );
    let docs = &lines[4];
    assert_eq!(docs["status"], 200);
    assert!(docs["html"].as_str().unwrap().contains("<"), "{docs}");
    curl_reads_an_error(&app).await;
}

/// curl with `--compressed` (it then asks for gzip and decodes).
async fn curl_reads_an_error(app: &TestApp) {
    let url = app.url("/api/v1/inspections");
    let out = tokio::task::spawn_blocking(move || {
        Command::new("curl")
            .args([
                "-s",
                "--compressed",
                "-H",
                "Authorization: Bearer nope",
                &url,
            ])
            .output()
    })
    .await
    .unwrap();
    let Ok(out) = out else {
        assert!(std::env::var_os("CI").is_none(), "curl is required in CI");
        return;
    };
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["code"], "invalid_token");
}
