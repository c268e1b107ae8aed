//! The round archive holds each visible original (read back with Python's zipfile).

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::photos;

both_engines!(the_round_archive_holds_each_visible_original,);

/// Reads a ZIP with Python's own `zipfile` (an independent reader): each entry's name and
/// SHA-256, and the manifest's rows.
fn read_zip(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.zip");
    std::fs::write(&path, bytes).unwrap();
    let script = r#"
import csv, hashlib, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
files = {i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}
raw = z.read("manifest.csv")
rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
crlf = all(line.endswith(b"\r") for line in raw.split(b"\n")[:-1])
print(json.dumps({"files": files, "bom": raw.startswith(b"\xef\xbb\xbf"), "crlf": crlf, "manifest": rows}))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn the_round_archive_holds_each_visible_original(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins_a) = setup(&app).await;
    let res = app
        .authed(Method::POST, "/api/v1/inspections", &w.insp2)
        .json(&json!({"round_id": w.round, "unit_id": w.unit_b}))
        .send()
        .await
        .unwrap();
    let ins_b = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (p1, p2, p3) = (
        photos::jpeg(160, 120, 31, true),
        photos::jpeg(160, 120, 32, false),
        photos::png(50, 40),
    );
    let e1 = new_evidence(&app, &w.insp1, &ins_a, "a").await;
    let e2 = new_evidence(&app, &w.insp1, &ins_a, "b").await;
    let e3 = new_evidence(&app, &w.insp2, &ins_b, "a").await;
    let _pending = new_evidence(&app, &w.insp1, &ins_a, "d").await;
    assert_eq!(put(&app, &w.insp1, &e1, p1.clone()).await.status(), 201);
    assert_eq!(put(&app, &w.insp1, &e2, p2.clone()).await.status(), 201);
    assert_eq!(put(&app, &w.insp2, &e3, p3.clone()).await.status(), 201);

    let get = |token: String| {
        let url = format!("/api/v1/rounds/{}/exports/zip", w.round);
        let app = &app;
        async move { app.authed(Method::GET, &url, &token).send().await.unwrap() }
    };
    let res = get(w.admin.clone()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"minh-chung-kiem-tra-nam-2026.zip\""
    );
    let all = read_zip(&res.bytes().await.unwrap());
    assert_eq!((&all["bom"], &all["crlf"]), (&json!(true), &json!(true)));
    let files = all["files"].as_object().unwrap();
    assert_eq!(
        files.len(),
        4,
        "manifest + 3 stored photos (the pending one is not there): {files:?}"
    );
    let a = format!("XA-A_xa-nghi-loc/a/{e1}.jpg");
    assert_eq!(
        files.get(&a).and_then(Value::as_str),
        Some(sha_hex(&p1).as_str()),
        "{files:?}"
    );
    assert!(files.keys().any(|k| k.ends_with(&format!("/a/{e3}.png"))));
    let row = all["manifest"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["Mã minh chứng"] == e1.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["SHA-256"], sha_hex(&p1));
    assert_eq!(row["Thời điểm chụp (EXIF)"], "2026-05-03T09:12:44+07:00");
    assert_eq!(row["Trạng thái phiếu"], "Đang kiểm tra");
    // Six decimals at most, with the decimal comma Excel in Vietnamese settings reads.
    let lat = row["Vĩ độ (EXIF)"].as_str().unwrap();
    assert!(lat.starts_with("18,679"), "{lat}");
    assert!(lat.split(',').nth(1).unwrap().len() <= 6, "{lat}");
    // Every time on the one local offset.
    let uploaded = row["Thời điểm tải lên"].as_str().unwrap();
    assert!(uploaded.ends_with("+07:00"), "{uploaded}");
    assert_eq!(row["Tệp"], a);
    // A lead gets their own team's photos only; another team's inspector theirs.
    let res = get(w.lead1.clone()).await;
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"minh-chung-kiem-tra-nam-2026-xa-nghi-loc.zip\"",
        "one unit's photos: the unit's name too"
    );
    let lead = read_zip(&res.bytes().await.unwrap());
    assert_eq!(lead["files"].as_object().unwrap().len(), 3);
    let other = read_zip(&get(w.insp2.clone()).await.bytes().await.unwrap());
    assert_eq!(other["manifest"].as_array().unwrap().len(), 1);
    assert_problem(
        app.authed(
            Method::GET,
            &format!("/api/v1/rounds/{}/exports/zip", uuid::Uuid::new_v4()),
            &w.admin,
        )
        .send()
        .await
        .unwrap(),
        404,
        "not_found",
    )
    .await;
}
