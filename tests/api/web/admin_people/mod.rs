//! Sở Nội vụ's pages for units, users and teams (web/admin/{units,users,teams}): each
//! action through the form, as a browser sends it, with what the page then says; and the
//! refusal of every one of them to a lead and a viewer.

mod teams;
mod units;
mod users;

use reqwest::Method;
use serde_json::Value;

use super::client::WebClient;
use crate::helpers::TestApp;
use crate::world::World;

/// A World user's id, through the API.
pub async fn user_id(app: &TestApp, w: &World, username: &str) -> String {
    let page: Value = app
        .get_json(&format!("/api/v1/users?q={username}"), &w.admin)
        .await;
    page["items"]
        .as_array()
        .and_then(|items| items.iter().find(|u| u["username"] == username))
        .and_then(|u| u["id"].as_str())
        .unwrap_or_else(|| panic!("no user {username}: {page}"))
        .to_owned()
}

/// The id in the first link to `prefix<id>` on a page.
pub fn id_after(html: &str, prefix: &str) -> String {
    let at = html
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} in {html}"))
        + prefix.len();
    html[at..at + 36].to_owned()
}

/// The text between `start` and the next `end`, e.g. a value shown in a page.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"))
        + start.len();
    let len = html[at..].find(end).expect("end");
    &html[at..at + len]
}

/// Undoes the template's escaping of a value.
pub fn unescape(s: &str) -> String {
    s.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

crate::both_engines!(leads_and_viewers_are_refused_every_admin_page_and_action);

async fn leads_and_viewers_are_refused_every_admin_page_and_action(engine: crate::helpers::Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = user_id(&app, &w, "insp1").await;
    let mine = ["/quan-tri/don-vi", "/quan-tri/nguoi-dung", "/quan-tri/doan"];
    let rows: Vec<_> = kiemtra::web::PAGES
        .iter()
        .filter(|p| mine.iter().any(|m| p.path.starts_with(m)))
        .collect();
    assert_eq!(rows.len(), 17, "every row of the table is tried");
    for who in ["lead1", "viewer1"] {
        let mut c = WebClient::world_user(&app, who).await;
        assert!(!c.csrf.is_empty());
        for p in &rows {
            let id = if p.path.starts_with("/quan-tri/don-vi") {
                &w.unit_a
            } else if p.path.starts_with("/quan-tri/doan") {
                &w.team1
            } else {
                &insp
            };
            let path = p.path.replace("{id}", id);
            let (status, body) = if p.method == "GET" {
                c.get(&path).await
            } else {
                let res = c
                    .post(
                        &path,
                        &[
                            ("name", "Bị đổi"),
                            ("code", "HACK"),
                            ("kind", "xa"),
                            ("khoa", "1"),
                            ("noi-dung", "code,name,kind\nHACK,Hack,xa\n"),
                        ],
                    )
                    .await;
                (res.status().as_u16(), res.text().await.unwrap_or_default())
            };
            assert_eq!(status, 403, "{who} {} {path}", p.method);
            assert!(body.contains("Bạn không có quyền"), "{who} {path}: {body}");
            assert!(
                !body.contains("Xã Nghi Lộc") && !body.contains("insp1"),
                "{body}"
            );
        }
    }
    // Nothing changed on the way.
    let team: Value = app
        .get_json(&format!("/api/v1/teams/{}", w.team1), &w.admin)
        .await;
    assert_eq!(team["name"], "Đoàn 1");
    let units: Value = app.get_json("/api/v1/units?q=hack", &w.admin).await;
    assert_eq!(units["total"], 0);
    let res = app
        .authed(Method::GET, &format!("/api/v1/users/{insp}"), &w.admin)
        .send()
        .await
        .unwrap();
    let u: Value = res.json().await.unwrap();
    assert_eq!(u["disabled"], false);
}
