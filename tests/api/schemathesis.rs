//! Schemathesis (pinned in tests/schemathesis/requirements.txt) generates requests from
//! `/api/v1/openapi.json` for every operation, signed in as each role, against the real
//! server on each engine. It must find no server error and no response that breaks the
//! documented schema. The budget is bounded (a few examples per operation and phase), so the
//! whole run stays near three minutes on two cores.

use std::path::PathBuf;
use std::process::Command;

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

both_engines!(schemathesis_finds_no_server_error_or_schema_violation);

/// Examples per operation and phase; `KIEMTRA_SCHEMATHESIS_EXAMPLES` raises it for a deeper run.
fn examples() -> String {
    std::env::var("KIEMTRA_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "4".into())
}

fn schemathesis(python: &std::path::Path, base: &str, token: &str) -> std::process::Output {
    let exe = python.with_file_name("schemathesis");
    Command::new(exe)
        // It keeps a cache of its findings in the working folder: not in the repository.
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .arg("run")
        .arg(format!("{base}/api/v1/openapi.json"))
        .args(["--checks", "not_a_server_error,response_schema_conformance"])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args([
            "-n",
            &examples(),
            "--seed",
            "20261202",
            // One worker thread: CPython 3.11's `ast` module is not thread-safe
            // (python/cpython#106905), and Hypothesis parses its strategies' lambdas with it,
            // so two workers sometimes die with "AST constructor recursion depth mismatch"
            // (seen in a clean-clone CI run, inside schemathesis, never in the server).
            "-w",
            "1",
            "--no-color",
        ])
        // Latency is the benches' business, not this test's. A PDF export waits for the one
        // LibreOffice conversion at a time (api/reports/export/pdf.rs), and in CI that queue
        // is shared with every other test's PDFs on two cores: a 30 s limit failed a CI run
        // there while every answer was right. Above the conversion's own limit (120 s).
        .args(["--request-timeout", "300"])
        // tus's PATCH body is `application/offset+octet-stream`, which schemathesis cannot
        // generate; the tus tests and tus-js-client cover it.
        .args(["--exclude-path-regex", "^/api/v1/uploads/"])
        .args(["-H", &format!("Authorization: Bearer {token}")])
        .args(["-H", "X-Kiemtra-Schema-Version: 1"])
        .output()
        .unwrap()
}

async fn schemathesis_finds_no_server_error_or_schema_violation(engine: Engine) {
    let reqs =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis/requirements.txt");
    let Some(python) =
        tokio::task::spawn_blocking(move || crate::python::venv("schemathesis", &reqs))
            .await
            .unwrap()
    else {
        return;
    };
    let Some(app) = TestApp::spawn_with(engine, |s| {
        // Generated logins must not slow the run down behind the throttle.
        s.login.free_attempts = 1000;
        s.login.lock_after = 100_000;
    })
    .await
    else {
        return;
    };
    let w = World::build(&app).await;
    // A unit's representative reaches only its own unit's routes; the rest must refuse it
    // with a documented problem, never a server error.
    let unit = crate::self_assessment::unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    for (role, token) in [
        ("admin", &w.admin),
        ("lead", &w.lead1),
        ("inspector", &w.insp1),
        ("viewer", &w.viewer),
        ("unit", &unit),
    ] {
        let (py, base, token) = (python.clone(), app.base.clone(), token.clone());
        let out = tokio::task::spawn_blocking(move || schemathesis(&py, &base, &token))
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let cases = text
            .lines()
            .find(|l| l.contains("generated,"))
            .unwrap_or("")
            .trim();
        assert!(
            out.status.success(),
            "schemathesis as {role} on {engine:?} found problems:\n{}\n{}",
            problems(&text),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!cases.is_empty(), "schemathesis ran no case:\n{text}");
        eprintln!("schemathesis as {role} on {engine:?}: {cases}");
    }
}

/// What schemathesis found, without its progress lines: from its first FAILURES or ERRORS
/// header on, and at most 8,000 characters of it, so a CI log's excerpt of a failure shows
/// the failing operations rather than thousands of passing ones.
fn problems(text: &str) -> String {
    let start = text
        .find("FAILURES")
        .into_iter()
        .chain(text.find("ERRORS"))
        .min()
        .map(|at| text[..at].rfind('\n').map_or(0, |nl| nl + 1))
        .unwrap_or(0);
    text[start..].chars().take(8_000).collect()
}
