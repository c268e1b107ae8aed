//! Near-duplicate evidence: the same scene re-saved, resized or cropped (other bytes, a
//! perceptual hash a few bits away) used twice is flagged for the lead, in this inspection or
//! another, without naming the other unit; a different scene is not, and the same bytes are
//! flagged as reused only (not twice over).

use std::io::{Cursor, Read};

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, RgbImage};
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::evidence::setup;
use crate::evidence_checks::codes;
use crate::helpers::{Engine, TestApp};
use crate::web::client::WebClient;

both_engines!(near_duplicates_are_flagged_and_other_scenes_are_not);

/// A scene: broad light and shade (`kind` 0) or diagonal bands (`kind` 1), with detail.
fn scene(kind: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(320, 240, |x, y| {
        let v = if kind == 0 {
            let (fx, fy) = (x as f64 / 45.0, y as f64 / 35.0);
            ((fx.sin() * fy.cos()) * 100.0 + 128.0 + (x * y % 11) as f64) as u8
        } else {
            ((((x + 2 * y) / 23) % 2) * 170 + (x * y) % 40) as u8
        };
        image::Rgb([v, v / 2 + (x % 7) as u8, 255 - v])
    }))
}

fn encode(img: &DynamicImage, quality: u8) -> Vec<u8> {
    let mut buf = Vec::new();
    JpegEncoder::new_with_quality(&mut buf, quality)
        .encode_image(&img.to_rgb8())
        .unwrap();
    buf
}

async fn photo(app: &TestApp, token: &str, inspection: &str, item: &str, bytes: &[u8]) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let res = app
        .authed(
            Method::POST,
            &format!("/api/v1/inspections/{inspection}/evidence"),
            token,
        )
        .json(&json!({"id": id, "item_id": item}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{id}/content"),
            token,
        )
        .header("content-type", "image/jpeg")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    id
}

async fn near_duplicates_are_flagged_and_other_scenes_are_not(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, here) = setup(&app).await;
    let res = app
        .authed(Method::POST, "/api/v1/inspections", &w.insp2)
        .json(&json!({"round_id": w.round, "unit_id": w.unit_b}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let there: Value = res.json().await.unwrap();
    let there = there["id"].as_str().unwrap().to_owned();

    let rings = scene(0);
    let original = photo(&app, &w.insp1, &here, "a", &encode(&rings, 90)).await;
    // The same scene made smaller and saved again: other bytes.
    let smaller = rings.resize(200, 150, FilterType::Triangle);
    let resized = photo(&app, &w.insp1, &here, "d", &encode(&smaller, 70)).await;
    // Another scene, sent twice: the same bytes, flagged as such and nothing more.
    let bands = encode(&scene(1), 85);
    let other = photo(&app, &w.insp1, &here, "a", &bands).await;
    photo(&app, &w.insp1, &here, "d", &bands).await;
    // In another team's inspection, the first photo with its edges cut off.
    let cut = rings.crop_imm(8, 6, 304, 228);
    let elsewhere = photo(&app, &w.insp2, &there, "a", &encode(&cut, 80)).await;

    let one: Value = app
        .get_json(&format!("/api/v1/evidence/{original}"), &w.lead1)
        .await;
    assert_eq!(
        codes(&one),
        ["near_duplicate_in_inspection", "near_duplicate_elsewhere"],
        "{one}"
    );
    let list: Value = app
        .get_json(&format!("/api/v1/inspections/{here}/evidence"), &w.lead1)
        .await;
    let by_id = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        codes(&by_id(&resized)),
        ["near_duplicate_in_inspection", "near_duplicate_elsewhere"]
    );
    assert_eq!(codes(&by_id(&other)), ["reused_in_inspection"]);

    // The other team's lead sees the flag on their photo, told nothing of where the twin is.
    let theirs: Value = app
        .get_json(&format!("/api/v1/evidence/{elsewhere}"), &w.lead2)
        .await;
    assert_eq!(codes(&theirs), ["near_duplicate_elsewhere"], "{theirs}");
    let message = theirs["flags"][0]["message"].as_str().unwrap();
    assert!(message.contains("gần giống"), "{message}");
    let unit_a: Value = app
        .get_json(&format!("/api/v1/units/{}", w.unit_a), &w.admin)
        .await;
    assert!(!message.contains(unit_a["name"].as_str().unwrap()));
    assert!(!message.contains(&here));

    // The lead's review page shows it beside the photo.
    let mut lead = WebClient::world_user(&app, "lead1").await;
    let (status, page) = lead.get(&format!("/phieu/{here}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("gần giống một ảnh đã được dùng"),
        "the review page shows the flag"
    );

    // The ZIP's manifest carries the flag too.
    let zip = app
        .authed(
            Method::GET,
            &format!("/api/v1/rounds/{}/exports/zip", w.round),
            &w.lead1,
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(zip.to_vec())).unwrap();
    let mut manifest = String::new();
    archive
        .by_name("manifest.csv")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    let line = manifest.lines().find(|l| l.contains(&original)).unwrap();
    assert!(line.contains("gần giống"), "{line}");
    let plain = manifest.lines().find(|l| l.contains(&other)).unwrap();
    assert!(!plain.contains("gần giống"), "{plain}");
}
