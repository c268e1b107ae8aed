//! The bad-input corpus, made at test time (see `hostile`): bombs, truncations, lying headers,
//! polyglots and wrong or unusable checksums, each sent as a plain PUT and as a tus upload.
//! Every one is refused with its own stable code and leaves nothing behind: the evidence stays
//! pending at version 1, no blob row, no file under originals/ or tmp/, no `.part` file, no
//! audit entry. A whole photo sent afterwards is still stored.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::both_engines;
use crate::evidence::{files_under, new_evidence, setup};
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::uploads::{create, offset, part_files, patch};
use crate::{hostile, photos};

both_engines!(every_bad_upload_is_refused_over_put_and_tus);

struct Case {
    what: &'static str,
    body: Vec<u8>,
    /// A checksum header for PUT (name, value) and the tus `Upload-Checksum` for the same case.
    digest: Option<(&'static str, String, String)>,
    status: u16,
    code: &'static str,
}

fn case(what: &'static str, body: Vec<u8>, status: u16, code: &'static str) -> Case {
    Case {
        what,
        body,
        digest: None,
        status,
        code,
    }
}

fn lossless_webp(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 7]));
    let mut buf = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut buf)
        .encode(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    buf
}

const UNPROCESSABLE: u16 = 422;

/// Refused from the header, before a pixel is decoded (with a 64 MiB decoding budget).
#[rustfmt::skip]
fn bombs() -> Vec<Case> {
    let too_big = "image_too_many_pixels";
    vec![
        case("WebP declaring 10000 x 10000 in 28 bytes", hostile::webp_lossless_flat(10_000, 10_000), UNPROCESSABLE, too_big),
        case("WebP over the decoding memory", hostile::webp_lossless_flat(3_000, 3_000), UNPROCESSABLE, too_big),
        case("16-bit PNG over the decoding memory", hostile::png_zeros(3_000, 3_000, true), UNPROCESSABLE, too_big),
        case("progressive JPEG over the decoding memory", hostile::jpeg_progressive_flat(3_000, 3_000, 3), UNPROCESSABLE, too_big),
        case("PNG claiming 60000 x 60000", photos::png_claiming(60_000, 60_000), UNPROCESSABLE, too_big),
        case("GIF claiming 65535 x 65535", hostile::gif_claiming(65_535, 65_535), UNPROCESSABLE, "unsupported_image_format"),
    ]
}

/// Truncated, or data that disagree with the header: decoded to the end and refused.
#[rustfmt::skip]
fn damaged(jpeg: &[u8], png: &[u8], webp: &[u8]) -> Vec<Case> {
    let d = "image_damaged";
    vec![
        case("JPEG cut in half", jpeg[..jpeg.len() / 2].to_vec(), UNPROCESSABLE, d),
        case("JPEG cut in half, end marker appended", hostile::jpeg_truncated_with_end(jpeg), UNPROCESSABLE, d),
        case("PNG cut short", png[..png.len() * 2 / 3].to_vec(), UNPROCESSABLE, d),
        case("WebP cut short", webp[..webp.len() * 2 / 3].to_vec(), UNPROCESSABLE, d),
        case("JPEG header claiming 20000 x 5000", hostile::jpeg_claiming(jpeg, 20_000, 5_000), UNPROCESSABLE, d),
        case("JPEG with zeroed scan data", hostile::jpeg_zeroed_scan(jpeg), UNPROCESSABLE, d),
        case("PNG header claiming 800 x 600 over one byte of data", photos::png_claiming(800, 600), UNPROCESSABLE, d),
        case("WebP canvas claiming 4000 x 3000", hostile::webp_canvas_claiming(4_000, 3_000), UNPROCESSABLE, d),
    ]
}

/// Files that are something else too.
#[rustfmt::skip]
fn polyglots(small: &[u8], png: &[u8], webp: &[u8]) -> Vec<Case> {
    let cat = |a: &[u8], b: &[u8]| [a, b].concat();
    let zip = hostile::zip_with("doc.html", b"<html><script>alert(1)</script></html>");
    let x = "image_extra_data";
    vec![
        case("JPEG with a ZIP appended", cat(small, &zip), UNPROCESSABLE, x),
        case("JPEG with HTML appended", cat(small, b"<html><script>alert(1)</script>"), UNPROCESSABLE, x),
        case("JPEG hiding a ZIP in a comment", hostile::jpeg_hiding_zip(small), UNPROCESSABLE, x),
        case("PNG with a ZIP appended", cat(png, &zip), UNPROCESSABLE, x),
        case("WebP with bytes after its RIFF", cat(webp, b"MZ\x90\0 trailing"), UNPROCESSABLE, x),
        case("HTML named .jpg", b"<!DOCTYPE html><html><body>bien ban</body></html>".to_vec(), UNPROCESSABLE, "not_an_image"),
    ]
}

/// Checksums that fail, or that name only algorithms the server does not check.
#[rustfmt::skip]
fn checksums(small: &[u8]) -> Vec<Case> {
    let other = STANDARD.encode(Sha256::digest(b"other bytes"));
    let md5 = "1B2M2Y8AsgTpgAmY7PhCfg==";
    let unsupported = "checksum_algorithm_unsupported";
    [
        ("wrong SHA-256", "content-digest", format!("sha-256=:{other}:"), format!("sha256 {other}"), "checksum_mismatch"),
        ("MD5 only", "content-digest", format!("md5=:{md5}:"), format!("md5 {md5}"), unsupported),
        ("SHA-512 only (Repr-Digest)", "repr-digest", "sha-512=:AAAA:".into(), "sha512 AAAA".into(), unsupported),
        ("legacy MD5 Digest", "digest", format!("MD5={md5}"), "crc32 AAAAAA==".into(), unsupported),
        ("malformed checksum", "content-digest", "sha-256=not-colons".into(), "sha256".into(), "checksum_header_invalid"),
    ]
    .into_iter()
    .map(|(what, name, value, tus, code)| Case {
        what,
        body: small.to_vec(),
        digest: Some((name, value, tus)),
        status: 400,
        code,
    })
    .collect()
}

fn cases() -> Vec<Case> {
    let jpeg = photos::jpeg(640, 480, 31, true);
    let small = photos::jpeg(96, 64, 32, false);
    let png = photos::png(120, 90);
    let webp = lossless_webp(120, 90);
    let mut v = bombs();
    v.extend(damaged(&jpeg, &png, &webp));
    v.extend(polyglots(&small, &png, &webp));
    v.extend(checksums(&small));
    v
}

async fn blob_rows(app: &TestApp) -> i64 {
    use kiemtra::db::schema::blobs;
    app.db
        .read(|c| {
            blobs::table
                .count()
                .get_result::<i64>(c)
                .map_err(kiemtra::db::DbError::from)
        })
        .await
        .unwrap()
}

async fn assert_nothing_left(app: &TestApp, token: &str, evidence: &str, what: &str) {
    let ev: Value = app
        .get_json(&format!("/api/v1/evidence/{evidence}"), token)
        .await;
    assert_eq!(ev["upload_state"], "pending", "{what}: {ev}");
    assert_eq!(ev["version"], 1, "{what}");
    assert!(ev["sha256"].is_null(), "{what}");
    assert_eq!(blob_rows(app).await, 0, "{what}: a blob row");
    let data = &app.settings.data_dir;
    let left: Vec<_> = files_under(&data.join("blobs"))
        .into_iter()
        .chain(files_under(&data.join("tmp")))
        .collect();
    assert!(left.is_empty(), "{what} left {left:?}");
    assert_eq!(part_files(app), 0, "{what}: a part file");
}

async fn over_put(app: &TestApp, token: &str, evidence: &str, c: &Case) {
    let mut req = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{evidence}/content"),
            token,
        )
        .header("content-type", "image/jpeg")
        .body(c.body.clone());
    if let Some((name, value, _)) = &c.digest {
        req = req.header(*name, value);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status().as_u16(), c.status, "PUT {}", c.what);
    assert_problem(res, c.status, c.code).await;
}

async fn over_tus(app: &TestApp, token: &str, evidence: &str, c: &Case) {
    let res = create(app, token, evidence, c.body.len()).await;
    assert_eq!(res.status(), 201, "tus {}", c.what);
    let url = res.headers()["location"].to_str().unwrap().to_owned();
    let checksum = c.digest.as_ref().map(|(_, _, tus)| tus.clone());
    let res = patch(app, token, &url, 0, c.body.clone(), checksum.clone()).await;
    let status = if c.code == "checksum_mismatch" {
        460
    } else {
        c.status
    };
    assert_eq!(res.status().as_u16(), status, "tus {}", c.what);
    assert_problem(res, status, c.code).await;
    if checksum.is_some() {
        // The upload stays for a retry of the request, with none of its bytes.
        assert_eq!(
            offset(app, token, &url).await,
            (200, Some(0)),
            "tus {}",
            c.what
        );
        let res = app
            .authed(Method::DELETE, &url, token)
            .header("tus-resumable", "1.0.0")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 204);
    }
    // A refused file ends the upload: it is forgotten with its bytes.
    assert_eq!(offset(app, token, &url).await.0, 404, "tus {}", c.what);
}

async fn every_bad_upload_is_refused_over_put_and_tus(engine: Engine) {
    // A small decoding budget, so bombs of a few megabytes decoded are already over it.
    let Some(app) = TestApp::spawn_with(engine, |s| s.media.max_decode_alloc = 64 << 20).await
    else {
        return;
    };
    let (w, ins) = setup(&app).await;
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    for c in cases() {
        over_put(&app, &w.insp1, &id, &c).await;
        assert_nothing_left(&app, &w.insp1, &id, &format!("PUT {}", c.what)).await;
        over_tus(&app, &w.insp1, &id, &c).await;
        assert_nothing_left(&app, &w.insp1, &id, &format!("tus {}", c.what)).await;
    }
    let audit: Value = app
        .get_json("/api/v1/audit?entity=evidence", &w.admin)
        .await;
    assert!(!audit.to_string().contains("\"upload\""), "{audit}");
    // The pipeline still takes a whole photo, both ways, and keeps its true dimensions.
    let photo = photos::jpeg(640, 480, 33, true);
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
    let ev: Value = res.json().await.unwrap();
    assert_eq!(
        (ev["width"].as_i64(), ev["height"].as_i64()),
        (Some(640), Some(480))
    );
    let id2 = new_evidence(&app, &w.insp1, &ins, "a").await;
    let webp = lossless_webp(300, 200);
    let url = create(&app, &w.insp1, &id2, webp.len()).await.headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        patch(&app, &w.insp1, &url, 0, webp, None).await.status(),
        204
    );
    let ev: Value = app
        .get_json(&format!("/api/v1/evidence/{id2}"), &w.insp1)
        .await;
    assert_eq!(ev["media_type"], "image/webp", "{ev}");
    assert_eq!(
        (ev["width"].as_i64(), ev["height"].as_i64()),
        (Some(300), Some(200))
    );
    assert_eq!(part_files(&app), 0);
}
