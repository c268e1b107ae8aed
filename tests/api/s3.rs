//! The same evidence flows against an S3-compatible object store instead of local files:
//! `s3s-fs` (crates.io), a real S3 server keeping objects on disk, started on a random port.
//! CI installs it (`.ci/run`); elsewhere a missing binary is a loud skip, and a failure with
//! `KIEMTRA_TEST_S3=require`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use kiemtra::config::{S3Settings, Secret};
use reqwest::Method;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::evidence::{new_evidence, setup};
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::photos;

const BUCKET: &str = "kiemtra";

struct S3Server {
    child: Child,
    root: tempfile::TempDir,
    endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KIEMTRA_TEST_S3S_FS") {
        return Some(PathBuf::from(p));
    }
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tools/bin/s3s-fs");
    if local.exists() {
        return Some(local);
    }
    Command::new("s3s-fs")
        .arg("--help")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| PathBuf::from("s3s-fs"))
}

fn start() -> Option<S3Server> {
    let Some(bin) = binary() else {
        if std::env::var("KIEMTRA_TEST_S3").as_deref() == Ok("require") {
            panic!("KIEMTRA_TEST_S3=require but no s3s-fs binary (cargo install s3s-fs --version 0.14.1 --features binary --root target/tools)");
        }
        eprintln!("\n!!!!!!!! S3 BLOB STORE TESTS SKIPPED: no s3s-fs (cargo install s3s-fs --version 0.14.1 --features binary --root target/tools)\n");
        return None;
    };
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join(BUCKET)).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(bin)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--access-key",
            "kiemtra",
            "--secret-key",
            "kiemtra-secret-key",
        ])
        .arg(root.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("s3s-fs starts");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Some(S3Server {
        child,
        root,
        endpoint: format!("http://127.0.0.1:{port}"),
    })
}

fn objects(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.join(BUCKET)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
            } else if !name.starts_with('.') {
                out.push(p);
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_lives_in_an_s3_compatible_store() {
    let Some(s3) = start() else { return };
    let endpoint = s3.endpoint.clone();
    let app = TestApp::spawn_with(Engine::Sqlite, move |s| {
        s.blob_url = Some(format!("s3://{BUCKET}/photos"));
        s.s3 = S3Settings {
            endpoint: Some(endpoint),
            region: Some("us-east-1".into()),
            access_key_id: Some("kiemtra".into()),
            secret_access_key: Some(Secret::new("kiemtra-secret-key")),
            allow_http: Some(true),
        };
    })
    .await
    .unwrap();
    let (w, ins) = setup(&app).await;

    // A plain upload: stored in the bucket under its SHA-256, nothing on local disk.
    let photo = photos::jpeg(900, 600, 21, true);
    let sha = hex::encode(Sha256::digest(&photo));
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{id}/content"),
            &w.insp1,
        )
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let original = s3
        .root
        .path()
        .join(BUCKET)
        .join("photos/originals")
        .join(&sha[..2])
        .join(&sha);
    assert_eq!(
        std::fs::read(&original).unwrap(),
        photo,
        "the object is the original, byte-exact"
    );
    assert!(!app.settings.data_dir.join("blobs").exists());

    // Served from the store, with ranges and ETag.
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.lead1,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["etag"], format!("\"{sha}\""));
    assert_eq!(res.bytes().await.unwrap().to_vec(), photo);
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.lead1,
        )
        .header("range", "bytes=-50")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(
        res.bytes().await.unwrap().to_vec(),
        photo[photo.len() - 50..].to_vec()
    );
    // Thumbnails are made from the store's copy and kept there, without metadata.
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/evidence/{id}/thumbnail?size=320"),
            &w.insp1,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let thumb = res.bytes().await.unwrap().to_vec();
    let img = image::load_from_memory(&thumb).unwrap();
    assert_eq!(
        (img.width(), img.height()),
        (213, 320),
        "upright: orientation 6"
    );
    assert!(exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&thumb))
        .is_err());
    assert!(s3
        .root
        .path()
        .join(BUCKET)
        .join(format!("photos/thumbnails/320/{sha}.jpg"))
        .exists());

    // The same photo for another item is stored once.
    let id2 = new_evidence(&app, &w.insp1, &ins, "b").await;
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{id2}/content"),
            &w.insp1,
        )
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let originals: Vec<_> = objects(s3.root.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("/originals/"))
        .collect();
    assert_eq!(originals.len(), 1, "{originals:?}");

    // A large photo goes up as a multipart upload, over tus, in two parts.
    let big = photos::padded(&photos::jpeg(1200, 900, 22, false), 9 * 1024 * 1024);
    assert!(
        big.len() > 8 * 1024 * 1024,
        "big enough for multipart: {}",
        big.len()
    );
    let id3 = new_evidence(&app, &w.insp1, &ins, "d").await;
    let res = app
        .authed(Method::POST, "/api/v1/uploads", &w.insp1)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", big.len().to_string())
        .header(
            "upload-metadata",
            format!("evidence_id {}", STANDARD.encode(&id3)),
        )
        .send()
        .await
        .unwrap();
    let url = res.headers()["location"].to_str().unwrap().to_owned();
    let half = big.len() / 2;
    for (from, to) in [(0, half), (half, big.len())] {
        let res = app
            .authed(Method::PATCH, &url, &w.insp1)
            .header("tus-resumable", "1.0.0")
            .header("content-type", "application/offset+octet-stream")
            .header("upload-offset", from.to_string())
            .body(big[from..to].to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 204);
    }
    let ev: Value = app
        .get_json(&format!("/api/v1/evidence/{id3}"), &w.insp1)
        .await;
    let big_sha = hex::encode(Sha256::digest(&big));
    assert_eq!(ev["sha256"], big_sha);
    let stored = std::fs::read(
        s3.root
            .path()
            .join(BUCKET)
            .join("photos/originals")
            .join(&big_sha[..2])
            .join(&big_sha),
    )
    .unwrap();
    assert_eq!(hex::encode(Sha256::digest(&stored)), big_sha);

    // A refused file leaves no object.
    let before = objects(s3.root.path()).len();
    let id4 = new_evidence(&app, &w.insp1, &ins, "e").await;
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{id4}/content"),
            &w.insp1,
        )
        .body(b"not a photo".to_vec())
        .send()
        .await
        .unwrap();
    assert_problem(res, 422, "not_an_image").await;
    assert_eq!(objects(s3.root.path()).len(), before);
}
