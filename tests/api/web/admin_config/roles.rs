//! Only administrators: a lead, a viewer and an inspector get 403 on every page and action
//! of templates, rounds and the audit log, and their forms change nothing.

use reqwest::Method;
use serde_json::Value;

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::web::client::WebClient;
use crate::world::World;

both_engines!(only_administrators_reach_the_configuration_pages);

async fn only_administrators_reach_the_configuration_pages(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let mine = ["/quan-tri/mau-phieu", "/quan-tri/dot", "/quan-tri/nhat-ky"];
    let pages: Vec<_> = kiemtra::web::PAGES
        .iter()
        .filter(|p| mine.iter().any(|m| p.path.starts_with(m)))
        .collect();
    assert_eq!(pages.len(), 16);
    let fill = |path: &str| {
        let id = if path.starts_with("/quan-tri/dot") {
            &w.round
        } else {
            &w.template
        };
        path.replace("{id}", id)
            .replace("{version_id}", &w.version)
            .replace("{unit_id}", &w.unit_a)
    };
    for who in ["lead1", "viewer1", "insp1"] {
        let mut c = WebClient::world_user(&app, who).await;
        for p in &pages {
            let path = fill(p.path);
            let (status, body) = if p.method == "GET" {
                c.get(&path).await
            } else {
                let res = c
                    .post(
                        &path,
                        &[
                            ("status", "closed"),
                            ("team", &w.team2),
                            ("unit", &w.unit_a),
                        ],
                    )
                    .await;
                (res.status().as_u16(), res.text().await.unwrap())
            };
            assert_eq!(status, 403, "{who} {} {path}: {body}", p.method);
            assert!(
                !body.contains("Phiếu thử nghiệm") && !body.contains("Chuỗi nhật ký"),
                "{body}"
            );
        }
    }
    // Nothing changed: the round is open, unit A still with team 1, no new template draft.
    let r: Value = app
        .authed(
            Method::GET,
            &format!("/api/v1/rounds/{}", w.round),
            &w.admin,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["status"], "open");
    let a: Value = app
        .authed(
            Method::GET,
            &format!("/api/v1/rounds/{}/assignments", w.round),
            &w.admin,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(a
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["unit_id"] == w.unit_a.as_str() && x["team_id"] == w.team1.as_str()));
    // The administrator reaches every one of them.
    let mut admin = WebClient::world_user(&app, "admin1").await;
    for p in pages.iter().filter(|p| p.method == "GET") {
        let path = fill(p.path);
        assert_eq!(admin.get(&path).await.0, 200, "{path}");
    }
}
