//! Unit reports owed under the plan (docs/unit-reports.md) and the attachments that hold them
//! (docs/attachments.md): a unit sends DOCX or PDF checked by its bytes, idempotent by id;
//! status by the due dates; each reader sees only the units in reach; the inspection's items
//! about the programme are prefilled and the inspector's answer wins; reminders once a day.

use std::io::Write;

use chrono::Datelike;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::self_assessment::unit_user;
use crate::web::client::WebClient;
use crate::world::World;

both_engines!(
    a_unit_sends_documents_checked_by_their_bytes,
    an_oversized_document_is_refused,
    status_follows_the_due_dates,
    each_reader_sees_the_units_in_reach,
    the_programme_prefills_the_inspection_and_the_inspector_wins,
    reminders_reach_the_unit_once_a_day,
    the_web_pages_show_and_receive_reports,
);

/// A small real PDF, made by hand.
pub fn pdf(text: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n% {text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// A minimal DOCX: the two parts Word needs to call it a document.
pub fn docx(text: &str) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(format!(r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#).as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

fn year() -> i32 {
    chrono::Utc::now().year()
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub async fn send(
    app: &TestApp,
    token: &str,
    kind: &str,
    id: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let path = format!("/api/v1/unit-reports/{}/{kind}/files/{id}", year());
    app.authed(Method::PUT, &path, token)
        .query(&[("filename", name)])
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {v}");
    v
}

async fn set_dues(app: &TestApp, admin: &str, body: Value) -> Value {
    let path = format!("/api/v1/unit-reports/due-dates/{}", year());
    ok(app
        .authed(Method::PUT, &path, admin)
        .json(&body)
        .send()
        .await
        .unwrap())
    .await
}

fn find<'a>(list: &'a Value, unit: &str, kind: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["unit_id"] == unit && o["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} of {unit} in {list}"))
}

async fn a_unit_sends_documents_checked_by_their_bytes(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let b = unit_user(&app, &w.admin, "donvi.b", &w.unit_b).await;

    let id = new_id();
    let first = send(
        &app,
        &a,
        "programme",
        &id,
        "Chương trình 2026.pdf",
        pdf("ct"),
    )
    .await;
    assert_eq!(first.status(), 201);
    let o: Value = first.json().await.unwrap();
    assert_eq!(o["unit_id"], w.unit_a.as_str());
    assert_eq!(o["submissions"][0]["filename"], "Chương trình 2026.pdf");
    assert_eq!(o["submissions"][0]["media_type"], "application/pdf");
    // The same id and bytes again: the same row, nothing added.
    let again = send(
        &app,
        &a,
        "programme",
        &id,
        "Chương trình 2026.pdf",
        pdf("ct"),
    )
    .await;
    assert_eq!(again.status(), 200);
    let o2: Value = again.json().await.unwrap();
    assert_eq!(o2["submissions"].as_array().unwrap().len(), 1, "{o2}");
    let other = send(&app, &a, "programme", &id, "x.pdf", pdf("other")).await;
    assert_problem(other, 409, "attachment_content_differs").await;
    // The same id for another obligation is another owner's.
    let elsewhere = send(&app, &a, "year", &id, "x.pdf", pdf("ct")).await;
    assert_problem(elsewhere, 409, "id_taken").await;

    let d = send(
        &app,
        &a,
        "half_year",
        &new_id(),
        "Sơ kết.docx",
        docx("sơ kết"),
    )
    .await;
    let d = ok(d).await;
    assert!(d["submissions"][0]["media_type"]
        .as_str()
        .unwrap()
        .contains("wordprocessingml"));

    // Checked by the bytes, not the name.
    let fake = send(
        &app,
        &a,
        "year",
        &new_id(),
        "bao-cao.pdf",
        b"%PDF-1.4 but never ends".to_vec(),
    )
    .await;
    let p = assert_problem(fake, 415, "attachment_type_unsupported").await;
    assert!(p["detail"].as_str().unwrap_or_default().len() > 5, "{p}");
    let exe = send(
        &app,
        &a,
        "year",
        &new_id(),
        "bao-cao.docx",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec(),
    )
    .await;
    assert_problem(exe, 415, "attachment_type_unsupported").await;
    let xlsx = {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file(
            "[Content_Types].xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.finish().unwrap().into_inner()
    };
    let xl = send(&app, &a, "year", &new_id(), "bao-cao.docx", xlsx).await;
    assert_problem(xl, 415, "attachment_type_unsupported").await;
    let empty = send(&app, &a, "year", &new_id(), "x.pdf", Vec::new()).await;
    assert_problem(empty, 400, "attachment_empty").await;

    // Only a unit's representative sends, for its own unit.
    let by_admin = send(&app, &w.admin, "year", &new_id(), "x.pdf", pdf("a")).await;
    assert_eq!(by_admin.status(), 403);

    // The download: exact bytes, checked type, the name in RFC 6266 form.
    let url = format!("/api/v1/attachments/{id}");
    let res = app.authed(Method::GET, &url, &a).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let cd = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert!(
        cd.contains("filename*=UTF-8''Ch%C6%B0%C6%A1ng%20tr%C3%ACnh%202026.pdf"),
        "{cd}"
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf("ct"));
    // Another unit's representative: not found.
    let res = app.authed(Method::GET, &url, &b).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
    let res = app
        .authed(Method::GET, &url, &w.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = app
        .authed(Method::GET, &url, &w.viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/attachments/{}", new_id()),
            &w.admin,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}

async fn an_oversized_document_is_refused(engine: Engine) {
    let Some(app) = TestApp::spawn_with(engine, |s| s.attachment_max_bytes = 1024).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let mut big = pdf("x");
    big.splice(9..9, vec![b' '; 2048]);
    let res = send(&app, &a, "programme", &new_id(), "lon.pdf", big).await;
    assert_problem(res, 413, "attachment_too_large").await;
    let small = send(&app, &a, "programme", &new_id(), "nho.pdf", pdf("x")).await;
    assert_eq!(small.status(), 201);
}

async fn status_follows_the_due_dates(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let y = year();
    // The programme due at the year's end: on time; the half-year report due on 1/1: late.
    let s = set_dues(
        &app,
        &w.admin,
        json!({"programme": format!("{y}-12-31"), "half_year": format!("{y}-01-01")}),
    )
    .await;
    assert_eq!(s["due_dates"][0]["kind"], "programme");
    assert_eq!(s["due_dates"][0]["default"], false);
    let bad = app
        .authed(
            Method::PUT,
            &format!("/api/v1/unit-reports/due-dates/{y}"),
            &w.admin,
        )
        .json(&json!({"year": "2001-01-01"}))
        .send()
        .await
        .unwrap();
    assert_problem(bad, 422, "validation_failed").await;
    ok(send(&app, &a, "programme", &new_id(), "ct.pdf", pdf("ct")).await).await;
    ok(send(&app, &a, "half_year", &new_id(), "sk.pdf", pdf("sk")).await).await;
    // A resubmission: the latest is the document, the first decides on time.
    let again = ok(send(&app, &a, "programme", &new_id(), "ct-sua.docx", docx("sửa")).await).await;
    assert_eq!(again["submissions"].as_array().unwrap().len(), 2);
    assert_eq!(again["submissions"][1]["filename"], "ct-sua.docx");
    assert_eq!(again["status"], "on_time");

    let list: Value = app
        .get_json(&format!("/api/v1/unit-reports?year={y}"), &w.admin)
        .await;
    assert_eq!(list["counts"]["total"], 12, "{list}");
    assert_eq!(find(&list, &w.unit_a, "programme")["status"], "on_time");
    assert_eq!(
        find(&list, &w.unit_a, "programme")["status_label"],
        "Nộp đúng hạn"
    );
    assert_eq!(find(&list, &w.unit_a, "half_year")["status"], "late");
    let b_half = find(&list, &w.unit_b, "half_year");
    assert_eq!(b_half["status"], "not_submitted");
    assert_eq!(b_half["overdue"], true);
    assert_eq!(find(&list, &w.unit_b, "programme")["overdue"], false);

    // A unit's own due date.
    let path = format!("/api/v1/unit-reports/due-dates/{y}/units/{}", w.unit_b);
    let body = json!({"kind": "half_year", "due_on": format!("{y}-12-31")});
    ok(app
        .authed(Method::PUT, &path, &w.admin)
        .json(&body)
        .send()
        .await
        .unwrap())
    .await;
    let list: Value = app
        .get_json(
            &format!("/api/v1/unit-reports?year={y}&kind=half_year"),
            &w.admin,
        )
        .await;
    assert_eq!(list["counts"]["total"], 3);
    let b_half = find(&list, &w.unit_b, "half_year");
    assert_eq!(b_half["due_overridden"], true);
    assert_eq!(b_half["overdue"], false);
    let late: Value = app
        .get_json(
            &format!("/api/v1/unit-reports?year={y}&status=late"),
            &w.admin,
        )
        .await;
    assert_eq!(late["counts"]["total"], 1, "{late}");
    let dept: Value = app
        .get_json(
            &format!("/api/v1/unit-reports?year={y}&unit_kind=department"),
            &w.admin,
        )
        .await;
    assert!(dept["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["unit_id"] == w.unit_c.as_str()));
    let res = app
        .authed(Method::GET, "/api/v1/unit-reports?status=soon", &w.admin)
        .send()
        .await
        .unwrap();
    assert_problem(res, 422, "validation_failed").await;
    the_round_report_states_them(&app, &w).await;
}

/// The round report (this year's round: unit A to team 1, unit C to team 2) states what each
/// unit it covers sent, and a lead's report covers only the lead's teams' units.
async fn the_round_report_states_them(app: &TestApp, w: &World) {
    let y = year();
    let round: Value = ok(app
        .authed(Method::POST, "/api/v1/rounds", &w.admin)
        .json(&json!({"name": format!("Kiểm tra năm {y}"), "kind": "year",
            "template_version_id": w.version, "starts_on": format!("{y}-09-01"),
            "ends_on": format!("{y}-11-20"), "due_on": format!("{y}-11-30"), "status": "open"}))
        .send()
        .await
        .unwrap())
    .await;
    let round = round["id"].as_str().unwrap();
    ok(app
        .authed(
            Method::PUT,
            &format!("/api/v1/rounds/{round}/assignments"),
            &w.admin,
        )
        .json(
            &json!({"assignments": [{"unit_id": w.unit_a, "team_id": w.team1},
            {"unit_id": w.unit_c, "team_id": w.team2}]}),
        )
        .send()
        .await
        .unwrap())
    .await;
    let name = |id: &str| {
        let path = format!("/api/v1/units/{id}");
        async move {
            app.get_json::<Value>(&path, &w.admin).await["name"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let (a_name, c_name) = (name(&w.unit_a).await, name(&w.unit_c).await);
    let text = |token: String| async move {
        let path = format!("/api/v1/rounds/{round}/exports/docx");
        let res = app.authed(Method::GET, &path, &token).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let all = crate::recommendations_followup::docx_text(&res.bytes().await.unwrap());
        let at = all
            .find("TÌNH HÌNH GỬI CHƯƠNG TRÌNH, BÁO CÁO CỦA CÁC ĐƠN VỊ")
            .expect("the section is printed");
        all[at..].to_owned()
    };
    let lead = text(w.lead1.clone()).await;
    let a_row = &lead[lead.find(&a_name).expect("unit A's row")..];
    assert!(a_row.starts_with(&format!("{a_name}Đúng hạn (")), "{a_row}");
    assert!(
        a_row.contains("Muộn ("),
        "the half-year report was late: {a_row}"
    );
    assert!(
        !lead.contains(&c_name),
        "team 2's unit stays out of team 1's report"
    );
    let all = text(w.admin.clone()).await;
    assert!(all.contains(&a_name) && all.contains(&c_name), "{all}");
}

async fn each_reader_sees_the_units_in_reach(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let b = unit_user(&app, &w.admin, "donvi.b", &w.unit_b).await;
    let sent = ok(send(&app, &b, "programme", &new_id(), "b.pdf", pdf("b")).await).await;
    let file = sent["submissions"][0]["id"].as_str().unwrap().to_owned();
    let units_of = |v: &Value| {
        let mut u: Vec<String> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["unit_id"].as_str().unwrap().to_owned())
            .collect();
        u.sort();
        u.dedup();
        u
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let all: Value = app.get_json("/api/v1/unit-reports", &w.viewer).await;
    assert_eq!(
        units_of(&all),
        sorted(vec![w.unit_a.clone(), w.unit_b.clone(), w.unit_c.clone()])
    );
    let lead1: Value = app.get_json("/api/v1/unit-reports", &w.lead1).await;
    assert_eq!(units_of(&lead1), vec![w.unit_a.clone()]);
    let lead2: Value = app.get_json("/api/v1/unit-reports", &w.lead2).await;
    assert_eq!(
        units_of(&lead2),
        sorted(vec![w.unit_b.clone(), w.unit_c.clone()])
    );
    let own: Value = app.get_json("/api/v1/unit-reports", &a).await;
    assert_eq!(units_of(&own), vec![w.unit_a.clone()]);
    // Asking for another unit by filter gives nothing, not that unit.
    let other: Value = app
        .get_json(&format!("/api/v1/unit-reports?unit_id={}", w.unit_b), &a)
        .await;
    assert_eq!(other["counts"]["total"], 0);

    let url = format!("/api/v1/attachments/{file}");
    for (who, status) in [
        (&w.lead1, 404),
        (&w.insp1, 404),
        (&a, 404),
        (&w.lead2, 200),
        (&w.viewer, 200),
    ] {
        let res = app.authed(Method::GET, &url, who).send().await.unwrap();
        assert_eq!(res.status().as_u16(), status);
    }
    // Viewers and leads read the due dates; only administrators change them or remind.
    let y = year();
    let dues: Value = app
        .get_json("/api/v1/unit-reports/due-dates", &w.viewer)
        .await;
    assert_eq!(dues["due_dates"].as_array().unwrap().len(), 4);
    for who in [&w.viewer, &w.lead1] {
        let res = app
            .authed(
                Method::PUT,
                &format!("/api/v1/unit-reports/due-dates/{y}"),
                who,
            )
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_problem(res, 403, "forbidden").await;
        let res = app
            .authed(Method::POST, "/api/v1/unit-reports/reminders", who)
            .send()
            .await
            .unwrap();
        assert_problem(res, 403, "forbidden").await;
    }
    let res = app
        .authed(Method::GET, "/api/v1/unit-reports/due-dates", &a)
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    // A unit's representative still reaches nothing of the rounds.
    let res = app
        .authed(Method::GET, "/api/v1/rounds", &a)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

fn nv1_template() -> Value {
    json!({
        "code": "nv1-thu", "title": "Phiếu có mục chương trình",
        "scoring": {"max_score": 100, "bands": [{"code": "tot", "label": "Tốt", "min": 0}]},
        "sections": [{"id": "nv1", "title": "Nhiệm vụ 1", "items": [
            {"id": "nv1.chuong_trinh", "type": "yes_no", "label": "Có chương trình", "max_points": 10},
            {"id": "nv1.gui_dung_han", "type": "yes_no", "label": "Gửi đúng hạn", "max_points": 10},
            {"id": "nv1.ngay_gui", "type": "date", "label": "Ngày gửi"}
        ]}]
    })
}

async fn the_programme_prefills_the_inspection_and_the_inspector_wins(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build_with_template(&app, nv1_template()).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let body = json!({"round_id": w.round, "unit_id": w.unit_a});
    let insp = ok(app
        .authed(Method::POST, "/api/v1/inspections", &w.insp1)
        .json(&body)
        .send()
        .await
        .unwrap())
    .await;
    let id = insp["id"].as_str().unwrap().to_owned();
    assert!(
        insp.get("prefill").is_none(),
        "nothing received yet: {insp}"
    );

    // The round is 2026's: the programme was due 10/3/2026 and arrives now, late.
    let path = format!("/api/v1/unit-reports/2026/programme/files/{}", new_id());
    let res = app
        .authed(Method::PUT, &path, &a)
        .body(pdf("ct"))
        .send()
        .await
        .unwrap();
    let sent = ok(res).await;
    let today = sent["first_submitted_at"].as_str().unwrap().to_owned();
    let d: Value = app
        .get_json(&format!("/api/v1/inspections/{id}"), &w.insp1)
        .await;
    assert_eq!(d["prefill"]["nv1.chuong_trinh"]["value"], "yes", "{d}");
    assert_eq!(d["prefill"]["nv1.gui_dung_han"]["value"], "no");
    assert_eq!(d["prefill"]["nv1.gui_dung_han"]["source"], "unit_report");
    let date = d["prefill"]["nv1.ngay_gui"]["value"].as_str().unwrap();
    assert_eq!(date.len(), 10);
    assert!(today.starts_with(&date[..4]), "{today} vs {date}");
    assert!(
        d["answers"].as_object().unwrap().is_empty(),
        "never written as answers"
    );

    // The inspector's own answer wins, and the suggestion gives way.
    let body = json!({"answers": {"nv1.gui_dung_han": {"value": "yes"}}});
    ok(app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{id}/answers"),
            &w.insp1,
        )
        .json(&body)
        .send()
        .await
        .unwrap())
    .await;
    let d: Value = app
        .get_json(&format!("/api/v1/inspections/{id}"), &w.insp1)
        .await;
    assert_eq!(d["answers"]["nv1.gui_dung_han"]["value"], "yes");
    assert!(d["prefill"].get("nv1.gui_dung_han").is_none(), "{d}");
    assert_eq!(d["prefill"]["nv1.chuong_trinh"]["value"], "yes");
}

async fn reminders_reach_the_unit_once_a_day(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let soon = (chrono::Utc::now() + chrono::Duration::days(3))
        .date_naive()
        .to_string();
    let far = (chrono::Utc::now() + chrono::Duration::days(30))
        .date_naive()
        .to_string();
    // Everything due in 3 days except the article, due in 30; unit A sent its programme.
    let y = year();
    let path = format!("/api/v1/unit-reports/due-dates/{y}");
    let body = json!({"programme": soon, "half_year": soon, "year": soon, "dan_van_article": far});
    // Near the year's end these fall in the next year: still accepted.
    let res = app
        .authed(Method::PUT, &path, &w.admin)
        .json(&body)
        .send()
        .await
        .unwrap();
    ok(res).await;
    ok(send(&app, &a, "programme", &new_id(), "ct.pdf", pdf("ct")).await).await;
    let remind = || {
        app.authed(Method::POST, "/api/v1/unit-reports/reminders", &w.admin)
            .send()
    };
    let first = ok(remind().await.unwrap()).await;
    // Unit A's one representative: the half-year and year reports.
    assert_eq!(first["created"], 2, "{first}");
    let second = ok(remind().await.unwrap()).await;
    assert_eq!(second["created"], 0, "once a day");
    let n: i64 = {
        let db = app.db.clone();
        db.read(|c| {
            use diesel::prelude::*;
            use kiemtra::db::schema::notifications as n;
            let count = n::table.filter(n::kind.eq("unit_report")).count();
            Ok::<_, kiemtra::domain::DomainError>(count.get_result::<i64>(c)?)
        })
        .await
        .unwrap()
    };
    assert_eq!(n, 2);
    // The leads heard nothing of it.
    let lead: Value = app.get_json("/api/v1/notifications", &w.lead1).await;
    assert!(!lead.to_string().contains("unit_report"), "{lead}");
}

/// A multipart form as a browser sends it: text fields, then the file `tep`.
pub(crate) fn multipart(fields: &[(&str, &str)], name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----kiemtra-boundary-7d1f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) async fn post_file(
    c: &WebClient,
    fields: &[(&str, &str)],
    name: &str,
    file: &[u8],
) -> reqwest::Response {
    let (ct, body) = multipart(fields, name, file);
    c.http
        .post(c.url("/bao-cao/nop"))
        .header("Origin", c.url("").trim_end_matches('/'))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn the_web_pages_show_and_receive_reports(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let mut unit = WebClient::world_user(&app, "donvi.a").await;
    let (status, html) = unit.get("/bao-cao").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Xã Nghi Lộc") && html.contains("Chưa nộp"),
        "{html}"
    );
    let y = year().to_string();
    let csrf = unit.csrf.clone();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("nam", y.as_str()),
        ("loai", "programme"),
    ];
    let res = post_file(&unit, &fields, "Chương trình.pdf", &pdf("web")).await;
    let (_, html) = unit.follow(res).await;
    assert!(html.contains("Đã nộp"), "{html}");
    assert!(html.contains("Chương trình.pdf"), "{html}");
    // Checked as the API checks it.
    let res = post_file(&unit, &fields, "gia.pdf", b"MZ not a document").await;
    let (_, html) = unit.follow(res).await;
    assert!(
        html.contains("DOCX or PDF") || html.contains("DOCX hoặc PDF"),
        "{html}"
    );
    // No token, no upload.
    let bad = [("nam", y.as_str()), ("loai", "year")];
    let res = post_file(&unit, &bad, "x.pdf", &pdf("x")).await;
    assert!(res.status().is_client_error(), "{}", res.status());
    let list: Value = app
        .get_json(
            &format!("/api/v1/unit-reports?year={y}&status=on_time"),
            &w.admin,
        )
        .await;
    assert_eq!(list["counts"]["total"], 0, "{list}");
    let all: Value = app
        .get_json(
            &format!("/api/v1/unit-reports?year={y}&unit_id={}", w.unit_a),
            &w.admin,
        )
        .await;
    let sent: Vec<&Value> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["status"] != "not_submitted")
        .collect();
    assert_eq!(sent.len(), 1, "only the programme: {all}");
    let file = sent[0]["submissions"][0]["id"].as_str().unwrap().to_owned();
    let (status, _) = unit.get(&format!("/bao-cao/tep/{file}")).await;
    assert_eq!(status, 200);

    let mut admin = WebClient::world_user(&app, "admin1").await;
    let (status, html) = admin.get(&format!("/bao-cao-don-vi?nam={y}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Xã Nghi Lộc") && html.contains("Sở Tài chính"),
        "{html}"
    );
    assert!(html.contains("Lưu hạn nộp"), "administrators set due dates");
    let res = admin
        .post(
            "/bao-cao-don-vi/han-nop",
            &[("nam", y.as_str()), ("half_year", &format!("{y}-06-30"))],
        )
        .await;
    let (_, html) = admin.follow(res).await;
    assert!(html.contains("Đã lưu hạn nộp"), "{html}");
    assert!(html.contains(&format!("30/06/{y}")), "{html}");

    let mut lead = WebClient::world_user(&app, "lead1").await;
    let (status, html) = lead.get("/bao-cao-don-vi").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Xã Nghi Lộc") && !html.contains("Sở Tài chính"),
        "lead1 sees team 1's units only"
    );
    assert!(!html.contains("Lưu hạn nộp"));
    let (status, _) = lead.get(&format!("/bao-cao/tep/{file}")).await;
    assert_eq!(status, 200, "unit A is team 1's");
    let mut viewer = WebClient::world_user(&app, "viewer1").await;
    let (status, html) = viewer.get("/bao-cao-don-vi").await;
    assert_eq!(status, 200);
    assert!(!html.contains("Lưu hạn nộp"));
    let (status, _) = viewer.get("/bao-cao").await;
    assert_eq!(status, 403);
}
