//! The web app in a real browser: Debian's Chromium driven by playwright-core
//! (tests/browser), over the demo dataset, on both engines. The journeys, axe-core and the
//! screenshots are in `tests/browser/*.mjs`; this starts the server, loads the data and hands
//! the accounts over. In CI a missing Chromium or Node is a failure, not a skip.

use std::path::PathBuf;
use std::process::Command;

use serde_json::json;

use crate::both_engines;
use crate::helpers::{Engine, TestApp};

pub(super) fn browser_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("browser")
}

pub(super) fn chromium() -> String {
    std::env::var("KIEMTRA_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// `None` (after a loud notice) when Node or Chromium is missing outside CI; a failure in CI.
pub(super) fn ready() -> Option<()> {
    if !std::path::Path::new(&chromium()).exists() {
        if std::env::var_os("CI").is_some() {
            panic!("Chromium is required for the browser tests (apt-get install chromium)");
        }
        eprintln!("\n!!!!!!!! BROWSER TESTS SKIPPED: no Chromium\n");
        return None;
    }
    crate::node::installed("browser", &browser_dir(), &["playwright-core", "axe-core"])
}

/// Where screenshots go: `KIEMTRA_SCREENSHOTS` (e.g. `docs/img` to refresh the committed
/// ones), else under target/, from the SQLite run only (both engines show the same pages).
pub(super) fn screenshots(engine: Engine) -> Option<String> {
    if engine != Engine::Sqlite {
        return None;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // Node runs in tests/browser: a relative folder is taken from the repository's root, as
    // the docs write it, not from there.
    let dir = std::env::var("KIEMTRA_SCREENSHOTS")
        .map_or_else(|_| root.join("target/screenshots"), |d| root.join(d));
    Some(dir.display().to_string())
}

/// Runs `script` of tests/browser with `fixture`, fails the test with its output if it fails,
/// and returns its report: the JSON object on its last line (the field app's journeys).
pub(super) fn run_reporting(script: &str, fixture: &serde_json::Value) -> serde_json::Value {
    let out = Command::new("node")
        .arg(script)
        .current_dir(browser_dir())
        .env("KIEMTRA_BROWSER_FIXTURE", fixture.to_string())
        .env("KIEMTRA_CHROMIUM", chromium())
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.lines().last().unwrap_or("{}")).expect("the journey's report")
}

both_engines!(leads_and_administrators_do_their_jobs_in_chromium);

async fn leads_and_administrators_do_their_jobs_in_chromium(engine: Engine) {
    if ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let media = kiemtra::media::Media::open(&app.settings).expect("media");
    let accounts = kiemtra::demo::load(&app.db, &media)
        .await
        .expect("demo data");
    let accounts: serde_json::Map<String, serde_json::Value> = accounts
        .into_iter()
        .map(|a| (a.username, json!(a.password)))
        .collect();
    let report = tempfile::NamedTempFile::new().expect("report file");
    let fixture = json!({
        "base": app.base,
        "accounts": accounts,
        "screenshots": screenshots(engine),
        "engine": format!("{engine:?}"),
    });
    let out = Command::new("node")
        .arg("journeys.mjs")
        .current_dir(browser_dir())
        .env("KIEMTRA_BROWSER_FIXTURE", fixture.to_string())
        .env("KIEMTRA_BROWSER_REPORT", report.path())
        .env("KIEMTRA_CHROMIUM", chromium())
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}");
    assert!(
        out.status.success(),
        "browser journeys failed:\n{stdout}\n{stderr}"
    );
    if let Ok(weights) = std::fs::read_to_string(report.path()) {
        let _ = std::fs::write(
            format!(
                "{}/target/web-pages-{engine:?}.json",
                env!("CARGO_MANIFEST_DIR")
            ),
            weights,
        );
    }
}
