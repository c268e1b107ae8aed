//! Photo evidence over HTTP: upload, verification by decoding, idempotency, serving with
//! ETag and ranges, thumbnails without metadata, the audit trail, scope and roles, evidence
//! rules at submission, and every kind of bad input leaving nothing behind.

use base64::Engine as _;
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::photos;
use crate::world::{test_template, World};

both_engines!(
    upload_is_verified_stored_once_and_served,
    bad_input_is_refused_and_leaves_nothing,
    evidence_follows_scope_and_roles,
    submission_counts_received_photos,
    evidence_records_sync_through_push,
    watermelon_devices_create_and_remove_evidence,
    the_round_archive_holds_each_visible_original
);

/// The test checklist, with item `a` needing a photo when answered "yes".
pub fn template_with_evidence() -> Value {
    let mut t = test_template();
    t["sections"][0]["items"][0]["evidence"] = json!({"required_when": ["yes"]});
    t
}

pub async fn setup(app: &TestApp) -> (World, String) {
    let w = World::build_with_template(app, template_with_evidence()).await;
    let res = app
        .authed(Method::POST, "/api/v1/inspections", &w.insp1)
        .json(&json!({"round_id": w.round, "unit_id": w.unit_a}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let ins: Value = res.json().await.unwrap();
    (w, ins["id"].as_str().unwrap().to_owned())
}

pub async fn new_evidence(app: &TestApp, token: &str, inspection: &str, item: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let res = app
        .authed(Method::POST, &format!("/api/v1/inspections/{inspection}/evidence"), token)
        .json(&json!({"id": id, "item_id": item, "caption": "Bảng niêm yết công khai", "taken_at": "2026-05-03T02:12:40Z", "latitude": 18.68, "longitude": 105.68}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    id
}

async fn create_raw(
    app: &TestApp,
    token: &str,
    inspection: &str,
    body: Value,
) -> reqwest::Response {
    app.authed(
        Method::POST,
        &format!("/api/v1/inspections/{inspection}/evidence"),
        token,
    )
    .json(&body)
    .send()
    .await
    .unwrap()
}

async fn delete(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    app.authed(Method::DELETE, &format!("/api/v1/evidence/{id}"), token)
        .send()
        .await
        .unwrap()
}

async fn put(app: &TestApp, token: &str, id: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.authed(
        Method::PUT,
        &format!("/api/v1/evidence/{id}/content"),
        token,
    )
    .header("content-type", "image/jpeg")
    .body(bytes)
    .send()
    .await
    .unwrap()
}

fn sha_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

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

async fn evidence_follows_scope_and_roles(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    let photo = photos::jpeg(320, 240, 5, false);
    assert_eq!(put(&app, &w.insp1, &id, photo.clone()).await.status(), 201);

    // An inspector of another team gets "not found", never the photo.
    for path in [
        format!("/api/v1/evidence/{id}"),
        format!("/api/v1/evidence/{id}/content"),
        format!("/api/v1/evidence/{id}/thumbnail"),
        format!("/api/v1/inspections/{ins}/evidence"),
    ] {
        assert_problem(
            app.authed(Method::GET, &path, &w.insp2)
                .send()
                .await
                .unwrap(),
            404,
            "not_found",
        )
        .await;
    }
    let other = new_evidence(&app, &w.insp1, &ins, "b").await;
    assert_problem(
        put(&app, &w.insp2, &other, photo.clone()).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(delete(&app, &w.insp2, &id).await, 404, "not_found").await;
    assert_problem(
        create_raw(&app, &w.insp2, &ins, json!({"item_id": "a"})).await,
        404,
        "not_found",
    )
    .await;
    // Viewers look but never write.
    assert_eq!(
        app.authed(
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.viewer
        )
        .send()
        .await
        .unwrap()
        .status(),
        200
    );
    assert_problem(
        put(&app, &w.viewer, &other, photo.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        create_raw(&app, &w.viewer, &ins, json!({"item_id": "a"})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(delete(&app, &w.viewer, &id).await, 403, "forbidden").await;
    // Unknown items are refused; a taken id for another item too.
    assert_problem(
        create_raw(&app, &w.insp1, &ins, json!({"item_id": "zz"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        create_raw(&app, &w.insp1, &ins, json!({"id": id, "item_id": "b"})).await,
        409,
        "id_taken",
    )
    .await;
    // Deleting while a draft works and syncs as a tombstone.
    let res = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/evidence/{other}"),
            &w.insp1,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_problem(
        app.authed(Method::GET, &format!("/api/v1/evidence/{other}"), &w.insp1)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
    let page: Value = app
        .get_json("/api/v1/sync/pull?limit=5000&schema_version=1", &w.insp1)
        .await;
    let changes = page["changes"].as_array().unwrap();
    // A first pull is the working set: the deleted record is simply not in it.
    assert!(
        !changes
            .iter()
            .any(|c| c["entity"] == "evidence" && c["id"] == other.as_str()),
        "{page}"
    );
    let live = changes
        .iter()
        .find(|c| c["entity"] == "evidence" && c["id"] == id.as_str())
        .expect("evidence pulled");
    assert_eq!(live["data"]["sha256"], sha_hex(&photo));
}

async fn submission_counts_received_photos(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    crate::findings::write_findings(&app, &w.insp1, &ins).await;
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{ins}/answers"),
            &w.insp1,
        )
        .json(&json!({"answers": {"a": {"value": "yes"}, "b": {"value": "full"}}}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let submit = || {
        app.authed(
            Method::POST,
            &format!("/api/v1/inspections/{ins}/submit"),
            &w.insp1,
        )
        .send()
    };
    let p = assert_problem(submit().await.unwrap(), 422, "validation_failed").await;
    assert!(p.to_string().contains("evidence_missing"), "{p}");
    // A photo recorded but not yet uploaded does not count.
    let id = new_evidence(&app, &w.insp1, &ins, "a").await;
    let p = assert_problem(submit().await.unwrap(), 422, "validation_failed").await;
    assert!(p.to_string().contains("evidence_missing"), "{p}");
    // The round's progress reports it to the lead, too.
    let progress_path = format!("/api/v1/rounds/{}/progress", w.round);
    let progress: Value = app.get_json(&progress_path, &w.lead1).await;
    assert_eq!(progress["overall"]["missing_evidence"], 1, "{progress}");
    assert_eq!(
        put(&app, &w.insp1, &id, photos::jpeg(200, 150, 9, false))
            .await
            .status(),
        201
    );
    let progress: Value = app.get_json(&progress_path, &w.lead1).await;
    assert_eq!(progress["overall"]["missing_evidence"], 0, "{progress}");
    assert_eq!(submit().await.unwrap().status(), 200);
    // Submitted: its evidence can no longer be removed or added to.
    assert_problem(
        delete(&app, &w.insp1, &id).await,
        409,
        "inspection_submitted",
    )
    .await;
    assert_problem(
        create_raw(&app, &w.insp1, &ins, json!({"item_id": "a"})).await,
        409,
        "inspection_submitted",
    )
    .await;
}

async fn push(app: &TestApp, token: &str, mutations: Value) -> Vec<Value> {
    let res = app
        .authed(Method::POST, "/api/v1/sync/push", token)
        .json(&json!({"schema_version": 1, "mutations": mutations}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["results"].as_array().unwrap().clone()
}

async fn evidence_records_sync_through_push(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    crate::findings::write_findings(&app, &w.insp1, &ins).await;
    let (ev, mid) = (
        uuid::Uuid::new_v4().to_string(),
        uuid::Uuid::new_v4().to_string(),
    );
    let create = json!([{"mutation_id": mid, "type": "evidence.create", "id": ev, "inspection_id": ins, "item_id": "a", "caption": "Biên bản đối thoại", "taken_at": "2026-05-03T02:12:40Z", "latitude": 18.7, "longitude": 105.7}]);
    let first = push(&app, &w.insp1, create.clone()).await;
    assert_eq!(first[0]["status"], "applied", "{first:?}");
    assert_eq!(first[0]["current"]["upload_state"], "pending");
    // A retried batch gets the same answer and changes nothing.
    assert_eq!(push(&app, &w.insp1, create).await, first);
    let page: Value = app
        .get_json("/api/v1/sync/pull?limit=5000&schema_version=1", &w.lead1)
        .await;
    assert!(page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["entity"] == "evidence" && c["id"] == ev.as_str()));
    // Bytes arrive; the inspection is submitted; then a late photo and a late deletion are
    // refused, and the late photo's record is kept for the lead.
    assert_eq!(
        put(&app, &w.insp1, &ev, photos::jpeg(120, 90, 3, false))
            .await
            .status(),
        201
    );
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{ins}/answers"),
            &w.insp1,
        )
        .json(&json!({"answers": {"a": {"value": "yes"}, "b": {"value": "full"}}}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    assert_eq!(
        app.authed(
            Method::POST,
            &format!("/api/v1/inspections/{ins}/submit"),
            &w.insp1
        )
        .send()
        .await
        .unwrap()
        .status(),
        200
    );
    let late = uuid::Uuid::new_v4().to_string();
    let r = push(
        &app,
        &w.insp1,
        json!([
            {"mutation_id": uuid::Uuid::new_v4().to_string(), "type": "evidence.create", "id": late, "inspection_id": ins, "item_id": "b"},
            {"mutation_id": uuid::Uuid::new_v4().to_string(), "type": "evidence.delete", "id": ev, "inspection_id": ins}
        ]),
    )
    .await;
    assert_eq!(
        (r[0]["status"].as_str(), r[0]["reason"].as_str()),
        (Some("rejected"), Some("inspection_submitted")),
        "{r:?}"
    );
    assert_eq!(r[1]["status"], "rejected");
    assert_eq!(r[0]["conflict_ids"].as_array().unwrap().len(), 1);
    let conflicts: Value = app
        .get_json(&format!("/api/v1/conflicts?inspection_id={ins}"), &w.lead1)
        .await;
    assert!(conflicts.to_string().contains(&late), "{conflicts}");
    let still: Value = app
        .get_json(&format!("/api/v1/evidence/{ev}"), &w.insp1)
        .await;
    assert_eq!(still["upload_state"], "stored");
}

async fn watermelon_devices_create_and_remove_evidence(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, ins) = setup(&app).await;
    let pull: Value = app
        .get_json("/api/v1/sync/watermelon?schema_version=1", &w.insp1)
        .await;
    let t = pull["timestamp"].as_i64().unwrap();
    let ev = uuid::Uuid::new_v4().to_string();
    let wm_push = |changes: Value, t: i64| {
        app.authed(
            Method::POST,
            &format!("/api/v1/sync/watermelon?schema_version=1&last_pulled_at={t}"),
            &w.insp1,
        )
        .json(&json!({"changes": changes}))
        .send()
    };
    let created = json!({"evidence": {"created": [{"id": ev, "inspection_id": ins, "item_id": "a", "caption": "Ảnh hội nghị", "claimed_taken_at": 1_777_777_777_000i64, "claimed_latitude": 18.7, "claimed_longitude": 105.7, "_status": "created", "_changed": ""}], "updated": [], "deleted": []}});
    assert_eq!(wm_push(created, t).await.unwrap().status(), 200);
    let e: Value = app
        .get_json(&format!("/api/v1/evidence/{ev}"), &w.lead1)
        .await;
    assert_eq!(e["claimed_taken_at"], "2026-05-03T03:09:37Z");
    assert_eq!(e["upload_state"], "pending");
    // Another device pulls it as a WatermelonDB record.
    let pull: Value = app
        .get_json("/api/v1/sync/watermelon?schema_version=1", &w.lead1)
        .await;
    let rec = pull["changes"]["evidence"]["created"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == ev.as_str())
        .cloned()
        .expect("pulled");
    assert_eq!(rec["item_id"], "a");
    let t = pull["timestamp"].as_i64().unwrap();
    let pull: Value = app
        .get_json(
            &format!("/api/v1/sync/watermelon?schema_version=1&last_pulled_at={t}"),
            &w.insp1,
        )
        .await;
    let t = pull["timestamp"].as_i64().unwrap();
    let deleted = json!({"evidence": {"created": [], "updated": [], "deleted": [ev]}});
    assert_eq!(wm_push(deleted, t).await.unwrap().status(), 200);
    assert_problem(
        app.authed(Method::GET, &format!("/api/v1/evidence/{ev}"), &w.lead1)
            .send()
            .await
            .unwrap(),
        404,
        "not_found",
    )
    .await;
}

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
