//! Uploads survive a crash. The real `kiemtra` binary is SIGKILLed in the middle of a tus PATCH
//! sent by tus-js-client, restarted on the same data folder and database, and tus-js-client
//! resumes from the offset the restarted server reports: that offset must be exactly what is on
//! disk, and the stored photo must be the client's file, byte for byte. And a crash in the
//! middle of a PUT and of a PATCH of a damaged photo leaves nothing once the server is back.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::both_engines;
use crate::cli::{kiemtra, Server};
use crate::evidence::{new_evidence, setup};
use crate::helpers::{Engine, TestApp, JWT_SECRET};
use crate::node::{clients_dir, ready};
use crate::photos;

both_engines!(
    a_tus_upload_survives_sigkill_mid_patch,
    crashes_mid_upload_leave_nothing_of_refused_files
);

/// The database for `engine`: `Some(None)` for SQLite, `None` when PostgreSQL is missing (and
/// not required).
pub fn database(engine: Engine) -> Option<Option<String>> {
    match engine {
        Engine::Sqlite => Some(None),
        Engine::Postgres => match crate::pg::fresh_database() {
            Ok(u) => Some(Some(u)),
            Err(why) if crate::pg::required() => panic!("PostgreSQL required: {why}"),
            Err(why) => {
                eprintln!("!!!!!!!! POSTGRESQL CRASH TEST SKIPPED: {why}");
                None
            }
        },
    }
}

/// The test world and `n` evidence records, made by an in-process server that is then
/// stopped (its runtime dropped); returns the inspector's token and the evidence ids.
pub fn world_then_stop(dir: &Path, url: Option<String>, n: usize) -> (String, Vec<String>) {
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let app = TestApp::spawn_in(&dir, url).await;
            let (w, ins) = setup(&app).await;
            let mut ids = Vec::new();
            for _ in 0..n {
                ids.push(new_evidence(&app, &w.insp1, &ins, "a").await);
            }
            (w.insp1.clone(), ids)
        })
    })
    .join()
    .unwrap()
}

pub fn serve(dir: &Path, url: &Option<String>) -> Server {
    let mut cmd = kiemtra(dir);
    cmd.args(["serve", "--bind", "127.0.0.1:0"])
        .env("KIEMTRA_JWT_SECRET", JWT_SECRET);
    if let Some(u) = url {
        cmd.env("KIEMTRA_DATABASE_URL", u);
    }
    tokio::task::block_in_place(|| Server::start(cmd))
}

fn part_file(dir: &Path) -> Option<(PathBuf, u64)> {
    std::fs::read_dir(dir.join("uploads"))
        .ok()?
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .and_then(|e| Some((e.path(), e.metadata().ok()?.len())))
}

fn node(mode: &str, base: &str, token: &str, evidence: &str, file: &Path) -> Command {
    let mut cmd = Command::new("node");
    cmd.arg("tus_crash.mjs")
        .current_dir(clients_dir())
        .env("KT_MODE", mode)
        .env("KT_BASE", base)
        .env("KT_TOKEN", token)
        .env("KT_EVIDENCE", evidence)
        .env("KT_FILE", file);
    cmd
}

/// tus-js-client starts the upload through a slow proxy; the server is SIGKILLed once
/// `bytes` of its one PATCH are in. Returns the upload's path and the part file's size then.
async fn upload_then_kill(
    server: &mut Server,
    dir: &Path,
    (token, evidence, file): (&str, &str, &Path),
    bytes: u64,
) -> (String, u64) {
    let mut client = node("start", &server.url(""), token, evidence, file)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(client.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let upload = first["url"].as_str().expect("upload created").to_owned();
    for _ in 0..600 {
        if part_file(dir).is_some_and(|(_, n)| n >= bytes) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.sigkill();
    let at_kill = part_file(dir).unwrap().1;
    assert!(at_kill >= bytes, "the PATCH never got going");
    let ended: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert!(
        ended["error"].is_string(),
        "the first attempt must fail: {ended}"
    );
    tokio::task::block_in_place(|| client.wait()).unwrap();
    (upload, at_kill)
}

async fn head_offset(server: &Server, token: &str, upload: &str) -> u64 {
    let res = reqwest::Client::new()
        .request(Method::HEAD, server.url(upload))
        .bearer_auth(token)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// The stored photo is the client's file: the same SHA-256 on disk and through the API, and
/// the same bytes from GET content.
async fn assert_stored(server: &Server, dir: &Path, token: &str, evidence: &str, photo: &[u8]) {
    let sha = hex::encode(Sha256::digest(photo));
    let stored = dir.join("blobs/originals").join(&sha[..2]).join(&sha);
    assert_eq!(
        hex::encode(Sha256::digest(std::fs::read(stored).unwrap())),
        sha
    );
    let http = reqwest::Client::new();
    let get = |path: String| http.get(server.url(&path)).bearer_auth(token).send();
    let ev: Value = get(format!("/api/v1/evidence/{evidence}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ev["upload_state"], "stored", "{ev}");
    assert_eq!(ev["sha256"], sha);
    let body = get(format!("/api/v1/evidence/{evidence}/content"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        body[..] == photo[..],
        "GET content returns the client's bytes"
    );
    assert!(part_file(dir).is_none(), "no part file is left");
}

async fn a_tus_upload_survives_sigkill_mid_patch(engine: Engine) {
    if ready("tus-js-client").is_none() {
        return;
    }
    let Some(url) = database(engine) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (token, ids) = world_then_stop(dir.path(), url.clone(), 1);
    let evidence = ids[0].clone();
    // 6 MB: a 2 MB/s proxy makes its one PATCH last about three seconds.
    let photo = photos::padded(&photos::jpeg(1200, 900, 21, true), 6_000_000);
    let file = dir.path().join("client-photo.jpg");
    std::fs::write(&file, &photo).unwrap();
    let mut server = serve(dir.path(), &url);
    // Killed once 2.5 MB of the PATCH are in: past two checkpoints, mid-request.
    let client = (token.as_str(), evidence.as_str(), file.as_path());
    let (upload, at_kill) = upload_then_kill(&mut server, dir.path(), client, 2_500_000).await;

    // Restarted on the same data: HEAD says exactly what the part file holds, at a checkpoint
    // before the kill; what the killed server wrote after its last checkpoint is cut off.
    let server = serve(dir.path(), &url);
    let offset = head_offset(&server, &token, &upload).await;
    let (part, on_disk) = part_file(dir.path()).unwrap();
    eprintln!("killed with {at_kill} bytes in the part file; restarted at offset {offset}");
    assert_eq!(offset, on_disk, "HEAD reports what is on disk");
    assert!(
        offset >= 1 << 20 && offset <= at_kill,
        "{offset} vs {at_kill}"
    );
    assert!(std::fs::read(part).unwrap()[..] == photo[..offset as usize]);

    let out = tokio::task::block_in_place(|| {
        node("resume", &server.url(""), &token, &evidence, &file)
            .env("KT_UPLOAD", &upload)
            .output()
    })
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(out.stdout.trim_ascii()).unwrap();
    assert_eq!(r["offsetBefore"], offset, "{r}");
    assert_stored(&server, dir.path(), &token, &evidence, &photo).await;
}

/// Sends a request head and the first `part` bytes of `body`, and leaves it hanging.
async fn hanging(addr: &str, head: String, body: &[u8], part: usize) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut sock = tokio::net::TcpStream::connect(addr).await.unwrap();
    sock.write_all(head.as_bytes()).await.unwrap();
    sock.write_all(&body[..part]).await.unwrap();
    sock.flush().await.unwrap();
    sock
}

fn bytes_under(dir: &Path) -> u64 {
    crate::evidence::files_under(dir)
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// A PUT and a tus PATCH of a damaged photo are both in flight when the server is killed.
/// After the restart the PUT's temp file is gone; the tus upload resumes at what is on disk,
/// and once complete the file is refused: no blob, no part file, both records still pending.
/// Leaves a PUT of `photo` (evidence `ids[0]`) and a tus PATCH of `damaged` (evidence
/// `ids[1]`) hanging halfway, and waits until their bytes are on disk; returns the upload path
/// and the two sockets (kept open until the kill).
async fn in_flight(
    server: &Server,
    dir: &Path,
    token: &str,
    ids: &[String],
    (photo, damaged): (&[u8], &[u8]),
) -> (String, [tokio::net::TcpStream; 2]) {
    let http = reqwest::Client::new();
    let res = http
        .post(server.url("/api/v1/uploads"))
        .bearer_auth(token)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", damaged.len().to_string())
        .header(
            "upload-metadata",
            format!("evidence_id {}", base64_of(&ids[1])),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let upload = res.headers()["location"].to_str().unwrap().to_owned();
    let put = format!("PUT /api/v1/evidence/{}/content HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\n\r\n", ids[0], photo.len());
    let put_socket = hanging(&server.addr, put, photo, 1_500_000).await;
    let patch = format!("PATCH {upload} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: {}\r\n\r\n", damaged.len());
    let patch_socket = hanging(&server.addr, patch, damaged, 1_500_000).await;
    for _ in 0..500 {
        let (tmp, parts) = (
            bytes_under(&dir.join("tmp")),
            bytes_under(&dir.join("uploads")),
        );
        if tmp >= 1_400_000 && parts >= 1_400_000 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (upload, [put_socket, patch_socket])
}

async fn crashes_mid_upload_leave_nothing_of_refused_files(engine: Engine) {
    let Some(url) = database(engine) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (token, ids) = world_then_stop(dir.path(), url.clone(), 2);
    let photo = photos::padded(&photos::jpeg(800, 600, 22, false), 3_000_000);
    let damaged = crate::hostile::jpeg_truncated_with_end(&photo);
    let mut server = serve(dir.path(), &url);
    let (upload, _sockets) = in_flight(&server, dir.path(), &token, &ids, (&photo, &damaged)).await;
    let http = reqwest::Client::new();
    server.sigkill();
    assert!(
        bytes_under(&dir.path().join("tmp")) > 0,
        "the PUT was in flight"
    );

    let server = serve(dir.path(), &url);
    // The dead PUT's temp file is swept at start.
    for _ in 0..100 {
        if crate::evidence::files_under(&dir.path().join("tmp")).is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(crate::evidence::files_under(&dir.path().join("tmp")).is_empty());
    let offset = head_offset(&server, &token, &upload).await as usize;
    assert_eq!(offset as u64, part_file(dir.path()).unwrap().1);
    let res = http
        .patch(server.url(&upload))
        .bearer_auth(&token)
        .header("tus-resumable", "1.0.0")
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", offset.to_string())
        .body(damaged[offset..].to_vec())
        .send()
        .await
        .unwrap();
    crate::helpers::assert_problem(res, 422, "image_damaged").await;
    assert!(part_file(dir.path()).is_none(), "no part file is left");
    assert!(crate::evidence::files_under(&dir.path().join("blobs/originals")).is_empty());
    for id in &ids {
        let ev: Value = http
            .get(server.url(&format!("/api/v1/evidence/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(ev["upload_state"], "pending", "{ev}");
        assert_eq!(ev["version"], 1);
    }
}

fn base64_of(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(s)
}
