//! The role × page matrix, generated from the web app's own page table (`kiemtra::web::PAGES`,
//! the list the router is built from), over the API matrix's planted world: team 2's work is
//! full of a unique marker, and its ids are secrets.
//!
//! Every page and form action is called by an anonymous visitor, team 1's lead and inspector,
//! an inspector in no team, a viewer and an administrator, with real ids of team 2's objects
//! (and of a round only team 2 is in). Anonymous callers must be sent to sign in; a role the
//! table does not list must get 403; nobody outside team 2 may receive its marker or an id of
//! its objects they did not send themselves; every GET an administrator makes must succeed
//! (the ids are real); and team 2's data must be unchanged after everyone else's POSTs. A
//! path parameter the test cannot map fails the test by name, so a new page cannot be skipped.

use kiemtra::role::Role;
use kiemtra::web::{Page, PAGES};
use serde_json::Value;

use super::client::WebClient;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::matrix::world::Fixture;
use crate::matrix::Caller;

both_engines!(every_page_refuses_the_roles_it_must_and_keeps_team_two_private);

const CALLERS: [(Caller, Option<&str>, Option<Role>); 8] = [
    (Caller::Anonymous, None, None),
    (Caller::Insp1, Some("insp1"), Some(Role::Inspector)),
    (Caller::Loner, Some("loner1"), Some(Role::Inspector)),
    (Caller::Lead1, Some("lead1"), Some(Role::Lead)),
    (Caller::Viewer, Some("viewer1"), Some(Role::Viewer)),
    (Caller::Admin, Some("admin1"), Some(Role::Admin)),
    (Caller::Unit2, Some("donvi2"), Some(Role::Unit)),
    (Caller::UnitX, Some("donvix"), Some(Role::Unit)),
];

/// Pages left out, and why: signing out ends the caller's own session (tests/api/web/session.rs
/// covers it).
const SKIPPED: [&str; 1] = ["POST /dang-xuat"];

/// Pages that show team 2's marked texts to an administrator: findings, comments, evidence
/// captions and recommendations on the review page; the conflict; the conclusion and report
/// recommendation; and inside the DOCX, XLSX and ZIP downloads.
const MARKED: [&str; 5] = [
    "/diem-sang/{id}",
    "/phieu/{id}",
    "/dot/{id}/xung-dot",
    "/dot/{id}/ket-luan",
    "/dot/{id}/tai-ve",
];

/// The real ids each path parameter is probed with.
fn targets(fx: &Fixture, page: &Page, param: &str) -> Option<Vec<String>> {
    let two = &fx.two;
    let p = page.path;
    let round2 = two.round2.clone().unwrap_or_default();
    let v = match param {
        // Unit C's own khắc phục note on its (team 2's) recommendation: the remedy file form.
        "rid" if p.contains("/khac-phuc/") => {
            vec![crate::matrix::units::UNIT2_REMEDY.to_owned()]
        }
        "rid" | "rec_id" => vec![two.report_rec.clone()],
        "issuer" => vec![format!("team:{}", two.team)],
        "unit_id" => vec![two.unit.clone()],
        "version_id" | "vid" => vec![fx.w.version.clone()],
        // The offline app's files (public, no data): each of them.
        "name" if p.starts_with("/thuc-dia/") => ["app.js", "field.css", "icon-192.png"]
            .map(String::from)
            .to_vec(),
        "id" if p.starts_with("/dot/") => vec![round2, fx.w.round.clone()],
        "id" if p.starts_with("/phieu/") => two.inspections(),
        "id" if p.starts_with("/minh-chung/") => vec![two.evidence.clone()],
        "id" if p.starts_with("/xung-dot/") => two.conflicts.clone(),
        "id" if p.starts_with("/kien-nghi/") => two.recommendations.clone(),
        "id" if p.starts_with("/diem-sang/") => vec![two.bright_spot.clone()],
        "id" if p.starts_with("/tu-kiem-tra/") => vec![round2, fx.w.round.clone()],
        // Unit C's report (team 2's unit).
        "id" if p.starts_with("/bao-cao/tep/") || p.starts_with("/tep/") => {
            vec![fx.unit_report.clone()]
        }
        "id" if p.starts_with("/quan-tri/dot/") => vec![round2],
        "id" if p.starts_with("/quan-tri/don-vi/") => vec![two.unit.clone()],
        "id" if p.starts_with("/quan-tri/nguoi-dung/") => vec![fx.insp2_id.clone()],
        "id" if p.starts_with("/quan-tri/doan/") => vec![two.team.clone()],
        "id" if p.starts_with("/quan-tri/mau-phieu/") => vec![fx.w.template.clone()],
        // No notification is planted; an id naming none stands in (tests/api/reminders.rs
        // reads and refuses real ones).
        "id" if p.starts_with("/thong-bao/") => vec![fx.insp2_id.clone()],
        _ => return None,
    };
    Some(v)
}

/// Every URL a page is probed at.
fn urls(fx: &Fixture, page: &Page) -> Result<Vec<String>, String> {
    let mut out = vec![String::new()];
    for part in page.path.split('/').skip(1) {
        let values = match part.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => targets(fx, page, param)
                .ok_or_else(|| format!("{} {}: no ids for {{{param}}}", page.method, page.path))?,
            None => vec![part.to_owned()],
        };
        out = out
            .iter()
            .flat_map(|u| values.iter().map(move |v| format!("{u}/{v}")))
            .collect();
    }
    if page.path == "/" {
        out = vec!["/".into()];
    }
    Ok(out)
}

/// Query strings a page is also probed with: the downloads need a format (and are probed in
/// each, and as team 2's issuer), and the dashboard is asked for team 2's rows by its id.
fn queries(fx: &Fixture, page: &Page) -> Vec<String> {
    let team2 = &fx.two.team;
    match (page.method, page.path) {
        ("GET", "/dot/{id}/tai-ve") => ["docx", "xlsx", "csv", "zip"]
            .iter()
            .map(|f| format!("?dinh-dang={f}"))
            .chain([format!("?dinh-dang=docx&noi-ban-hanh=team:{team2}")])
            .collect(),
        ("GET", "/phieu/{id}/bien-ban") => vec!["?dinh-dang=docx".into()],
        ("GET", "/dot/{id}") => vec![String::new(), format!("?doan={team2}")],
        _ => vec![String::new()],
    }
}

/// The text of a body, and of every file inside it when it is a ZIP (DOCX, XLSX, the
/// evidence archive), whose parts are deflated and would hide a marker from a plain search.
fn readable(body: &[u8]) -> String {
    let mut out = String::from_utf8_lossy(body).into_owned();
    if body.starts_with(b"PK\x03\x04") {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body)).expect("a readable ZIP");
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).expect("a ZIP entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("a ZIP entry's bytes");
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    out
}

/// A form that most actions will parse: whatever a page does not use, it ignores.
const FIELDS: [(&str, &str); 8] = [
    ("reason", "MATRIX"),
    ("body", "MATRIX"),
    ("text", "MATRIX"),
    ("value", "\"MATRIX\""),
    ("choice", "device"),
    ("name", "MATRIX"),
    ("status", "closed"),
    ("role", "admin"),
];

struct Outcome {
    status: u16,
    location: String,
    body: String,
}

async fn call(c: &mut WebClient, method: &str, url: &str) -> Outcome {
    let res = if method == "GET" {
        c.http.get(c.url(url)).send().await.unwrap()
    } else {
        c.post(url, &FIELDS).await
    };
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = readable(&res.bytes().await.unwrap_or_default());
    Outcome {
        status,
        location,
        body,
    }
}

/// Team 2's state as its lead's API calls show it.
async fn snapshot(app: &TestApp, fx: &Fixture) -> String {
    let mut all = Vec::new();
    let spot = format!("/api/v1/bright-spots/{}", fx.two.bright_spot);
    all.push(app.get_json::<Value>(&spot, &fx.w.admin).await.to_string());
    for id in fx.two.inspections() {
        let v: Value = app
            .get_json(&format!("/api/v1/inspections/{id}"), &fx.w.admin)
            .await;
        all.push(v.to_string());
        let c: Value = app
            .get_json(&format!("/api/v1/inspections/{id}/comments"), &fx.w.admin)
            .await;
        all.push(c.to_string());
    }
    let conflicts: Value = app
        .get_json(
            &format!("/api/v1/conflicts?inspection_id={}", fx.two.draft),
            &fx.w.admin,
        )
        .await;
    all.push(conflicts.to_string());
    let summary: Value = app
        .get_json(
            &format!("/api/v1/rounds/{}/summary", fx.w.round),
            &fx.w.admin,
        )
        .await;
    all.push(summary["conclusions"].to_string());
    all.push(summary["recommendations"].to_string());
    all.join("\n")
}

fn check(
    fx: &Fixture,
    caller: Caller,
    role: Option<Role>,
    page: &Page,
    url: &str,
    o: &Outcome,
) -> Vec<String> {
    let mut bad = Vec::new();
    let what = format!("{caller:?} {} {url}", page.method);
    match role {
        _ if page.is_public() => {}
        None if !(o.status == 303 && o.location.starts_with("/dang-nhap")) => {
            bad.push(format!("{what}: anonymous got {} {}", o.status, o.location))
        }
        Some(r) if !page.roles.contains(&r) && o.status != 403 => bad.push(format!(
            "{what}: role {r} not in the table, got {}",
            o.status
        )),
        _ => {}
    }
    if o.status >= 500 {
        bad.push(format!("{what}: {}", o.status));
    }
    let onward = o.status == 303 && !o.location.starts_with("/dang-nhap");
    let for_admins = page.roles.contains(&Role::Admin);
    if caller == Caller::Admin && for_admins && page.method == "GET" && o.status != 200 && !onward {
        bad.push(format!("{what}: an administrator got {}", o.status));
    }
    for s in fx.secrets_for(caller) {
        if url.contains(&s.value) {
            continue;
        }
        if o.body.contains(&s.value) || o.location.contains(&s.value) {
            bad.push(format!("{what}: leaks {}", s.label));
        }
    }
    bad
}

async fn every_page_refuses_the_roles_it_must_and_keeps_team_two_private(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let fx = Fixture::build(&app).await;
    let before = snapshot(&app, &fx).await;
    let mut failures = Vec::new();
    let mut requests = 0;
    // The positive control: pages where an administrator must meet team 2's marker, so the
    // leak check above could have noticed it anywhere else.
    let mut seen = std::collections::BTreeSet::new();
    for (caller, user, role) in CALLERS {
        let mut c = match user {
            Some(u) => WebClient::world_user(&app, u).await,
            None => WebClient::new(&app),
        };
        for page in PAGES {
            if SKIPPED.contains(&format!("{} {}", page.method, page.path).as_str())
                || (caller == Caller::Admin && page.method != "GET")
            {
                continue;
            }
            let urls = match urls(&fx, page) {
                Ok(u) => u,
                Err(e) => {
                    failures.push(e);
                    continue;
                }
            };
            let probes = urls.iter().flat_map(|u| {
                queries(&fx, page)
                    .into_iter()
                    .map(move |q| format!("{u}{q}"))
            });
            for url in probes.collect::<Vec<_>>() {
                requests += 1;
                let o = call(&mut c, page.method, &url).await;
                if caller == Caller::Admin && o.body.contains(&fx.two.marker) {
                    seen.insert(page.path);
                }
                failures.extend(check(&fx, caller, role, page, &url, &o));
            }
        }
    }
    for must in MARKED {
        if !seen.contains(must) {
            failures.push(format!(
                "positive control: an administrator never saw team 2's marker on {must}"
            ));
        }
    }
    let after = snapshot(&app, &fx).await;
    if before != after {
        failures.push("team 2's data changed after the other callers' POSTs".into());
    }
    eprintln!("web matrix: {} pages, {requests} requests", PAGES.len());
    assert!(
        failures.is_empty(),
        "{} violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
