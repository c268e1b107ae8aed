//! The inspectors' offline app (`/thuc-dia/`, api/web/field): its bundle is what its sources
//! build, its shell, service worker and manifest are served with the app's policy, and, in
//! Chromium (tests/browser/field.mjs), an inspector fills a checklist with no network, reloads,
//! comes back online, and the server then holds every answer and the photo, byte for byte.

use std::path::PathBuf;
use std::process::Command;

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

fn field_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("field")
}

/// The committed bundle (api/web/field/assets/app.js) is exactly what field/src builds to, so
/// what the binary serves is what review read.
#[test]
fn the_bundle_matches_its_sources() {
    if crate::node::installed(
        "field bundle",
        &field_dir(),
        &["esbuild", "dexie", "tus-js-client"],
    )
    .is_none()
    {
        return;
    }
    let out = Command::new("node")
        .args(["build.mjs", "--check"])
        .current_dir(field_dir())
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let size: Value = serde_json::from_str(stdout.trim()).expect("the check's report");
    eprintln!("field bundle: {size}");
    // The issue's budget for the first load's script: 500 KB gzipped.
    assert!(size["gzipped"].as_u64().unwrap_or(u64::MAX) < 500 * 1024);
}

/// The app's own pure rules (HLC, checklist conditions and checks) under node's test runner.
#[test]
fn the_clients_rules_pass_their_unit_tests() {
    if crate::node::installed(
        "field rules",
        &field_dir(),
        &["esbuild", "dexie", "tus-js-client"],
    )
    .is_none()
    {
        return;
    }
    let out = Command::new("node")
        .args(["--test", "test/"])
        .current_dir(field_dir())
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

both_engines!(
    the_shell_worker_and_manifest_are_served_for_offline_use,
    an_inspector_works_offline_and_syncs_in_chromium,
    two_phones_edit_one_item_offline_and_the_lead_gets_the_conflict,
    a_photo_cut_off_halfway_resumes_after_a_reload,
);

async fn the_shell_worker_and_manifest_are_served_for_offline_use(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let shell = app.req(Method::GET, "/thuc-dia/").send().await.unwrap();
    assert_eq!(shell.status(), 200);
    let csp = shell.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    for part in [
        "worker-src 'self'",
        "manifest-src 'self'",
        "script-src 'self'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    let html = shell.text().await.unwrap();
    assert!(html.contains("lang=\"vi\""));

    let worker = app
        .req(Method::GET, "/thuc-dia/sw.js")
        .send()
        .await
        .unwrap();
    assert_eq!(worker.status(), 200);
    assert_eq!(worker.headers()["service-worker-allowed"], "/thuc-dia/");
    let worker = worker.text().await.unwrap();
    assert!(!worker.contains("__BUILD__") && !worker.contains("__PRECACHE__"));
    // Everything the worker keeps for offline use is served, and the shell links the same.
    let list = worker
        .lines()
        .find_map(|l| l.strip_prefix("const PRECACHE = "))
        .expect("the precache list");
    let list: Vec<String> = serde_json::from_str(list.trim_end_matches(';')).unwrap();
    assert!(list.len() >= 5, "{list:?}");
    for url in &list {
        let res = app.req(Method::GET, url).send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        if url.contains("?v=") {
            assert!(html.contains(url.as_str()), "the shell links {url}");
        }
    }

    let manifest: Value = app
        .req(Method::GET, "/thuc-dia/manifest.webmanifest")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(manifest["lang"], "vi");
    assert_eq!(manifest["start_url"], "/thuc-dia/");
    assert!(manifest["name"].as_str().unwrap().contains("Kiểm tra"));
    for icon in manifest["icons"].as_array().unwrap() {
        let res = app
            .req(Method::GET, icon["src"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{icon}");
    }
    let slashless = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/thuc-dia", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(slashless.status(), 303);
    assert_eq!(slashless.headers()["location"], "/thuc-dia/");
}

/// Runs one of the offline app's journeys (tests/browser/field*.mjs) as insp1 of the world
/// and returns the JSON line it prints.
async fn journey(
    app: &TestApp,
    screenshots: Option<String>,
    script: &str,
    photo: &std::path::Path,
) -> Value {
    let fixture = json!({
        "base": app.base,
        "username": "insp1",
        // The world's users sign in with `pw-<name>-123` (tests/api/helpers.rs).
        "password": "pw-insp1-123",
        "photo": photo,
        "screenshots": screenshots,
    });
    super::browser::run_reporting(script, &fixture)
}

/// A JPEG of about `size` bytes in a temporary file.
pub(super) fn photo_file(size: usize) -> (Vec<u8>, tempfile::NamedTempFile) {
    let photo = crate::photos::padded(&crate::photos::jpeg(640, 480, 5, true), size);
    let file = tempfile::Builder::new()
        .suffix(".jpg")
        .tempfile()
        .expect("photo file");
    std::fs::write(file.path(), &photo).expect("photo written");
    (photo, file)
}

pub(super) async fn content_of(app: &TestApp, token: &str, evidence: &str) -> Vec<u8> {
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/evidence/{evidence}/content"),
            token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.bytes().await.unwrap().to_vec()
}

/// The test checklist with a photo item that needs one photo.
pub(super) fn template_with_photo() -> Value {
    let mut t = crate::world::test_template();
    t["sections"][1]["items"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "g", "type": "photo", "label": "Ảnh hiện trường", "evidence": {"min_photos": 1}}));
    t
}

async fn an_inspector_works_offline_and_syncs_in_chromium(engine: Engine) {
    if super::browser::ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build_with_template(&app, template_with_photo()).await;
    let (photo, file) = photo_file(600_000);
    let report = journey(
        &app,
        super::browser::screenshots(engine),
        "field.mjs",
        file.path(),
    )
    .await;
    eprintln!("field journey: {}", report["timings"]);
    let id = report["inspection"].as_str().expect("an inspection id");

    let insp: Value = app
        .get_json(&format!("/api/v1/inspections/{id}"), &w.lead1)
        .await;
    // Submitted from the phone once online, then returned by the lead with a reason, which
    // the phone showed (tests/browser/field.mjs).
    assert_eq!(insp["status"], "returned", "{insp}");
    assert_eq!(insp["return_reason"], "Bổ sung ảnh buổi làm việc", "{insp}");
    assert!(
        insp["events"]
            .to_string()
            .contains(r#""to_status":"submitted""#),
        "the submission reached the server: {}",
        insp["events"]
    );
    assert_eq!(insp["unit_id"], w.unit_a.as_str());
    let a = &insp["answers"];
    assert_eq!(a["a"]["value"], "no", "{a}");
    assert_eq!(a["b"]["value"], "part", "{a}");
    assert_eq!(a["c"]["value"], "Chưa kịp xây dựng chương trình", "{a}");
    assert_eq!(a["d"]["value"], 4, "{a}");
    assert_eq!(a["e"]["value"], 12, "{a}");
    assert_eq!(a["f"]["na"], true, "{a}");
    assert_eq!(insp["strengths"], "Niêm yết thủ tục đầy đủ");
    assert_eq!(insp["shortcomings"], "Chưa đối thoại định kỳ");

    let evidence = report["evidence"].as_str().expect("the photo's id");
    assert!(
        content_of(&app, &w.lead1, evidence).await == photo,
        "the photo on the server is the file the inspector chose, byte for byte"
    );
}

async fn two_phones_edit_one_item_offline_and_the_lead_gets_the_conflict(engine: Engine) {
    if super::browser::ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build_with_template(&app, template_with_photo()).await;
    let (_, file) = photo_file(1000);
    let report = journey(
        &app,
        super::browser::screenshots(engine),
        "field_conflict.mjs",
        file.path(),
    )
    .await;
    let id = report["inspection"].as_str().expect("an inspection id");
    let insp: Value = app
        .get_json(&format!("/api/v1/inspections/{id}"), &w.lead1)
        .await;
    // The later edit (the second phone's) is current.
    assert_eq!(insp["answers"]["b"]["value"], "none", "{insp}");
    let conflicts: Value = app
        .get_json(&format!("/api/v1/conflicts?inspection_id={id}"), &w.lead1)
        .await;
    let items = conflicts.as_array().expect("a list of conflicts");
    assert_eq!(items.len(), 1, "{conflicts}");
    let c = &items[0];
    assert_eq!(c["kind"], "concurrent", "{c}");
    assert_eq!(c["status"], "open", "{c}");
    assert!(
        c["server_value"].as_str().unwrap_or("").contains("part"),
        "{c}"
    );
    assert!(
        c["device_value"].as_str().unwrap_or("").contains("none"),
        "{c}"
    );
}

async fn a_photo_cut_off_halfway_resumes_after_a_reload(engine: Engine) {
    if super::browser::ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build_with_template(&app, template_with_photo()).await;
    // Five chunks of 256 KiB: the network goes during the second.
    let (photo, file) = photo_file(1_200_000);
    let report = journey(
        &app,
        super::browser::screenshots(engine),
        "field_upload.mjs",
        file.path(),
    )
    .await;
    eprintln!("field upload: {}", report["calls"]);
    let evidence = report["evidence"].as_str().expect("the photo's id");
    assert!(
        content_of(&app, &w.lead1, evidence).await == photo,
        "the resumed upload is the file, byte for byte"
    );
}

/// A 60-item checklist: six sections of every kind, one condition in each.
fn template_of_sixty() -> Value {
    let kinds = [
        "yes_no",
        "single_choice",
        "text",
        "number",
        "rating",
        "yes_no",
        "date",
        "yes_no",
        "single_choice",
        "yes_no",
    ];
    let sections: Vec<Value> = (0..6)
        .map(|s| {
            let items: Vec<Value> = kinds
                .iter()
                .enumerate()
                .map(|(i, kind)| {
                    let mut it = json!({"id": format!("s{s}.m{i}"), "type": kind,
                        "label": format!("Mục {}.{}: nội dung kiểm tra", s + 1, i + 1)});
                    match *kind {
                        "yes_no" => it["max_points"] = json!(5),
                        "single_choice" => {
                            it["max_points"] = json!(5);
                            it["options"] = json!([{"value": "du", "label": "Đầy đủ", "points": 5},
                                {"value": "khong", "label": "Không", "points": 0}]);
                        }
                        "rating" => {
                            it["max_points"] = json!(5);
                            it["scale"] = json!({"min": 1, "max": 5});
                        }
                        _ => {}
                    }
                    if i == 2 {
                        it["visible_if"] = json!({"item": format!("s{s}.m0"), "equals": "yes"});
                    }
                    it
                })
                .collect();
            json!({"id": format!("s{s}"), "title": format!("Phần {}", s + 1), "items": items})
        })
        .collect();
    let mut t = crate::world::test_template();
    t["sections"] = json!(sections);
    t["scoring"] = json!({"max_score": 100, "bands": [{"code": "tot", "label": "Tốt", "min": 85}, {"code": "yeu", "label": "Yếu", "min": 0}]});
    t
}

/// The offline app's numbers (docs/field.md, "Benchmark"): not a timed test, run by hand with
/// `cargo test --test api -- --ignored field_benchmark --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by hand"]
async fn field_benchmark() {
    if super::browser::ready().is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(Engine::Sqlite).await else {
        return;
    };
    World::build_with_template(&app, template_of_sixty()).await;
    let (_, file) = photo_file(1000);
    let report = journey(&app, None, "field_bench.mjs", file.path()).await;
    eprintln!("field benchmark: {report:#}");
    assert_eq!(report["items"], 60);
}
