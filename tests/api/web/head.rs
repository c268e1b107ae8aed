//! HEAD asks a page what GET would answer, without the body: the same status, the same
//! redirect, the same refusal and content type, for every GET page of the table
//! (`kiemtra::web::PAGES`) and each kind of caller. (That no body follows is HTTP's own rule;
//! the client would not read one.)

use kiemtra::web::PAGES;
use reqwest::{Method, Response};

use super::client::WebClient;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

both_engines!(every_page_answers_head_as_it_answers_get);

/// The pattern with each `{…}` replaced by `id` (the round's: real under `/dot`, unknown
/// elsewhere, where GET and HEAD must agree on the 404 all the same).
fn fill(pattern: &str, id: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        out.push_str(id);
        rest = rest[at..].find('}').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    out
}

async fn ask(c: &WebClient, method: Method, path: &str) -> Response {
    c.http.request(method, c.url(path)).send().await.unwrap()
}

/// The parts of an answer HEAD must share with GET.
fn head_of(res: &Response) -> (u16, Option<String>, Option<String>) {
    let h = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    (res.status().as_u16(), h("location"), h("content-type"))
}

async fn every_page_answers_head_as_it_answers_get(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let callers = [
        ("anonymous", WebClient::new(&app)),
        ("insp1", WebClient::world_user(&app, "insp1").await),
        ("viewer1", WebClient::world_user(&app, "viewer1").await),
    ];
    let mut asked = 0;
    for page in PAGES.iter().filter(|p| p.method == "GET") {
        let path = fill(page.path, &w.round);
        for (who, c) in &callers {
            // A viewer may read the round's files; rendering each twice (a PDF through
            // LibreOffice) adds nothing to what the page rows show.
            if *who == "viewer1" && path.contains("/tai-ve") {
                continue;
            }
            let get = ask(c, Method::GET, &path).await;
            let head = ask(c, Method::HEAD, &path).await;
            assert_eq!(head_of(&head), head_of(&get), "{who} HEAD {path}");
            asked += 1;
        }
    }
    assert!(asked > 100, "{asked}");
    // A page the viewer reads answers HEAD with 200, not merely a matching refusal.
    let (_, viewer) = &callers[2];
    let res = ask(viewer, Method::HEAD, &format!("/dot/{}", w.round)).await;
    assert_eq!(res.status(), 200);
}
