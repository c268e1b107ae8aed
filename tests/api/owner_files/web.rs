//! The pages' file forms (web/attach.rs): a remedy's on `/kien-nghi/{id}`, a bright spot's on
//! `/diem-sang/{id}`, a self-assessment item's on `/tu-kiem-tra`; checked as the API checks
//! them, refused outright without the session's token, and linked at `/tep/{id}` for whoever
//! reads the owner (another team's lead: 404).

use reqwest::Method;
use serde_json::{json, Value};

use super::{fake_png, listed, new_id};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::reports::{ok, post};
use crate::self_assessment::unit_user;
use crate::unit_reports::{docx, multipart, pdf};
use crate::web::client::WebClient;
use crate::world::World;

both_engines!(the_pages_take_and_link_files);

async fn post_file(
    c: &WebClient,
    path: &str,
    fields: &[(&str, &str)],
    name: &str,
    file: &[u8],
) -> reqwest::Response {
    let (ct, body) = multipart(fields, name, file);
    c.http
        .post(c.url(path))
        .header("Origin", c.url("").trim_end_matches('/'))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The `/tep/{id}` links of a page.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"/tep/")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_owned))
        .collect()
}

async fn the_pages_take_and_link_files(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let (insp, recs) = crate::recommendations_followup::approved(
        &app,
        (&w.insp1, &w.lead1),
        &w.round,
        &w.unit_a,
        &[json!({"content": "Kiện toàn tổ dân vận"})],
    )
    .await;
    let unit_api = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let rid = new_id();
    let body = json!({"id": rid, "note": "Đã kiện toàn", "follow_up": "done"});
    ok(post(
        &app,
        &unit_api,
        &format!("/api/v1/recommendations/{}/remedies", recs[0]),
        body,
    )
    .await)
    .await;
    let spot = new_id();
    let body = json!({"id": spot, "name": "Dân vận khéo", "field": "Hành chính"});
    ok(post(&app, &unit_api, "/api/v1/bright-spots", body).await).await;
    let mut unit = WebClient::world_user(&app, "donvi.a").await;

    // A remedy's file, from the recommendation's page.
    let page = format!("/kien-nghi/{}", recs[0]);
    let (status, html) = unit.get(&page).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("/kien-nghi/{}/khac-phuc/{rid}/tep", recs[0])),
        "{html}"
    );
    let csrf = unit.csrf.clone();
    let fid = new_id();
    let fields = [("_csrf", csrf.as_str()), ("id", fid.as_str())];
    let action = format!("/kien-nghi/{}/khac-phuc/{rid}/tep", recs[0]);
    let res = post_file(&unit, &action, &fields, "Quyết định.pdf", &pdf("web")).await;
    let (_, html) = unit.follow(res).await;
    assert!(html.contains("Quyết định.pdf"), "{html}");
    assert_eq!(links(&html), vec![fid.clone()], "{html}");
    let res = unit
        .http
        .get(unit.url(&format!("/tep/{fid}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf("web"));
    // Checked as the API checks it; no token, nothing kept.
    let bad = [("_csrf", csrf.as_str()), ("id", "")];
    let res = post_file(&unit, &action, &bad, "anh.png", &fake_png()).await;
    let (_, html) = unit.follow(res).await;
    assert!(html.contains("Ảnh bị hỏng"), "{html}");
    // Without this session's token: 403 outright, as every form answers, not a flash.
    let res = post_file(&unit, &action, &[], "x.pdf", &pdf("x")).await;
    assert_eq!(res.status(), 403);
    let (_, html) = unit.get(&page).await;
    assert_eq!(links(&html), vec![fid.clone()], "{html}");

    // A bright spot's file.
    let fid = new_id();
    let fields = [("_csrf", csrf.as_str()), ("id", fid.as_str())];
    let res = post_file(
        &unit,
        &format!("/diem-sang/{spot}/tep"),
        &fields,
        "Ảnh.png",
        &crate::photos::png(10, 10),
    )
    .await;
    let (_, html) = unit.follow(res).await;
    assert_eq!(links(&html), vec![fid.clone()], "{html}");

    // A self-assessment item's file.
    let (_, html) = unit.get("/tu-kiem-tra").await;
    assert!(
        html.contains(&format!("/tu-kiem-tra/{}/tep", w.round)),
        "{html}"
    );
    let fid = new_id();
    let fields = [("_csrf", csrf.as_str()), ("id", fid.as_str()), ("muc", "a")];
    let res = post_file(
        &unit,
        &format!("/tu-kiem-tra/{}/tep", w.round),
        &fields,
        "Chương trình.docx",
        &docx("ct"),
    )
    .await;
    let (_, html) = unit.follow(res).await;
    assert_eq!(links(&html), vec![fid.clone()], "{html}");
    let own: Value = app
        .get_json(&format!("/api/v1/self-assessments/{}", w.round), &unit_api)
        .await;
    assert_eq!(listed(&own["files"]["a"]), vec![fid.clone()], "{own}");
    // The team's lead reads the remedy's page with its file; another team's lead gets 404.
    let mut lead = WebClient::world_user(&app, "lead1").await;
    let (_, html) = lead.get(&page).await;
    assert!(html.contains("Quyết định.pdf"), "{html}");
    let mut lead2 = WebClient::world_user(&app, "lead2").await;
    let first = links(&html)[0].clone();
    let (status, _) = lead2.get(&format!("/tep/{first}")).await;
    assert_eq!(status, 404);

    // The self-assessment's files reach the team with its answers: not while a draft, then
    // on the inspection's review page beside the comparison.
    let review = format!("/phieu/{insp}");
    let (_, html) = lead.get(&review).await;
    assert!(!html.contains("Chương trình.docx"), "{html}");
    assert_eq!(lead.get(&format!("/tep/{fid}")).await.0, 404);
    submit_self_assessment(&app, &unit_api, &w.round).await;
    let (_, html) = lead.get(&review).await;
    assert!(html.contains("Chương trình.docx"), "{html}");
    assert_eq!(links(&html), vec![fid.clone()], "{html}");
    assert_eq!(lead.get(&format!("/tep/{fid}")).await.0, 200);
    assert_eq!(lead2.get(&review).await.0, 404);
    assert_eq!(lead2.get(&format!("/tep/{fid}")).await.0, 404);
}

/// Answers what the world's checklist requires and submits the unit's self-assessment.
async fn submit_self_assessment(app: &TestApp, unit: &str, round: &str) {
    let base = format!("/api/v1/self-assessments/{round}");
    for (item, value) in [("a", json!("yes")), ("b", json!("full"))] {
        let path = format!("{base}/answers/{item}");
        let body = json!({"value": value});
        let res = app.authed(Method::PUT, &path, unit).json(&body).send();
        ok(res.await.expect("send")).await;
    }
    ok(post(app, unit, &format!("{base}/submit"), json!({})).await).await;
}
