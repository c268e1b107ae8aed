//! Files of remedies, self-assessment items and bright spots (docs/attachments.md): each
//! owner's route authorizes first (another unit's or team's owner is 404, a reader who may not
//! write gets 403), takes PDF, DOCX and decoded photos only (415; a photo that is no real image
//! is 422), is idempotent by the client's id (same bytes 200, other bytes 409), lists the
//! files in the owner's JSON, and `GET /attachments/{id}` serves them by the owner's read rule.
//! The web pages take them through a file form and link them (web.rs).

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::reports::{ok, post};
use crate::self_assessment::unit_user;
use crate::unit_reports::{docx, pdf};
use crate::world::World;

mod web;

both_engines!(
    remedy_files_follow_the_recommendation,
    self_assessment_items_take_evidence,
    bright_spot_files_follow_the_spot,
    a_file_sent_twice_at_once_is_taken_once,
);

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn put_file(
    app: &TestApp,
    token: &str,
    path: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.authed(Method::PUT, path, token)
        .query(&[("filename", name)])
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

/// [`put_file`] under a fresh id below `base`.
async fn put_new(
    app: &TestApp,
    token: &str,
    base: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    put_file(app, token, &format!("{base}/{}", new_id()), name, bytes).await
}

/// Each `(token, status)`: a new PDF under `base` is refused with that status.
async fn refused_writers(app: &TestApp, base: &str, cases: &[(&String, u16)]) {
    for (token, want) in cases {
        let res = put_new(app, token, base, "x.pdf", pdf("x")).await;
        assert_eq!(status_of(res).await, *want, "{token}");
    }
}

async fn status_of(res: reqwest::Response) -> u16 {
    res.status().as_u16()
}

/// The bytes of attachment `id` as `token` downloads them, or the status refusing them.
async fn download(app: &TestApp, token: &str, id: &str) -> Result<Vec<u8>, u16> {
    let res = app
        .authed(Method::GET, &format!("/api/v1/attachments/{id}"), token)
        .send()
        .await
        .unwrap();
    match res.status().as_u16() {
        200 => Ok(res.bytes().await.unwrap().to_vec()),
        s => Err(s),
    }
}

/// A PNG's signature and header, then nothing an image decoder can read.
fn fake_png() -> Vec<u8> {
    let mut v = crate::photos::png(8, 8);
    let keep = v.len() / 2;
    v.truncate(keep);
    v.extend(b"not the rest of an image");
    v
}

/// The checks every owner's route shares: wrong kind 415, a photo that is no real image 422,
/// a real photo and a DOCX taken, the same bytes again 200, other bytes 409. Returns the ids
/// of the files taken (the PDF's first).
async fn common_checks(app: &TestApp, token: &str, base: &str) -> Vec<String> {
    let pdf_id = new_id();
    let path = format!("{base}/{pdf_id}");
    let res = put_file(app, token, &path, "Biên bản khắc phục.pdf", pdf("a")).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let again = put_file(app, token, &path, "Biên bản khắc phục.pdf", pdf("a")).await;
    assert_eq!(again.status(), 200, "idempotent");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], pdf_id.as_str());
    assert_eq!(again["media_type"], "application/pdf");
    assert_eq!(again["filename"], "Biên bản khắc phục.pdf");
    let res = put_file(app, token, &path, "khac.pdf", pdf("b")).await;
    assert_problem(res, 409, "attachment_content_differs").await;
    let res = put_new(app, token, base, "x.pdf", b"MZ\x90\0".to_vec()).await;
    assert_problem(res, 415, "attachment_type_unsupported").await;
    let res = put_new(app, token, base, "anh.png", fake_png()).await;
    let p = assert_problem(res, 422, "image_damaged").await;
    assert!(p.to_string().contains("image"), "{p}");
    let png_id = new_id();
    let res = put_file(
        app,
        token,
        &format!("{base}/{png_id}"),
        "anh.png",
        crate::photos::png(16, 12),
    )
    .await;
    assert_eq!(
        res.status(),
        201,
        "a real photo: {}",
        res.text().await.unwrap()
    );
    let docx_id = new_id();
    let res = put_file(
        app,
        token,
        &format!("{base}/{docx_id}"),
        "Kế hoạch.docx",
        docx("k"),
    )
    .await;
    assert_eq!(res.status(), 201);
    vec![pdf_id, png_id, docx_id]
}

fn listed(files: &Value) -> Vec<String> {
    files
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn remedy_files_follow_the_recommendation(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let rec_body = json!({"content": "Kiện toàn tổ dân vận", "due_on": "2099-03-31"});
    let (_, recs) = crate::recommendations_followup::approved(
        &app,
        (&w.insp1, &w.lead1),
        &w.round,
        &w.unit_a,
        &[rec_body],
    )
    .await;
    let rec = &recs[0];
    let unit_a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let unit_c = unit_user(&app, &w.admin, "donvi.c", &w.unit_c).await;
    let rid = new_id();
    let body = json!({"id": rid, "note": "Đã kiện toàn", "follow_up": "done"});
    let path = format!("/api/v1/recommendations/{rec}/remedies");
    ok(post(&app, &unit_a, &path, body).await).await;
    let base = format!("/api/v1/recommendations/{rec}/remedies/{rid}/files");

    let taken = common_checks_remedy(&app, &unit_a, &base, rec).await;
    // The lead of the unit's team writes too; the detail lists every file under its remedy.
    let lead_file = new_id();
    let res = put_file(
        &app,
        &w.lead1,
        &format!("{base}/{lead_file}"),
        "qd.pdf",
        pdf("lead"),
    )
    .await;
    assert_eq!(res.status(), 201);
    let d: Value = app
        .get_json(&format!("/api/v1/recommendations/{rec}"), &w.lead1)
        .await;
    let mut want = taken.clone();
    want.push(lead_file.clone());
    assert_eq!(listed(&d["remedies"][0]["files"]), want, "{d}");
    assert_eq!(
        d["remedies"][0]["files"][0]["download"],
        format!("/api/v1/attachments/{}", taken[0])
    );

    // Read by the recommendation's readers; another team or unit: 404, as if it did not exist.
    assert_eq!(download(&app, &w.lead1, &taken[0]).await, Ok(pdf("a")));
    assert_eq!(download(&app, &w.viewer, &taken[0]).await, Ok(pdf("a")));
    assert_eq!(download(&app, &unit_a, &lead_file).await, Ok(pdf("lead")));
    assert_eq!(download(&app, &w.lead2, &taken[0]).await, Err(404));
    assert_eq!(download(&app, &w.insp2, &taken[0]).await, Err(404));
    assert_eq!(download(&app, &unit_c, &taken[0]).await, Err(404));
    // Written by whoever may follow it up: another unit, another team 404; a viewer 403.
    let cases = [
        (&unit_c, 404),
        (&w.lead2, 404),
        (&w.insp2, 404),
        (&w.viewer, 403),
    ];
    refused_writers(&app, &base, &cases).await;
    // A remedy named under another recommendation is not found.
    let other = format!(
        "/api/v1/recommendations/{}/remedies/{rid}/files/{}",
        new_id(),
        new_id()
    );
    assert_eq!(
        status_of(put_file(&app, &unit_a, &other, "x.pdf", pdf("x")).await).await,
        404
    );
}

/// [`common_checks`] for a remedy, whose owner JSON is the recommendation's detail.
async fn common_checks_remedy(app: &TestApp, token: &str, base: &str, rec: &str) -> Vec<String> {
    let taken = common_checks(app, token, base).await;
    let d: Value = app
        .get_json(&format!("/api/v1/recommendations/{rec}"), token)
        .await;
    assert_eq!(listed(&d["remedies"][0]["files"]), taken, "{d}");
    taken
}

async fn self_assessment_items_take_evidence(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let unit_a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let unit_c = unit_user(&app, &w.admin, "donvi.c", &w.unit_c).await;
    let round = &w.round;
    let base = format!("/api/v1/self-assessments/{round}/answers/a/files");
    // Before any answer: the draft is made on first use.
    let taken = common_checks(&app, &unit_a, &base).await;
    let b_file = new_id();
    let path = format!("/api/v1/self-assessments/{round}/answers/b/files/{b_file}");
    assert_eq!(
        put_file(&app, &unit_a, &path, "b.pdf", pdf("b"))
            .await
            .status(),
        201
    );
    let own: Value = app
        .get_json(&format!("/api/v1/self-assessments/{round}"), &unit_a)
        .await;
    assert_eq!(listed(&own["files"]["a"]), taken, "{own}");
    assert_eq!(listed(&own["files"]["b"]), vec![b_file.clone()]);
    // An item the checklist does not have.
    let path = format!(
        "/api/v1/self-assessments/{round}/answers/zz/files/{}",
        new_id()
    );
    let res = put_file(&app, &unit_a, &path, "x.pdf", pdf("x")).await;
    assert_problem(res, 422, "validation_failed").await;
    // Only the unit writes its own: others are refused by role (403).
    let cases = [(&w.lead1, 403), (&w.admin, 403), (&w.viewer, 403)];
    refused_writers(&app, &base, &cases).await;
    // A draft is the unit's own: the team sees neither its answers nor its files yet.
    let team_view = format!("/api/v1/rounds/{round}/units/{}/self-assessment", w.unit_a);
    let v: Value = app.get_json(&team_view, &w.lead1).await;
    assert_eq!(v["files"], json!({}), "{v}");
    assert_eq!(download(&app, &w.lead1, &taken[0]).await, Err(404));
    assert_eq!(download(&app, &unit_a, &taken[0]).await, Ok(pdf("a")));
    // Submitted: the team assigned to the unit reads them; another team or unit does not.
    for (item, value) in [("a", json!("yes")), ("b", json!("full"))] {
        let path = format!("/api/v1/self-assessments/{round}/answers/{item}");
        let res = app
            .authed(Method::PUT, &path, &unit_a)
            .json(&json!({"value": value}))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }
    let path = format!("/api/v1/self-assessments/{round}/submit");
    ok(post(&app, &unit_a, &path, json!({})).await).await;
    let v: Value = app.get_json(&team_view, &w.lead1).await;
    assert_eq!(listed(&v["files"]["a"]), taken, "{v}");
    assert_eq!(download(&app, &w.lead1, &taken[0]).await, Ok(pdf("a")));
    assert_eq!(download(&app, &w.viewer, &b_file).await, Ok(pdf("b")));
    assert_eq!(download(&app, &w.lead2, &taken[0]).await, Err(404));
    assert_eq!(download(&app, &unit_c, &taken[0]).await, Err(404));
    // Sent: it no longer changes, files included.
    let res = put_new(&app, &unit_a, &base, "x.pdf", pdf("x")).await;
    assert_problem(res, 409, "self_assessment_submitted").await;
}

async fn bright_spot_files_follow_the_spot(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let unit_a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let unit_c = unit_user(&app, &w.admin, "donvi.c", &w.unit_c).await;
    let spot = new_id();
    let body = json!({"id": spot, "name": "Dân vận khéo", "field": "Cải cách hành chính"});
    ok(post(&app, &unit_a, "/api/v1/bright-spots", body).await).await;
    let base = format!("/api/v1/bright-spots/{spot}/files");
    let taken = common_checks(&app, &unit_a, &base).await;
    let admin_file = new_id();
    let path = format!("{base}/{admin_file}");
    assert_eq!(
        put_file(&app, &w.admin, &path, "qd.pdf", pdf("qd"))
            .await
            .status(),
        201
    );
    let d: Value = app
        .get_json(&format!("/api/v1/bright-spots/{spot}"), &w.lead1)
        .await;
    let mut want = taken.clone();
    want.push(admin_file);
    assert_eq!(listed(&d["files"]), want, "{d}");
    // Read by the bright spot's readers only.
    assert_eq!(download(&app, &w.lead1, &taken[0]).await, Ok(pdf("a")));
    assert_eq!(download(&app, &w.lead2, &taken[0]).await, Err(404));
    assert_eq!(download(&app, &unit_c, &taken[0]).await, Err(404));
    // Written by its unit and administrators: another unit or team 404, readers 403.
    let cases = [
        (&unit_c, 404),
        (&w.lead2, 404),
        (&w.lead1, 403),
        (&w.viewer, 403),
    ];
    refused_writers(&app, &base, &cases).await;
    // Once a review decides it, no more files.
    let review = json!({"id": new_id(), "round_id": w.round, "result": "recognised"});
    ok(post(
        &app,
        &w.lead1,
        &format!("/api/v1/bright-spots/{spot}/reviews"),
        review,
    )
    .await)
    .await;
    let res = put_new(&app, &unit_a, &base, "x.pdf", pdf("x")).await;
    assert_problem(res, 409, "bright_spot_decided").await;
    // The files stay readable.
    assert_eq!(download(&app, &unit_a, &taken[0]).await, Ok(pdf("a")));
}

/// A phone's retry racing its first send: one is taken (201), the other finds it (200), never
/// a 500 from the key (PostgreSQL aborted the whole transaction on it).
async fn a_file_sent_twice_at_once_is_taken_once(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let unit_a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let spot = new_id();
    let body = json!({"id": spot, "name": "Dân vận khéo", "field": "Cải cách hành chính"});
    ok(post(&app, &unit_a, "/api/v1/bright-spots", body).await).await;
    for _ in 0..5 {
        let path = format!("/api/v1/bright-spots/{spot}/files/{}", new_id());
        let (a, b) = tokio::join!(
            put_file(&app, &unit_a, &path, "a.pdf", pdf("same")),
            put_file(&app, &unit_a, &path, "a.pdf", pdf("same")),
        );
        let mut got = [a.status().as_u16(), b.status().as_u16()];
        got.sort_unstable();
        assert_eq!(got, [200, 201]);
    }
    let d: Value = app
        .get_json(&format!("/api/v1/bright-spots/{spot}"), &unit_a)
        .await;
    assert_eq!(listed(&d["files"]).len(), 5, "{d}");
}
