//! Resumable uploads over tus 1.0: the real tus-js-client resuming a cut-off upload, and the
//! protocol's refusals (version, offset, checksum, someone else's upload, termination,
//! expiry), each leaving no bytes behind.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use reqwest::Method;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::both_engines;
use crate::evidence::{new_evidence, setup};
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::node::{clients_dir, ready};
use crate::photos;

both_engines!(
    tus_js_client_resumes_a_cut_off_upload,
    tus_protocol_refusals_leave_nothing
);

fn metadata(evidence: &str) -> String {
    format!(
        "evidence_id {},filename {}",
        STANDARD.encode(evidence),
        STANDARD.encode("ảnh.jpg")
    )
}

pub async fn create(
    app: &TestApp,
    token: &str,
    evidence: &str,
    length: usize,
) -> reqwest::Response {
    app.authed(Method::POST, "/api/v1/uploads", token)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", length.to_string())
        .header("upload-metadata", metadata(evidence))
        .send()
        .await
        .unwrap()
}

pub async fn patch(
    app: &TestApp,
    token: &str,
    url: &str,
    offset: usize,
    bytes: Vec<u8>,
    checksum: Option<String>,
) -> reqwest::Response {
    let mut req = app
        .authed(Method::PATCH, url, token)
        .header("tus-resumable", "1.0.0")
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", offset.to_string());
    if let Some(c) = checksum {
        req = req.header("upload-checksum", c);
    }
    req.body(bytes).send().await.unwrap()
}

pub async fn offset(app: &TestApp, token: &str, url: &str) -> (u16, Option<u64>) {
    let res = app
        .authed(Method::HEAD, url, token)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    let off = res
        .headers()
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (res.status().as_u16(), off)
}

pub fn part_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.settings.data_dir.join("uploads"))
        .map(|d| d.count())
        .unwrap_or(0)
}

async fn tus_js_client_resumes_a_cut_off_upload(engine: Engine) {
    if ready("tus-js-client").is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    // Big enough that half of it is still in flight when the connection drops.
    let photo = photos::jpeg(2400, 1800, 11, true);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("photo.jpg");
    std::fs::write(&file, &photo).unwrap();

    let mut cmd = std::process::Command::new("node");
    cmd.arg("tus_resume.mjs")
        .current_dir(clients_dir())
        .env("KT_BASE", &app.base)
        .env("KT_TOKEN", &w.insp1)
        .env("KT_EVIDENCE", &id)
        .env("KT_FILE", &file);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        out.status.success(),
        "node failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let r: Value = serde_json::from_str(
        stdout
            .lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .expect("result line"),
    )
    .unwrap();
    let cut = r["offsetAfterCut"].as_u64().unwrap();
    assert_eq!(r["headStatus"], 200, "{r}");
    assert!(
        cut > 0 && cut < photo.len() as u64,
        "the cut-off upload kept {cut} of {} bytes",
        photo.len()
    );

    let ev: Value = app
        .get_json(&format!("/api/v1/evidence/{id}"), &w.insp1)
        .await;
    assert_eq!(ev["upload_state"], "stored", "{ev}");
    let sha = hex::encode(Sha256::digest(&photo));
    assert_eq!(ev["sha256"], sha);
    // The stored file itself hashes to the original's SHA-256.
    let stored = std::fs::read(
        app.settings
            .data_dir
            .join("blobs/originals")
            .join(&sha[..2])
            .join(&sha),
    )
    .unwrap();
    assert_eq!(hex::encode(Sha256::digest(&stored)), sha);
    assert_eq!(
        part_files(&app),
        0,
        "the finished upload's part file is gone"
    );
    let url = r["url"].as_str().unwrap();
    assert_eq!(
        offset(&app, &w.insp1, url).await.0,
        404,
        "a finished upload is forgotten"
    );
}

async fn tus_protocol_refusals_leave_nothing(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;

    let res = app
        .req(Method::OPTIONS, "/api/v1/uploads")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(res.headers()["tus-version"], "1.0.0");
    let ext = res.headers()["tus-extension"].to_str().unwrap().to_owned();
    for e in ["creation", "termination", "checksum", "expiration"] {
        assert!(ext.contains(e), "{ext}");
    }
    assert_eq!(res.headers()["tus-checksum-algorithm"], "sha256");

    // Without the protocol version: 412.
    let res = app
        .authed(Method::POST, "/api/v1/uploads", &w.insp1)
        .header("upload-length", "10")
        .header("upload-metadata", metadata(&id))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["tus-version"], "1.0.0");
    assert_problem(res, 412, "tus_version_unsupported").await;
    // Someone else's inspection: 404, nothing created.
    assert_problem(create(&app, &w.insp2, &id, 10).await, 404, "not_found").await;
    // Viewers read evidence but never upload it.
    assert_problem(create(&app, &w.viewer, &id, 10).await, 403, "forbidden").await;
    // No evidence named, or too big.
    let res = app
        .authed(Method::POST, "/api/v1/uploads", &w.insp1)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", "10")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "upload_headers_invalid").await;
    assert_problem(
        create(&app, &w.insp1, &id, 100 * 1024 * 1024).await,
        413,
        "upload_too_large",
    )
    .await;
    assert_eq!(part_files(&app), 0);

    let photo = photos::jpeg(300, 200, 12, false);
    let res = create(&app, &w.insp1, &id, photo.len()).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["tus-resumable"], "1.0.0");
    assert!(res.headers().contains_key("upload-expires"));
    let url = res.headers()["location"].to_str().unwrap().to_owned();
    let half = photo.len() / 2;

    // Wrong offset: 409, and the offset stays.
    assert_problem(
        patch(&app, &w.insp1, &url, 5, photo[5..half].to_vec(), None).await,
        409,
        "upload_offset_mismatch",
    )
    .await;
    // Wrong checksum: 460, the request's bytes are discarded.
    let bad = format!(
        "sha256 {}",
        STANDARD.encode(Sha256::digest(b"not these bytes"))
    );
    assert_problem(
        patch(&app, &w.insp1, &url, 0, photo[..half].to_vec(), Some(bad)).await,
        460,
        "checksum_mismatch",
    )
    .await;
    assert_eq!(offset(&app, &w.insp1, &url).await, (200, Some(0)));
    // Wrong content type.
    let res = app
        .authed(Method::PATCH, &url, &w.insp1)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .body(photo[..half].to_vec())
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "upload_headers_invalid").await;
    // A right first half with its checksum.
    let good = format!("sha256 {}", STANDARD.encode(Sha256::digest(&photo[..half])));
    let res = patch(&app, &w.insp1, &url, 0, photo[..half].to_vec(), Some(good)).await;
    assert_eq!(res.status(), 204);
    assert_eq!(res.headers()["upload-offset"], half.to_string());
    // Someone else cannot see, continue or end it.
    assert_eq!(offset(&app, &w.insp2, &url).await.0, 404);
    assert_problem(
        patch(&app, &w.insp2, &url, half, photo[half..].to_vec(), None).await,
        404,
        "not_found",
    )
    .await;
    // More than announced is refused and not kept.
    let mut long = photo[half..].to_vec();
    long.extend_from_slice(b"extra");
    assert_problem(
        patch(&app, &w.insp1, &url, half, long, None).await,
        400,
        "upload_headers_invalid",
    )
    .await;
    assert_eq!(offset(&app, &w.insp1, &url).await, (200, Some(half as u64)));
    // The rest completes it.
    let res = patch(&app, &w.insp1, &url, half, photo[half..].to_vec(), None).await;
    assert_eq!(res.status(), 204);
    let ev: Value = app
        .get_json(&format!("/api/v1/evidence/{id}"), &w.insp1)
        .await;
    assert_eq!(ev["sha256"], hex::encode(Sha256::digest(&photo)));
    assert_eq!(part_files(&app), 0);

    // A finished file that is no image: refused, and neither bytes nor upload remain.
    let id2 = new_evidence(&app, &w.insp1, &ins, "b").await;
    let text = b"khong phai anh, chi la van ban".to_vec();
    let url2 = create(&app, &w.insp1, &id2, text.len()).await.headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_problem(
        patch(&app, &w.insp1, &url2, 0, text, None).await,
        422,
        "not_an_image",
    )
    .await;
    assert_eq!(offset(&app, &w.insp1, &url2).await.0, 404);
    assert_eq!(part_files(&app), 0);
    let ev: Value = app
        .get_json(&format!("/api/v1/evidence/{id2}"), &w.insp1)
        .await;
    assert_eq!(ev["upload_state"], "pending");

    // Termination deletes the bytes.
    let url3 = create(&app, &w.insp1, &id2, 1000).await.headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        patch(&app, &w.insp1, &url3, 0, vec![0xFF; 10], None)
            .await
            .status(),
        204
    );
    assert_eq!(part_files(&app), 1);
    let res = app
        .authed(Method::DELETE, &url3, &w.insp1)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(offset(&app, &w.insp1, &url3).await.0, 404);
    assert_eq!(part_files(&app), 0);
}

/// Abandoned uploads are swept once they expire.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_uploads_are_swept() {
    let app = TestApp::spawn_with(Engine::Sqlite, |s| s.media.upload_expiry_hours = 0)
        .await
        .unwrap();
    let (w, ins) = setup(&app).await;
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    let res = create(&app, &w.insp1, &id, 1000).await;
    assert_eq!(res.status(), 201);
    let url = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(part_files(&app), 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    // Expired: gone for the client at once, and swept from disk.
    assert_eq!(offset(&app, &w.insp1, &url).await.0, 404);
    let media = kiemtra::media::Media::open(&app.settings).unwrap();
    let swept = kiemtra::media::sweep::expired(&media, &app.db)
        .await
        .unwrap();
    assert_eq!(swept, 1);
    assert_eq!(part_files(&app), 0);
}
