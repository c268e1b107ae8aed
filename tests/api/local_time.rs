//! Dates people read are local (Asia/Ho_Chi_Minh by default), deadlines are the end of the
//! local day, and the JSON keeps UTC: checked through the summary, the XLSX and both CSV
//! dialects, read back by independent readers (openpyxl, Python's csv).

use std::path::Path;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::reports::{act, compiled, download, ok, post, python, read_with, sheet, unit, Compiled};
use kiemtra::db::schema::inspections;

both_engines!(late_marks_and_local_dates_reach_every_export);

fn utc(s: &str) -> NaiveDateTime {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().naive_utc()
}

/// Moves an inspection's submission and approval to the given UTC instants, as if they had
/// happened then.
async fn happened_at(app: &TestApp, id: &str, submitted: &str, approved: &str) {
    let (id, submitted, approved) = (id.to_owned(), utc(submitted), utc(approved));
    app.db
        .write(move |c| {
            diesel::update(inspections::table.find(&id))
                .set((
                    inspections::submitted_at.eq(Some(submitted)),
                    inspections::approved_at.eq(Some(approved)),
                ))
                .execute(c)
                .map(|_| ())
                .map_err(kiemtra::db::DbError::from)
        })
        .await
        .unwrap();
}

fn row_of<'a>(rows: &'a Value, col: usize, value: &Value) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| &r[col] == value)
        .unwrap_or_else(|| panic!("{value} in {rows}"))
}

const RESPONSIBLE: &str = "Chủ tịch UBND phường Cửa Lò";

/// The small world of `reports` with both units approved, at times that test the deadline, a
/// lead's row naming a person as responsible, and a conclusion.
async fn late_world(app: &TestApp) -> Compiled {
    let c = compiled(app).await;
    let (w, round) = (&c.w, c.w.round.clone());
    act(app, &w.lead2, &c.b, "approve").await;
    // The round is due on 30/11/2026. Unit A (Xã Nghi Lộc): submitted at 00:01 on 01/12 and
    // approved at 05:21 on 02/12, Vietnam time. Unit B: submitted at 23:59 on 30/11 (on
    // time), approved at 06:00 on 01/12 (23:00 UTC on 30/11: late all the same).
    happened_at(app, &c.a, "2026-11-30T17:01:00Z", "2026-12-01T22:21:00Z").await;
    happened_at(app, &c.b, "2026-11-30T16:59:00Z", "2026-11-30T23:00:00Z").await;
    // A lead's row naming a person as responsible, and a unit as well.
    let add = format!(
        "/api/v1/rounds/{round}/teams/{}/report-recommendations",
        w.team1
    );
    ok(post(app, &w.lead1, &add, json!({"content": "Kiện toàn Ban Chỉ đạo", "responsible": RESPONSIBLE, "responsible_unit_id": w.unit_b, "replaces": [c.rec_a]})).await).await;
    let conclusion = format!("/api/v1/rounds/{round}/teams/{}/conclusion", w.team1);
    ok(app
        .authed(Method::PUT, &conclusion, &w.lead1)
        .json(&json!({"body": "Đoàn 1 kết luận."}))
        .send()
        .await
        .unwrap())
    .await;
    c
}

async fn late_marks_and_local_dates_reach_every_export(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let c = late_world(&app).await;
    let (w, round) = (&c.w, c.w.round.clone());
    // The JSON keeps UTC; the marks are against the end of the local due day.
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/summary"), &w.admin)
        .await;
    let (a, b) = (unit(&s, &w.unit_a), unit(&s, &w.unit_b));
    assert_eq!(a["approved_at"], "2026-12-01T22:21:00Z");
    assert_eq!(
        (&a["submitted_late"], &a["approved_late"]),
        (&json!(true), &json!(true))
    );
    assert_eq!(
        (&b["submitted_late"], &b["approved_late"]),
        (&json!(false), &json!(true))
    );
    assert_eq!(s["recommendations"][0]["responsible"], RESPONSIBLE);

    let Some(py) = python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    xlsx_is_local(&app, &c, &py, dir.path()).await;
    csv_for_people_and_machines(&app, &c, &py, dir.path()).await;
}

async fn xlsx_is_local(app: &TestApp, c: &Compiled, py: &Path, d: &Path) {
    let (w, round) = (&c.w, &c.w.round);
    let (xlsx, _) = download(app, &w.admin, round, "xlsx", d, "r.xlsx").await;
    let x = read_with(py, "read_xlsx.py", &[&xlsx], &[]);
    let units = &sheet(&x, "Đơn vị")["rows"];
    let date = |v: &str| json!({"t": "date", "v": v});
    let text = |v: &str| json!({"t": "text", "v": v});
    let ra = row_of(units, 2, &text("Xã Nghi Lộc"));
    assert_eq!(ra[8], date("2026-12-01"), "submitted at 00:01 on 01/12");
    assert_eq!(ra[9], date("2026-12-02"), "approved at 05:21 on 02/12");
    assert_eq!(ra[10], text("Nộp muộn, duyệt muộn"));
    let rb = row_of(units, 1, &text("XA-B"));
    assert_eq!(rb[8], date("2026-11-30"));
    assert_eq!(rb[9], date("2026-12-01"), "06:00 on 01/12, not 30/11");
    assert_eq!(rb[10], text("Duyệt muộn"));
    let recs = &sheet(&x, "Kiến nghị")["rows"];
    assert!(
        recs.as_array()
            .unwrap()
            .iter()
            .any(|r| r[5] == text(RESPONSIBLE)),
        "{recs}"
    );
    let findings = &sheet(&x, "Nhận xét");
    assert_eq!(findings["freeze"], "A2");
    let fa = row_of(&findings["rows"], 1, &text("Xã Nghi Lộc"));
    assert_eq!(
        fa[3],
        text("Triển khai kịp thời Chương trình công tác năm 2026.")
    );
    assert_eq!(fa[4], text("Chưa xây dựng điểm sáng dân vận."));
    assert_eq!(fa[5], text("Thiếu cán bộ chuyên trách."));
    let conclusions = &sheet(&x, "Kết luận")["rows"];
    assert_eq!(conclusions[1][2], text("Đoàn 1 kết luận."));
}

async fn csv_for_people_and_machines(app: &TestApp, c: &Compiled, py: &Path, d: &Path) {
    let (w, round) = (&c.w, &c.w.round);
    // CSV for people: `;`, decimal comma, local dd/mm/yyyy, BOM, CRLF.
    let (csv, _) = download(app, &w.admin, round, "csv?table=units", d, "p.csv").await;
    let p = read_with(py, "read_csv.py", &[&csv], &[";"]);
    assert_eq!((&p["bom"], &p["crlf"]), (&json!(true), &json!(true)));
    let pa = row_of(&p["rows"], 2, &json!("Xã Nghi Lộc"));
    assert_eq!(pa[6], "66,67");
    assert_eq!(
        (&pa[8], &pa[9]),
        (&json!("01/12/2026"), &json!("02/12/2026"))
    );
    assert_eq!(pa[10], "Nộp muộn, duyệt muộn");
    let pb = row_of(&p["rows"], 1, &json!("XA-B"));
    assert_eq!(
        (&pb[9], &pb[10]),
        (&json!("01/12/2026"), &json!("Duyệt muộn"))
    );
    let (csv, _) = download(
        app,
        &w.admin,
        round,
        "csv?table=recommendations",
        d,
        "k.csv",
    )
    .await;
    let k = read_with(py, "read_csv.py", &[&csv], &[";"]);
    assert!(
        k["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r[5] == RESPONSIBLE),
        "{k}"
    );

    // CSV for machines: `,`, decimal point, ISO dates, no BOM.
    let (csv, _) = download(
        app,
        &w.admin,
        round,
        "csv?table=units&dialect=machine",
        d,
        "m.csv",
    )
    .await;
    let m = read_with(py, "read_csv.py", &[&csv], &[","]);
    assert_eq!((&m["bom"], &m["crlf"]), (&json!(false), &json!(false)));
    let ma = row_of(&m["rows"], 2, &json!("Xã Nghi Lộc"));
    assert_eq!(ma[6], "66.67");
    assert_eq!(
        (&ma[8], &ma[9]),
        (&json!("2026-12-01"), &json!("2026-12-02"))
    );
    for table in ["findings", "conclusions"] {
        let (csv, _) = download(
            app,
            &w.admin,
            round,
            &format!("csv?table={table}"),
            d,
            "t.csv",
        )
        .await;
        let t = read_with(py, "read_csv.py", &[&csv], &[";"]);
        assert_eq!(
            t["rows"].as_array().unwrap().len(),
            1 + if table == "findings" { 2 } else { 1 },
            "{table}: {t}"
        );
    }
}

#[test]
fn an_unknown_timezone_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::cli::kiemtra(dir.path())
        .arg("migrate")
        .env("KIEMTRA_TIMEZONE", "Asia/Hanoi_City")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("KIEMTRA_TIMEZONE") && err.contains("Asia/Hanoi_City"),
        "{err}"
    );
    let ok = crate::cli::kiemtra(dir.path())
        .arg("migrate")
        .env("KIEMTRA_TIMEZONE", "Asia/Ho_Chi_Minh")
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}
