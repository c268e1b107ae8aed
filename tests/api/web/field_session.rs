//! The offline app's session against the real server, in Chromium
//! (tests/browser/field_session.mjs): access tokens refreshed once when they run out (two tabs
//! at once included), a refused refresh that asks to sign in again without losing a change,
//! and an older build met with 426 that stops, keeps its outbox and sends it once updated.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

/// Access tokens' life on the server of the refresh journey: long enough for a sync to finish
/// inside it, short enough for a test to wait it out.
const SHORT_TTL_SECS: u64 = 6;

both_engines!(
    edits_made_after_the_access_token_expires_sync_with_one_refresh,
    a_refused_refresh_asks_to_sign_in_again_and_keeps_every_change,
    an_older_build_told_426_stops_keeps_its_outbox_and_sends_it_once_updated,
);

/// Runs one journey of field_session.mjs as insp1 against `app`; returns its JSON line.
fn journey(app: &TestApp, engine: Engine, name: &str, extra: Value) -> Value {
    let mut fixture = json!({
        "base": app.base,
        "journey": name,
        "username": "insp1",
        // The world's users sign in with `pw-<name>-123` (tests/api/helpers.rs).
        "password": "pw-insp1-123",
        "screenshots": super::browser::screenshots(engine),
    });
    for (k, v) in extra.as_object().into_iter().flatten() {
        fixture[k] = v.clone();
    }
    super::browser::run_reporting("field_session.mjs", &fixture)
}

async fn answers(app: &TestApp, w: &World, report: &Value) -> Value {
    let id = report["inspection"].as_str().expect("an inspection id");
    let insp: Value = app
        .get_json(&format!("/api/v1/inspections/{id}"), &w.lead1)
        .await;
    insp["answers"].clone()
}

async fn edits_made_after_the_access_token_expires_sync_with_one_refresh(engine: Engine) {
    if super::browser::ready().is_none() {
        return;
    }
    let Some(first) = TestApp::spawn(engine).await else {
        return;
    };
    // The world is built with ordinary tokens; the phone talks to a second server on the same
    // data whose access tokens last seconds (a real setting, `access_token_ttl_secs`).
    let w = World::build(&first).await;
    let url = first
        .settings
        .database_url
        .as_ref()
        .map(|u| u.expose().to_owned());
    let app = TestApp::spawn_in_with(&first.settings.data_dir, url, |s| {
        s.access_token_ttl_secs = SHORT_TTL_SECS;
    })
    .await;
    let report = journey(&app, engine, "refresh", json!({ "ttl": SHORT_TTL_SECS }));
    let a = answers(&app, &w, &report).await;
    assert_eq!(a["b"]["value"], "part", "the edit made after expiry: {a}");
    assert_eq!(a["d"]["value"], 4, "the edit sent after token_expired: {a}");
}

async fn a_refused_refresh_asks_to_sign_in_again_and_keeps_every_change(engine: Engine) {
    if super::browser::ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let report = journey(&app, engine, "refused", json!({}));
    assert_eq!(report["unsent"], 3, "{report}");
    let a = answers(&app, &w, &report).await;
    assert_eq!(a["b"]["value"], "part", "{a}");
    assert_eq!(a["d"]["value"], 4, "{a}");
    assert_eq!(a["e"]["value"], 7, "{a}");
}

async fn an_older_build_told_426_stops_keeps_its_outbox_and_sends_it_once_updated(engine: Engine) {
    if super::browser::ready().is_none() {
        return;
    }
    let field = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("field");
    if crate::node::installed(
        "field bundle",
        &field,
        &["esbuild", "dexie", "tus-js-client"],
    )
    .is_none()
    {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    // The app as a release speaking schema 0 was built: this server speaks 1 only.
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("app-schema-0.js");
    let built = Command::new("node")
        .args([
            "build.mjs",
            "--schema=0",
            &format!("--out={}", old.display()),
        ])
        .current_dir(&field)
        .output()
        .expect("node");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let report = journey(&app, engine, "stale", json!({ "stale_bundle": old }));
    assert_eq!(report["unsent"], 3, "{report}");
    let a = answers(&app, &w, &report).await;
    assert_eq!(a["b"]["value"], "part", "{a}");
    assert_eq!(a["d"]["value"], 4, "{a}");
    assert_eq!(a["e"]["value"], 9, "the edit made on the older build: {a}");
}
