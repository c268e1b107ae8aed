//! Upload, verification by decoding, idempotency, serving, and bad input leaving nothing.

use base64::Engine as _;
use reqwest::Method;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::*;
use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::photos;

both_engines!(
    upload_is_verified_stored_once_and_served,
    bad_input_is_refused_and_leaves_nothing,
);

async fn upload_is_verified_stored_once_and_served(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    let ev: Value = app
        .get_json(&format!("/api/v1/evidence/{id}"), &w.insp1)
        .await;
    assert_eq!(ev["upload_state"], "pending");
    assert_eq!(ev["claimed_latitude"], 18.68);

    let photo = photos::jpeg(640, 480, 1, true);
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&photo));
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{id}/content"),
            &w.insp1,
        )
        .header("content-digest", format!("sha-256=:{digest}:"))
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let ev: Value = res.json().await.unwrap();
    assert_eq!(ev["upload_state"], "stored");
    assert_eq!(ev["sha256"], sha_hex(&photo));
    assert_eq!(ev["size_bytes"], photo.len());
    assert_eq!(ev["media_type"], "image/jpeg");
    assert_eq!(
        (ev["width"].as_i64(), ev["height"].as_i64()),
        (Some(640), Some(480))
    );
    assert_eq!(ev["exif_taken_at"], "2026-05-03T09:12:44+07:00");
    assert!(
        (ev["exif_latitude"].as_f64().unwrap() - photos::LAT).abs() < 1e-4,
        "{ev}"
    );
    assert!(
        (ev["exif_longitude"].as_f64().unwrap() - photos::LON).abs() < 1e-4,
        "{ev}"
    );
    assert_eq!(ev["orientation"], 6);
    let version = ev["version"].clone();
    // Thumbnails are made in the background, off the request path, without being asked for.
    let sha = sha_hex(&photo);
    let thumbs = app.settings.data_dir.join("blobs/thumbnails");
    for _ in 0..200 {
        if thumbs.join(format!("320/{sha}.jpg")).exists()
            && thumbs.join(format!("1280/{sha}.jpg")).exists()
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        thumbs.join(format!("1280/{sha}.jpg")).exists(),
        "background thumbnails"
    );

    // The same bytes again: 200, nothing changes. Other bytes: 409.
    let again = put(&app, &w.insp1, &id, photo.clone()).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["version"], version);
    assert_problem(
        put(&app, &w.insp1, &id, photos::jpeg(640, 480, 2, false)).await,
        409,
        "evidence_content_differs",
    )
    .await;

    // The original, byte-exact, with a strong ETag, caching and ranges.
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.lead1,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", sha_hex(&photo)));
    assert!(res.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(res.bytes().await.unwrap().to_vec(), photo);
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.lead1,
        )
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.lead1,
        )
        .header("range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(
        res.headers()["content-range"],
        format!("bytes 100-199/{}", photo.len())
    );
    assert_eq!(
        res.bytes().await.unwrap().to_vec(),
        photo[100..200].to_vec()
    );
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.lead1,
        )
        .header("range", "bytes=99999999-")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["content-range"],
        format!("bytes */{}", photo.len())
    );
    assert_problem(res, 416, "range_not_satisfiable").await;

    // Thumbnails: upright (orientation 6 turns 640 × 480 into 480 × 640), no metadata at all.
    for (size, expect) in [(320u32, (240u32, 320u32)), (1280, (480, 640))] {
        let res = app
            .authed(
                Method::GET,
                &format!("/api/v1/evidence/{id}/thumbnail?size={size}"),
                &w.insp1,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        let bytes = res.bytes().await.unwrap().to_vec();
        let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).unwrap();
        assert_eq!((img.width(), img.height()), expect, "thumbnail {size}");
        let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&bytes));
        assert!(exif.is_err(), "thumbnail {size} carries EXIF");
    }
    assert_problem(
        app.authed(
            Method::GET,
            &format!("/api/v1/evidence/{id}/thumbnail?size=100"),
            &w.insp1,
        )
        .send()
        .await
        .unwrap(),
        422,
        "validation_failed",
    )
    .await;

    // The same photo as evidence for another item is stored once.
    let id2 = new_evidence(&app, &w.insp1, &ins, "b").await;
    assert_eq!(put(&app, &w.insp1, &id2, photo.clone()).await.status(), 201);
    let originals = files_under(&app.settings.data_dir.join("blobs/originals"));
    assert_eq!(originals.len(), 1, "{originals:?}");

    // The original's fingerprint is in the audit log.
    let audit: Value = app
        .get_json("/api/v1/audit?entity=evidence", &w.admin)
        .await;
    let text = audit.to_string();
    assert!(text.contains(&sha_hex(&photo)), "{text}");

    let list: Vec<Value> = app
        .get_json(&format!("/api/v1/inspections/{ins}/evidence"), &w.viewer)
        .await;
    assert_eq!(list.len(), 2);
}

/// What is sent, its body, an optional `Content-Digest`, and the expected status and code.
type BadCase = (&'static str, Vec<u8>, Option<String>, u16, &'static str);

async fn bad_input_is_refused_and_leaves_nothing(engine: Engine) {
    let Some(app) = TestApp::spawn_with(engine, |s| s.media.max_upload_bytes = 300_000).await
    else {
        return;
    };
    let (w, ins) = setup(&app).await;
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    let mut truncated = photos::jpeg(800, 600, 3, false);
    truncated.truncate(truncated.len() / 2);
    let cases: Vec<BadCase> = vec![
        (
            "text renamed .jpg",
            b"Bien ban kiem tra, khong phai anh".to_vec(),
            None,
            422,
            "not_an_image",
        ),
        ("truncated JPEG", truncated, None, 422, "image_damaged"),
        (
            "1 x 100,000 PNG",
            photos::png(1, 100_000),
            None,
            422,
            "image_too_many_pixels",
        ),
        (
            "PNG claiming 60,000 x 60,000",
            photos::png_claiming(60_000, 60_000),
            None,
            422,
            "image_too_many_pixels",
        ),
        ("empty body", Vec::new(), None, 400, "upload_empty"),
        (
            "over the limit",
            vec![0xFF; 400_000],
            None,
            413,
            "upload_too_large",
        ),
        (
            "wrong checksum",
            photos::jpeg(64, 64, 4, false),
            Some(format!(
                "sha-256=:{}:",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"other"))
            )),
            400,
            "checksum_mismatch",
        ),
        (
            "a GIF",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            None,
            422,
            "unsupported_image_format",
        ),
    ];
    for (what, body, digest, status, code) in cases {
        let mut req = app
            .authed(
                Method::PUT,
                &format!("/api/v1/evidence/{id}/content"),
                &w.insp1,
            )
            .body(body);
        if let Some(d) = digest {
            req = req.header("content-digest", d);
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(res.status().as_u16(), status, "{what}");
        assert_problem(res, status, code).await;
        let ev: Value = app
            .get_json(&format!("/api/v1/evidence/{id}"), &w.insp1)
            .await;
        assert_eq!(ev["upload_state"], "pending", "{what}");
        assert_eq!(ev["version"], 1, "{what}");
        let left: Vec<_> = files_under(&app.settings.data_dir.join("tmp"))
            .into_iter()
            .chain(files_under(&app.settings.data_dir.join("blobs")))
            .collect();
        assert!(left.is_empty(), "{what} left {left:?}");
    }
    // An upload cut off mid-body (the phone loses its network) leaves nothing either.
    {
        use tokio::io::AsyncWriteExt;
        let addr = app.base.trim_start_matches("http://").to_owned();
        let mut sock = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!("PUT /api/v1/evidence/{id}/content HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: image/jpeg\r\nContent-Length: 200000\r\n\r\n", w.insp1);
        sock.write_all(head.as_bytes()).await.unwrap();
        sock.write_all(&photos::jpeg(400, 300, 8, false)[..5000])
            .await
            .unwrap();
        sock.flush().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        drop(sock);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let left = files_under(&app.settings.data_dir.join("tmp"));
        assert!(left.is_empty(), "a cut-off upload left {left:?}");
        let ev: Value = app
            .get_json(&format!("/api/v1/evidence/{id}"), &w.insp1)
            .await;
        assert_eq!(ev["upload_state"], "pending");
    }
    // Refusals wrote nothing to the audit log either.
    let audit: Value = app
        .get_json("/api/v1/audit?entity=evidence", &w.admin)
        .await;
    assert!(!audit.to_string().contains("\"upload\""), "{audit}");
}
