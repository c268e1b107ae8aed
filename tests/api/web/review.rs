//! The lead's review page `/phieu/{id}`: answers in words on the pinned checklist, photos with
//! their facts (and the photo bytes themselves), comments, findings and history; returning
//! (with the Vietnamese error for an empty reason), approving and commenting; and nobody
//! outside the team's scope sees or does any of it.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::client::WebClient;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::photos;
use crate::world::World;

both_engines!(
    a_lead_reads_returns_approves_and_comments,
    other_teams_and_viewers_are_refused
);

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {v}");
    v
}

async fn api(app: &TestApp, m: Method, path: &str, token: &str, body: Value) -> Value {
    ok(app.authed(m, path, token).json(&body).send().await.unwrap()).await
}

/// A new inspection of `unit` by insp1, filled and submitted.
async fn submitted(app: &TestApp, w: &World, unit: &str) -> String {
    let id = started(app, w, unit).await;
    fill_and_submit(app, w, &id).await;
    id
}

async fn started(app: &TestApp, w: &World, unit: &str) -> String {
    let body = json!({"round_id": w.round, "unit_id": unit});
    let v = api(app, Method::POST, "/api/v1/inspections", &w.insp1, body).await;
    v["id"].as_str().unwrap().to_owned()
}

/// As insp1: the answers (a critical yes/no, a choice, a rating), the findings a submission
/// needs, the biên bản's place and members, a comment; then submit.
async fn fill_and_submit(app: &TestApp, w: &World, id: &str) {
    let answers =
        json!({"answers": {"a": {"value": "yes"}, "b": {"value": "part"}, "d": {"value": 4}}});
    let path = format!("/api/v1/inspections/{id}/answers");
    api(app, Method::PATCH, &path, &w.insp1, answers).await;
    crate::findings::write_findings(app, &w.insp1, id).await;
    let path = format!("/api/v1/inspections/{id}");
    let record = json!({"place": "Hội trường UBND xã", "members": [{"name": "Trần Thị Lan", "title": "Trưởng đoàn"}]});
    api(app, Method::PATCH, &path, &w.insp1, record).await;
    let path = format!("/api/v1/inspections/{id}/comments");
    let comment = json!({"body": "Đã bổ sung ảnh bảng niêm yết."});
    api(app, Method::POST, &path, &w.insp1, comment).await;
    let path = format!("/api/v1/inspections/{id}/submit");
    api(app, Method::POST, &path, &w.insp1, json!(null)).await;
}

/// A photo for item `a` with camera EXIF (time and GPS), uploaded before submission.
async fn photo(app: &TestApp, w: &World, inspection: &str) -> String {
    let id = crate::evidence::new_evidence(app, &w.insp1, inspection, "a").await;
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{id}/content"),
            &w.insp1,
        )
        .header("content-type", "image/jpeg")
        .body(photos::jpeg(640, 480, 11, true))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    id
}

async fn status_of(app: &TestApp, w: &World, id: &str) -> String {
    let v: Value = app
        .get_json(&format!("/api/v1/inspections/{id}"), &w.admin)
        .await;
    v["status"].as_str().unwrap().to_owned()
}

/// A second unit for team 1, so the lead has two inspections to review.
async fn unit_d(app: &TestApp, w: &World) -> String {
    let body = json!({"code": "XA-D", "name": "Xã Nghi Xuân", "kind": "commune"});
    let unit = api(app, Method::POST, "/api/v1/units", &w.admin, body).await;
    let id = unit["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/rounds/{}/assignments", w.round);
    let body = json!({"assignments": [{"unit_id": id, "team_id": w.team1}]});
    api(app, Method::PUT, &path, &w.admin, body).await;
    id
}

async fn a_lead_reads_returns_approves_and_comments(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let first = started(&app, &w, &w.unit_a).await;
    let ev = photo(&app, &w, &first).await;
    fill_and_submit(&app, &w, &first).await;

    let mut lead = WebClient::world_user(&app, "lead1").await;
    let page_path = format!("/phieu/{first}");
    let (status, page) = lead.get(&page_path).await;
    assert_eq!(status, 200, "{page}");
    for want in [
        "Xã Nghi Lộc",
        "Đoàn 1",
        "Kiểm tra năm 2026",
        &format!("href=\"/dot/{}\"", w.round),
        "Đã nộp",
        // Answers in words, with points, on the pinned checklist.
        "Có chương trình công tác?",
        "Tiếp công dân",
        "Một phần",
        "5/10",
        "4/5",
        "class=\"critical\"",
        "Tiêu chí bắt buộc",
        // The photo: thumbnail, large view link, claimed and camera facts side by side.
        &format!("src=\"/minh-chung/{ev}/anh-nho\""),
        &format!("data-photo=\"Bảng niêm yết công khai\" href=\"/minh-chung/{ev}/anh\""),
        "03/05/2026 09:12",
        "18,68000; 105,68000",
        "18,67960; 105,68130",
        "id=\"photo-dialog\"",
        // Comments with names, findings, the record, the history.
        "Đã bổ sung ảnh bảng niêm yết.",
        "Người dùng insp1",
        "Triển khai kịp thời.",
        "Chưa có điểm sáng.",
        "Hội trường UBND xã",
        "Trần Thị Lan – Trưởng đoàn",
        "Gửi duyệt",
        &format!("action=\"/phieu/{first}/tra-lai\""),
        &format!("action=\"/phieu/{first}/duyet\""),
    ] {
        assert!(page.contains(want), "missing {want:?} in {page}");
    }
    // Item c shows only when a is "no": left out, and counted.
    assert!(!page.contains("id=\"muc-c\""), "hidden item shown");
    assert!(page.contains("1 mục không hiển thị"), "{page}");

    // The small view is the 320 px thumbnail, the large one the 1280 px (this photo is
    // smaller: upright at its own 480 × 640, never enlarged).
    for (path, longest) in [
        (format!("/minh-chung/{ev}/anh-nho"), 320),
        (format!("/minh-chung/{ev}/anh"), 640),
    ] {
        let res = lead.http.get(lead.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        let cache = res.headers()["cache-control"].to_str().unwrap().to_owned();
        assert!(cache.starts_with("private, max-age="), "{cache}");
        let bytes = res.bytes().await.unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!(img.width().max(img.height()), longest, "{path}");
    }

    // Returning needs a reason, said in Vietnamese; nothing changes without one.
    let res = lead
        .post(&format!("{page_path}/tra-lai"), &[("reason", "  ")])
        .await;
    let (_, page) = lead.follow(res).await;
    assert!(page.contains("Hãy nêu lý do trả lại phiếu"), "{page}");
    assert!(page.contains("flash-err"), "{page}");
    assert_eq!(status_of(&app, &w, &first).await, "submitted");
    let reason = "Thiếu ảnh tiếp công dân.";
    let res = lead
        .post(&format!("{page_path}/tra-lai"), &[("reason", reason)])
        .await;
    let (_, page) = lead.follow(res).await;
    assert!(page.contains("Đã trả lại phiếu cho đoàn."), "{page}");
    assert!(
        page.contains("Lý do trả lại") && page.contains(reason),
        "{page}"
    );
    assert!(
        page.contains("Trả lại cho đoàn") && page.contains("Người dùng lead1"),
        "{page}"
    );
    assert!(
        !page.contains(&format!("action=\"/phieu/{first}/duyet\"")),
        "{page}"
    );
    assert_eq!(status_of(&app, &w, &first).await, "returned");

    // Approving another inspection of the team.
    let unit = unit_d(&app, &w).await;
    let second = submitted(&app, &w, &unit).await;
    let (_, page) = lead.get(&format!("/phieu/{second}")).await;
    assert!(page.contains("data-confirm="), "approval asks first");
    let res = lead.post(&format!("/phieu/{second}/duyet"), &[]).await;
    let (_, page) = lead.follow(res).await;
    assert!(page.contains("Đã duyệt phiếu."), "{page}");
    assert!(
        page.contains("status-approved") && page.contains("Duyệt phiếu"),
        "{page}"
    );
    assert_eq!(status_of(&app, &w, &second).await, "approved");
    // Approving twice is refused with the service's words.
    let res = lead.post(&format!("/phieu/{second}/duyet"), &[]).await;
    let (_, page) = lead.follow(res).await;
    assert!(page.contains("không thể duyệt"), "{page}");

    // A comment, sent twice from one form, is added once.
    let (_, page) = lead.get(&page_path).await;
    let form_id = between(&page, "name=\"id\" value=\"", "\"");
    let fields = [
        ("id", form_id.as_str()),
        ("item_id", "b"),
        ("body", "Đề nghị chụp thêm sổ tiếp dân."),
    ];
    let res = lead.post(&format!("{page_path}/binh-luan"), &fields).await;
    let (_, page) = lead.follow(res).await;
    assert!(page.contains("Đã thêm ý kiến."), "{page}");
    assert!(page.contains("về mục “Tiếp công dân”"), "{page}");
    let res = lead.post(&format!("{page_path}/binh-luan"), &fields).await;
    let (_, page) = lead.follow(res).await;
    assert_eq!(
        page.matches("Đề nghị chụp thêm sổ tiếp dân.").count(),
        1,
        "{page}"
    );
    let res = lead
        .post(&format!("{page_path}/binh-luan"), &[("body", " ")])
        .await;
    let (_, page) = lead.follow(res).await;
    assert!(
        page.contains("flash-err") && page.contains("ký tự"),
        "{page}"
    );
}

fn between(s: &str, start: &str, end: &str) -> String {
    let at = s
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in page"))
        + start.len();
    s[at..at + s[at..].find(end).unwrap()].to_owned()
}

async fn other_teams_and_viewers_are_refused(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let id = started(&app, &w, &w.unit_a).await;
    let ev = photo(&app, &w, &id).await;
    fill_and_submit(&app, &w, &id).await;
    let team1_text = [
        "Xã Nghi Lộc",
        "Bảng niêm yết công khai",
        "Triển khai kịp thời.",
        "Đã bổ sung ảnh bảng niêm yết.",
        "Hội trường UBND xã",
    ];

    // The other team's lead: the page, the photo and the actions are "not found".
    let mut lead2 = WebClient::world_user(&app, "lead2").await;
    for path in [
        format!("/phieu/{id}"),
        format!("/minh-chung/{ev}/anh-nho"),
        format!("/minh-chung/{ev}/anh"),
    ] {
        let (status, body) = lead2.get(&path).await;
        assert_eq!(status, 404, "{path}");
        for t in team1_text {
            assert!(!body.contains(t), "{path} shows {t}");
        }
    }
    lead2.get("/dot").await;
    for (path, fields) in [
        (format!("/phieu/{id}/duyet"), vec![]),
        (format!("/phieu/{id}/tra-lai"), vec![("reason", "x")]),
        (format!("/phieu/{id}/binh-luan"), vec![("body", "x")]),
    ] {
        let res = lead2.post(&path, &fields).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(status_of(&app, &w, &id).await, "submitted");

    // The committee reads everything, acts on nothing.
    let mut viewer = WebClient::world_user(&app, "viewer1").await;
    let (status, page) = viewer.get(&format!("/phieu/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Xã Nghi Lộc") && page.contains("Bảng niêm yết công khai"));
    for form in ["duyet", "tra-lai", "binh-luan"] {
        assert!(
            !page.contains(&format!("/phieu/{id}/{form}")),
            "{form}: {page}"
        );
    }
    let res = viewer
        .http
        .get(viewer.url(&format!("/minh-chung/{ev}/anh-nho")))
        .send()
        .await;
    assert_eq!(res.unwrap().status(), 200);
    for (path, fields) in [
        (format!("/phieu/{id}/duyet"), vec![]),
        (format!("/phieu/{id}/tra-lai"), vec![("reason", "x")]),
        (format!("/phieu/{id}/binh-luan"), vec![("body", "x")]),
    ] {
        let res = viewer.post(&path, &fields).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(status_of(&app, &w, &id).await, "submitted");

    // Inspectors fill inspections on their phones; the review pages are not theirs.
    let mut insp = WebClient::world_user(&app, "insp1").await;
    assert_eq!(insp.get(&format!("/phieu/{id}")).await.0, 403);
}
