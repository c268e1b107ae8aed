//! Reports over HTTP: progress and summary (only approved inspections count), the leads'
//! conclusions and report recommendations with who may write them, and the exported files
//! opened by independent readers (python-docx, openpyxl, Python's csv, zlib and XML parser:
//! tests/readers), on both engines; then a province-sized round timed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use kiemtra::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::world::World;

both_engines!(
    only_approved_inspections_count_and_pending_ones_are_reported,
    progress_counts_every_state_per_team,
    who_may_read_and_write_the_compilation,
    exports_are_read_back_by_independent_readers
);

mod command_line {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn kiemtra_export_writes_the_same_files() {
        super::kiemtra_export_writes_the_same_files().await
    }
}

mod province {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_province_of_150_units_reports_in_seconds() {
        super::a_province_of_150_units_reports_in_seconds(crate::helpers::Engine::Sqlite).await
    }
}

// ---------------------------------------------------------------------------------------
// Driving inspections through the API.

pub(crate) async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {v}");
    v
}

pub(crate) async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.authed(Method::POST, path, token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Starts the unit's inspection and answers it; returns its id.
async fn fill(app: &TestApp, token: &str, round: &str, unit: &str, answers: Value) -> String {
    let x = ok(post(
        app,
        token,
        "/api/v1/inspections",
        json!({"round_id": round, "unit_id": unit}),
    )
    .await)
    .await;
    let id = x["id"].as_str().unwrap().to_owned();
    ok(app
        .authed(
            Method::PATCH,
            &format!("/api/v1/inspections/{id}/answers"),
            token,
        )
        .json(&json!({ "answers": answers }))
        .send()
        .await
        .unwrap())
    .await;
    id
}

pub(crate) async fn act(app: &TestApp, token: &str, id: &str, action: &str) -> Value {
    ok(post(
        app,
        token,
        &format!("/api/v1/inspections/{id}/{action}"),
        json!(null),
    )
    .await)
    .await
}

/// The small world with unit A approved (findings and a recommendation), unit B submitted
/// (with a recommendation: not official yet) and unit C not started.
pub(crate) struct Compiled {
    pub w: World,
    pub a: String,
    pub b: String,
    pub rec_a: String,
    pub rec_b: String,
}

pub(crate) async fn compiled(app: &TestApp) -> Compiled {
    let w = World::build(app).await;
    let a = fill(
        app,
        &w.insp1,
        &w.round,
        &w.unit_a,
        json!({"a": {"value": "yes"}, "b": {"value": "part"}, "d": {"value": 4}, "e": {"value": 7}}),
    )
    .await;
    ok(app
        .authed(Method::PATCH, &format!("/api/v1/inspections/{a}"), &w.insp1)
        .json(&json!({"strengths": "Triển khai kịp thời Chương trình công tác năm 2026.", "shortcomings": "Chưa xây dựng điểm sáng dân vận.", "causes": "Thiếu cán bộ chuyên trách."}))
        .send()
        .await
        .unwrap())
    .await;
    let rec_a = ok(post(app, &w.insp1, &format!("/api/v1/inspections/{a}/recommendations"), json!({"content": "Xây dựng điểm sáng dân vận chính quyền", "responsible_unit_id": w.unit_a, "due_on": "2027-03-31"})).await).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    act(app, &w.insp1, &a, "submit").await;
    act(app, &w.lead1, &a, "approve").await;

    let b = fill(
        app,
        &w.insp2,
        &w.round,
        &w.unit_b,
        json!({"a": {"value": "yes"}, "b": {"value": "full"}, "d": {"value": 5}, "f": {"value": "yes"}}),
    )
    .await;
    let rec_b = ok(post(
        app,
        &w.insp2,
        &format!("/api/v1/inspections/{b}/recommendations"),
        json!({"content": "Kiến nghị chưa duyệt"}),
    )
    .await)
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    crate::findings::write_findings(app, &w.insp2, &b).await;
    act(app, &w.insp2, &b, "submit").await;
    Compiled {
        w,
        a,
        b,
        rec_a,
        rec_b,
    }
}

pub(crate) fn unit<'a>(summary: &'a Value, id: &str) -> &'a Value {
    summary["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == id)
        .unwrap()
}

// ---------------------------------------------------------------------------------------

async fn only_approved_inspections_count_and_pending_ones_are_reported(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let c = compiled(&app).await;
    let w = &c.w;
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{}/summary", w.round), &w.admin)
        .await;
    assert_eq!(
        s["counts"],
        json!({"assigned": 3, "approved": 1, "pending": 2, "not_started": 1})
    );
    // A: a yes 10/10, b part 5/10 → s1 15/20 = 0.75 (weight 2); d 4 → 15/20, f unanswered
    // 0/10 → s2 15/30 = 0.5. Score = 100 · (2·0.75 + 0.5) / 3 = 66.67 → Trung bình.
    let a = unit(&s, &w.unit_a);
    assert_eq!(a["counted"], true);
    assert_eq!(a["score"], 66.67);
    assert_eq!(a["band"], "tb");
    assert_eq!(a["band_label"], "Trung bình");
    assert_eq!(a["name"], "Xã Nghi Lộc");
    // B scores higher, but is only submitted: not counted anywhere.
    let b = unit(&s, &w.unit_b);
    assert_eq!(
        (b["status"].as_str(), b["counted"].as_bool()),
        (Some("submitted"), Some(false))
    );
    assert!(b["score"].is_null() && b["band"].is_null());
    assert_eq!(unit(&s, &w.unit_c)["status"], "not_started");
    assert_eq!(s["mean_score"], 66.67);
    let dist: Vec<(String, u64)> = s["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["code"].as_str().unwrap().to_owned(),
                b["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        dist,
        [
            ("tot".into(), 0),
            ("kha".into(), 0),
            ("tb".into(), 1),
            ("yeu".into(), 0)
        ]
    );
    // Weak points: among the one approved unit, b, d and f fell short; a did not.
    let item = |id: &str| {
        s["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (
            item("a")["counted"].as_u64(),
            item("a")["fell_short"].as_u64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(item("b")["share"], 1.0);
    assert_eq!(item("f")["fell_short"], 1, "unanswered counts as short");
    let weakest: Vec<&str> = s["weakest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(weakest, ["b", "d", "f"]);
    // Only the approved inspection's recommendation and findings are official.
    let recs = s["recommendations"].as_array().unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["id"], c.rec_a.as_str());
    assert_eq!(recs[0]["responsible"], "Xã Nghi Lộc");
    assert_eq!(recs[0]["due_on"], "2027-03-31");
    assert_eq!(recs[0]["follow_up"], "open");
    assert_ne!(recs[0]["id"], c.rec_b.as_str());
    let findings = s["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0]["shortcomings"],
        "Chưa xây dựng điểm sáng dân vận."
    );

    // Approving B brings it in.
    act(&app, &w.lead2, &c.b, "approve").await;
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{}/summary", w.round), &w.admin)
        .await;
    assert_eq!(s["counts"]["approved"], 2);
    assert_eq!(s["counts"]["pending"], 1);
    assert_eq!(s["recommendations"].as_array().unwrap().len(), 2);
    assert!(unit(&s, &w.unit_b)["score"].as_f64().unwrap() > 90.0);
    let _ = &c.a;
}

async fn progress_counts_every_state_per_team(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let c = compiled(&app).await;
    let w = &c.w;
    let p: Value = app
        .get_json(&format!("/api/v1/rounds/{}/progress", w.round), &w.admin)
        .await;
    assert_eq!(p["due_on"], "2026-11-30");
    let o = &p["overall"];
    assert_eq!(
        (
            o["assigned"].as_u64(),
            o["started"].as_u64(),
            o["approved"].as_u64(),
            o["submitted"].as_u64(),
            o["not_started"].as_u64()
        ),
        (Some(3), Some(2), Some(1), Some(1), Some(1))
    );
    assert_eq!(o["missing_evidence"], 0);
    assert_eq!(o["open_conflicts"], 0);
    let teams = p["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 2);
    assert_eq!(teams[0]["team_name"], "Đoàn 1");
    assert_eq!(teams[0]["approved"], 1);
    assert_eq!(teams[1]["assigned"], 2);
    // Whether anything is overdue depends on today against the round's deadline.
    let past_due = p["past_due"].as_bool().unwrap();
    assert_eq!(o["overdue"], if past_due { 2 } else { 0 });

    // Returned work shows as returned; a lead sees only the teams they lead or belong to.
    ok(post(
        &app,
        &w.lead2,
        &format!("/api/v1/inspections/{}/return", c.b),
        json!({"reason": "Bổ sung minh chứng"}),
    )
    .await)
    .await;
    let p: Value = app
        .get_json(&format!("/api/v1/rounds/{}/progress", w.round), &w.lead2)
        .await;
    let teams = p["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0]["team_id"], w.team2.as_str());
    assert_eq!(teams[0]["returned"], 1);
    assert_eq!(p["overall"]["assigned"], 2);
}

async fn who_may_read_and_write_the_compilation(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let c = compiled(&app).await;
    let w = &c.w;
    let round = &w.round;
    let (_, outsider) = app.token_for("insp9", Role::Inspector).await;
    let (_, lone_lead) = app.token_for("lead9", Role::Lead).await;

    // Reading: the round's people see their teams; nobody else learns the round exists.
    for path in ["summary", "progress", "exports/csv", "exports/chart-svg"] {
        let url = format!("/api/v1/rounds/{round}/{path}");
        for token in [&outsider, &lone_lead] {
            assert_problem(
                app.authed(Method::GET, &url, token).send().await.unwrap(),
                404,
                "not_found",
            )
            .await;
        }
        let res = app
            .authed(Method::GET, &url, &w.viewer)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "viewer reads {path}");
    }
    let mine: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/summary"), &w.insp1)
        .await;
    let units: Vec<&str> = mine["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        units,
        [w.unit_a.as_str()],
        "an inspector sees their team's units only"
    );

    // The conclusion: the team's lead or an administrator writes it.
    let conclusion = format!("/api/v1/rounds/{round}/teams/{}/conclusion", w.team1);
    let put = |token: &str, body: Value| {
        app.authed(Method::PUT, &conclusion, token)
            .json(&body)
            .send()
    };
    let text =
        json!({"body": "Đoàn 1 kết luận: đơn vị thực hiện tốt công tác dân vận chính quyền."});
    assert_problem(
        put(&w.viewer, text.clone()).await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    assert_problem(put(&w.insp1, text.clone()).await.unwrap(), 403, "forbidden").await;
    assert_problem(put(&w.lead2, text.clone()).await.unwrap(), 404, "not_found").await;
    assert_problem(
        put(&outsider, text.clone()).await.unwrap(),
        404,
        "not_found",
    )
    .await;
    assert_problem(
        put(&w.lead1, json!({"body": "  "})).await.unwrap(),
        422,
        "validation_failed",
    )
    .await;
    let first = ok(put(&w.lead1, text.clone()).await.unwrap()).await;
    assert_eq!(first["version"], 1);
    assert_problem(
        put(&w.lead1, json!({"body": "Sửa", "version": 5}))
            .await
            .unwrap(),
        409,
        "version_mismatch",
    )
    .await;
    let second = ok(
        put(&w.admin, json!({"body": "Kết luận đã sửa.", "version": 1}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(second["version"], 2);

    // Report recommendations stand in for the inspectors' ones, which stay as recorded.
    let add = format!(
        "/api/v1/rounds/{round}/teams/{}/report-recommendations",
        w.team1
    );
    let row = json!({"content": "Trong quý I/2027, xây dựng điểm sáng dân vận chính quyền", "replaces": [c.rec_a], "grouping": "Điểm sáng", "due_on": "2027-03-31"});
    assert_problem(
        post(&app, &w.viewer, &add, row.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        post(&app, &w.insp1, &add, row.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        post(&app, &w.lead2, &add, row.clone()).await,
        404,
        "not_found",
    )
    .await;
    let wrong = assert_problem(
        post(
            &app,
            &w.lead1,
            &add,
            json!({"content": "X", "replaces": [c.rec_b]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(wrong["errors"][0]["code"], "unknown_recommendation");
    let created = ok(post(&app, &w.lead1, &add, row).await).await;
    let rid = created["id"].as_str().unwrap().to_owned();
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/summary"), &w.viewer)
        .await;
    let recs = s["recommendations"].as_array().unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["id"], rid.as_str());
    assert_eq!(recs[0]["source"], "lead");
    assert_eq!(recs[0]["unit_name"], "Xã Nghi Lộc");
    assert_eq!(s["conclusions"][0]["body"], "Kết luận đã sửa.");
    let inspection: Value = app
        .get_json(&format!("/api/v1/inspections/{}", c.a), &w.lead1)
        .await;
    assert_eq!(
        inspection["recommendations"][0]["content"], "Xây dựng điểm sáng dân vận chính quyền",
        "the inspectors' record is unchanged"
    );

    let one = format!("/api/v1/report-recommendations/{rid}");
    let patch =
        |token: &str, body: Value| app.authed(Method::PATCH, &one, token).json(&body).send();
    assert_problem(
        patch(&w.lead2, json!({"content": "Y"})).await.unwrap(),
        404,
        "not_found",
    )
    .await;
    assert_problem(
        patch(&w.viewer, json!({"content": "Y"})).await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    let edited = ok(patch(
        &w.lead1,
        json!({"content": "Xây dựng 01 điểm sáng", "grouping": null, "version": 1}),
    )
    .await
    .unwrap())
    .await;
    assert_eq!(edited["version"], 2);
    assert!(edited["grouping"].is_null());
    assert_problem(
        app.authed(Method::DELETE, &one, &w.viewer)
            .send()
            .await
            .unwrap(),
        403,
        "forbidden",
    )
    .await;
    let res = app
        .authed(Method::DELETE, &one, &w.lead1)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/summary"), &w.viewer)
        .await;
    assert_eq!(
        s["recommendations"][0]["id"],
        c.rec_a.as_str(),
        "the original shows again"
    );

    // Every change is in the audit log.
    for entity in ["report_conclusion", "report_recommendation"] {
        let log: Value = app
            .get_json(&format!("/api/v1/audit?entity={entity}"), &w.admin)
            .await;
        let actions: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        let expected: &[&str] = if entity == "report_conclusion" {
            &["create", "update"]
        } else {
            &["create", "update", "delete"]
        };
        assert_eq!(actions, expected, "{entity}");
    }
}

// ---------------------------------------------------------------------------------------
// The independent readers.

fn readers_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("readers")
}

/// A virtualenv with the pinned readers (see `python`).
pub(crate) fn python() -> Option<PathBuf> {
    static PYTHON: OnceLock<Option<PathBuf>> = OnceLock::new();
    PYTHON
        .get_or_init(|| crate::python::venv("readers", &readers_dir().join("requirements.txt")))
        .clone()
}

fn read(python: &Path, script: &str, files: &[&Path]) -> Value {
    read_with(python, script, files, &[])
}

/// `read` with extra arguments after the files (the CSV reader's separator).
pub(crate) fn read_with(python: &Path, script: &str, files: &[&Path], extra: &[&str]) -> Value {
    let out = Command::new(python)
        .arg(readers_dir().join(script))
        .args(files)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Downloads an export into `dir`; checks its content type and file name.
pub(crate) async fn download(
    app: &TestApp,
    token: &str,
    round: &str,
    what: &str,
    dir: &Path,
    name: &str,
) -> (PathBuf, Duration) {
    let started = Instant::now();
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/rounds/{round}/exports/{what}"),
            token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{what}");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
    let bytes = res.bytes().await.unwrap();
    let took = started.elapsed();
    let expected_ct = match name.rsplit('.').next().unwrap() {
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        _ => "image/svg+xml",
    };
    assert_eq!(ct, expected_ct, "{what}");
    let path = dir.join(name);
    std::fs::write(&path, &bytes).unwrap();
    (path, took)
}

pub(crate) fn sheet<'a>(x: &'a Value, name: &str) -> &'a Value {
    x["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap()
}

fn all_text(d: &Value) -> String {
    let mut s: Vec<String> = d["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    for t in d["tables"].as_array().unwrap() {
        for row in t.as_array().unwrap() {
            for c in row.as_array().unwrap() {
                s.push(c.as_str().unwrap().to_owned());
            }
        }
    }
    s.join("\n")
}

async fn exports_are_read_back_by_independent_readers(engine: Engine) {
    let Some(py) = python() else {
        return;
    };
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let c = compiled(&app).await;
    let w = &c.w;
    let round = &w.round;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{round}/summary"), &w.admin)
        .await;

    // DOCX: the decree's layout, and the summary's figures.
    let (docx, _) = download(&app, &w.admin, round, "docx", d, "r.docx").await;
    let x = read(&py, "read_docx.py", &[&docx]);
    let text = all_text(&x);
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ NỘI VỤ",
        "/BC-SNV",
        "Nghệ An, ngày",
        "Kết quả kiểm tra công tác dân vận chính quyền năm 2026",
        "Triển khai kịp thời Chương trình công tác năm 2026.",
        "Chưa xây dựng điểm sáng dân vận.",
        "Thiếu cán bộ chuyên trách.",
        "Xây dựng điểm sáng dân vận chính quyền",
        "Nơi nhận:",
        "Số liệu trong báo cáo này chỉ tính các phiếu đã được duyệt",
    ] {
        assert!(text.contains(needle), "DOCX lacks {needle:?}:\n{text}");
    }
    assert!(x["bold_paragraphs"]
        .as_array()
        .unwrap()
        .contains(&json!("BÁO CÁO")));
    assert_eq!(x["default_font"], "Times New Roman");
    assert_eq!(x["fonts"], json!(["Times New Roman"]));
    assert_eq!(
        x["page"],
        json!({"width": 210.0, "height": 297.0, "top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0})
    );
    assert_eq!(x["images"], json!(["image/png"]), "the chart is embedded");
    let results = x["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t[0][1] == "Đơn vị")
        .unwrap();
    let row_a = results
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[1] == "Xã Nghi Lộc")
        .unwrap();
    assert_eq!(row_a[3], "66,67");
    // The World's round is due 30/11/2026: run after that, the rating also carries the late
    // marks, "Trung bình (nộp muộn, duyệt muộn)" (tests/api/local_time.rs checks them).
    assert!(
        row_a[4].as_str().unwrap().starts_with("Trung bình"),
        "{row_a:?}"
    );
    let row_b = results
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[1] == "Xã Diễn Châu")
        .unwrap();
    assert_eq!(row_b[3].as_str(), Some(""));
    assert!(
        row_b[4].as_str().unwrap().starts_with("Chờ duyệt"),
        "{row_b:?}"
    );

    // XLSX: five sheets, real numbers and dates, frozen header, filters.
    let (xlsx, _) = download(&app, &w.admin, round, "xlsx", d, "r.xlsx").await;
    let x = read(&py, "read_xlsx.py", &[&xlsx]);
    let names: Vec<&str> = x["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Đơn vị", "Câu trả lời", "Kiến nghị", "Nhận xét", "Kết luận"]
    );
    let units = sheet(&x, "Đơn vị");
    assert_eq!(units["freeze"], "A2");
    assert_eq!(units["autofilter"], "A1:K4");
    let ua = units["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[2]["v"] == "Xã Nghi Lộc")
        .unwrap();
    assert_eq!(ua[6], json!({"t": "number", "v": 66.67}));
    assert_eq!(
        ua[6]["v"],
        unit(&s, &w.unit_a)["score"],
        "the summary's figure"
    );
    assert_eq!(ua[7]["v"], "Trung bình");
    assert_eq!(ua[8]["t"], "date", "submission date is a date");
    assert_eq!(ua[9]["t"], "date", "approval date is a date");
    let answers = sheet(&x, "Câu trả lời");
    assert_eq!(answers["freeze"], "A2");
    let rating = answers["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[4]["v"] == "d")
        .unwrap();
    assert_eq!(rating[7], json!({"t": "number", "v": 4}));
    assert_eq!(rating[9], json!({"t": "number", "v": 15}));
    assert_eq!(
        answers["rows"].as_array().unwrap().len(),
        1 + 6,
        "one approved unit × six items"
    );
    let recs = sheet(&x, "Kiến nghị");
    assert_eq!(recs["autofilter"], "A1:I2");
    assert_eq!(
        recs["rows"][1][4]["v"],
        "Xây dựng điểm sáng dân vận chính quyền"
    );
    assert_eq!(recs["rows"][1][6], json!({"t": "date", "v": "2027-03-31"}));

    // CSV for people (Excel in Vietnamese settings): `;`, decimal comma, UTF-8 with BOM, CRLF;
    // the same tables.
    for (table, rows) in [("units", 4), ("answers", 7), ("recommendations", 2)] {
        let (csv, _) = download(
            &app,
            &w.admin,
            round,
            &format!("csv?table={table}"),
            d,
            &format!("{table}.csv"),
        )
        .await;
        let x = read_with(&py, "read_csv.py", &[&csv], &[";"]);
        assert_eq!((&x["bom"], &x["crlf"]), (&json!(true), &json!(true)));
        assert_eq!(x["rows"].as_array().unwrap().len(), rows, "{table}");
        if table == "units" {
            assert_eq!(x["rows"][0][2], "Tên đơn vị");
            let ua = x["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r[2] == "Xã Nghi Lộc")
                .unwrap();
            assert_eq!(ua[6], "66,67");
        }
    }

    // The chart: a PNG that decodes to its size with colour in it, an SVG that parses.
    let (png, _) = download(&app, &w.admin, round, "chart-png", d, "c.png").await;
    let (svg, _) = download(&app, &w.admin, round, "chart-svg", d, "c.svg").await;
    let x = read(&py, "read_chart.py", &[&png, &svg]);
    assert_eq!(
        (x["png"]["width"].as_u64(), x["png"]["height"].as_u64()),
        (Some(1200), Some(1060))
    );
    assert!(x["png"]["colours"].as_u64().unwrap() > 4, "{x}");
    assert_eq!(x["svg"]["width"], "1200");
    let texts = x["svg"]["texts"].as_array().unwrap();
    assert!(
        texts.contains(&json!("Xếp loại (1 đơn vị đã duyệt)")),
        "{texts:?}"
    );
    assert!(texts.contains(&json!("Trung bình")), "{texts:?}");
    assert!(
        texts.iter().any(|t| t
            .as_str()
            .is_some_and(|t| t.starts_with("Tiếp công dân — "))),
        "the weakest item named, with its share: {texts:?}"
    );

    // Unknown formats and tables are refused as such.
    assert_problem(
        app.authed(
            Method::GET,
            &format!("/api/v1/rounds/{round}/exports/odt"),
            &w.admin,
        )
        .send()
        .await
        .unwrap(),
        400,
        "invalid_path",
    )
    .await;
    assert_problem(
        app.authed(
            Method::GET,
            &format!("/api/v1/rounds/{round}/exports/csv?table=users"),
            &w.admin,
        )
        .send()
        .await
        .unwrap(),
        400,
        "invalid_query",
    )
    .await;
}

// ---------------------------------------------------------------------------------------
// A province: 130 communes and 20 departments, all approved.

async fn a_province_of_150_units_reports_in_seconds(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let mut csv = String::from("code,name,kind\n");
    for i in 1..=130 {
        csv.push_str(&format!("XA-{i:03},Xã Nghĩa Đàn số {i},commune\n"));
    }
    for i in 1..=20 {
        csv.push_str(&format!("SO-{i:02},Sở Ngành số {i},department\n"));
    }
    let res = app
        .authed(Method::POST, "/api/v1/units/import", &w.admin)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    ok(res).await;
    let mut ids = Vec::new();
    for offset in (0..300).step_by(100) {
        let page: Value = app
            .get_json(
                &format!("/api/v1/units?limit=100&offset={offset}"),
                &w.admin,
            )
            .await;
        for u in page["items"].as_array().unwrap() {
            let code = u["code"].as_str().unwrap();
            if code.starts_with("XA-") && code.len() == 6
                || code.starts_with("SO-") && code.len() == 5
            {
                ids.push(u["id"].as_str().unwrap().to_owned());
            }
        }
    }
    assert_eq!(ids.len(), 150);
    let pairs: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(
            |(i, u)| json!({"unit_id": u, "team_id": if i % 2 == 0 { &w.team1 } else { &w.team2 }}),
        )
        .collect();
    ok(app
        .authed(
            Method::PUT,
            &format!("/api/v1/rounds/{}/assignments", w.round),
            &w.admin,
        )
        .json(&json!({"assignments": pairs}))
        .send()
        .await
        .unwrap())
    .await;
    let seeding = Instant::now();
    let choices = ["full", "part", "none"];
    let mut handles = Vec::new();
    for (i, u) in ids.iter().enumerate() {
        let (base, token, round, unit) = (
            app.base.clone(),
            w.admin.clone(),
            w.round.clone(),
            u.clone(),
        );
        let client = app.client.clone();
        handles.push(async move {
            let mut answers = json!({"a": {"value": if i % 7 == 0 { "no" } else { "yes" }}, "b": {"value": choices[i % 3]}, "d": {"value": 1 + (i % 5)}, "f": {"value": if i % 4 == 0 { "no" } else { "yes" }}});
            if i % 7 == 0 {
                answers["c"] = json!({"value": "Chưa ban hành"});
            }
            let send = |m: Method, p: String, b: Value| client.request(m, format!("{base}{p}")).bearer_auth(&token).json(&b).send();
            let x: Value = send(Method::POST, "/api/v1/inspections".into(), json!({"round_id": round, "unit_id": unit})).await.unwrap().json().await.unwrap();
            let id = x["id"].as_str().unwrap().to_owned();
            let r = send(Method::PATCH, format!("/api/v1/inspections/{id}/answers"), json!({"answers": answers})).await.unwrap();
            assert!(r.status().is_success());
            let r = send(Method::PATCH, format!("/api/v1/inspections/{id}"), json!({"strengths": format!("Ưu điểm của đơn vị {i}"), "shortcomings": "Còn hạn chế"})).await.unwrap();
            assert!(r.status().is_success());
            let r = send(Method::POST, format!("/api/v1/inspections/{id}/recommendations"), json!({"content": format!("Kiến nghị số {i}"), "due_on": "2027-06-30"})).await.unwrap();
            assert!(r.status().is_success());
            for action in ["submit", "approve"] {
                let r = send(Method::POST, format!("/api/v1/inspections/{id}/{action}"), json!(null)).await.unwrap();
                assert!(r.status().is_success(), "{action}");
            }
        });
    }
    // Four at a time, as a few leads would.
    let mut pending = handles.into_iter();
    loop {
        let batch: Vec<_> = pending.by_ref().take(4).collect();
        if batch.is_empty() {
            break;
        }
        futures_util::future::join_all(batch).await;
    }
    let seeded = seeding.elapsed();

    let started = Instant::now();
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{}/summary", w.round), &w.admin)
        .await;
    let summary_took = started.elapsed();
    assert_eq!(s["counts"]["assigned"], 153);
    assert_eq!(s["counts"]["approved"], 150);
    assert_eq!(s["counts"]["pending"], 3);
    let dir = tempfile::tempdir().unwrap();
    let mut timings = vec![("summary (JSON)".to_owned(), summary_took)];
    let mut files = Vec::new();
    for (what, name) in [
        ("docx", "r.docx"),
        ("xlsx", "r.xlsx"),
        ("csv?table=units", "units.csv"),
        ("csv?table=answers", "answers.csv"),
        ("csv?table=recommendations", "recs.csv"),
        ("chart-png", "c.png"),
        ("chart-svg", "c.svg"),
    ] {
        let (path, took) = download(&app, &w.admin, &w.round, what, dir.path(), name).await;
        assert!(took < Duration::from_secs(10), "{what} took {took:?}");
        timings.push((what.to_owned(), took));
        files.push(path);
    }
    eprintln!("province of 150 units: seeding {seeded:?}");
    for (what, took) in &timings {
        eprintln!("province of 150 units: {what}: {} ms", took.as_millis());
    }

    // The files' figures are the summary's.
    let Some(py) = python() else {
        return;
    };
    let score_of: std::collections::HashMap<String, Value> = s["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["code"].as_str().unwrap().to_owned(), u["score"].clone()))
        .collect();
    let x = read(&py, "read_xlsx.py", &[&files[1]]);
    let rows = sheet(&x, "Đơn vị")["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 154);
    for r in &rows[1..] {
        let code = r[1]["v"].as_str().unwrap();
        assert_eq!(r[6]["v"].as_f64(), score_of[code].as_f64(), "{code}");
    }
    assert_eq!(
        sheet(&x, "Kiến nghị")["rows"].as_array().unwrap().len(),
        151
    );
    let csv = read_with(&py, "read_csv.py", &[&files[2]], &[";"]);
    for r in &csv["rows"].as_array().unwrap()[1..] {
        let code = r[1].as_str().unwrap();
        let want = score_of[code]
            .as_f64()
            .map(|f| f.to_string().replace('.', ","))
            .unwrap_or_default();
        assert_eq!(r[6].as_str().unwrap(), want, "{code}");
    }
    let d = read(&py, "read_docx.py", &[&files[0]]);
    let table = d["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t[0][1] == "Đơn vị")
        .unwrap();
    assert_eq!(table.as_array().unwrap().len(), 154);
    let chart = read(&py, "read_chart.py", &[&files[5], &files[6]]);
    let texts = chart["svg"]["texts"].as_array().unwrap();
    assert!(texts.contains(&json!("Xếp loại (150 đơn vị đã duyệt)")));
    for b in s["distribution"].as_array().unwrap() {
        let pct = format!("{:.1}%", b["share"].as_f64().unwrap() * 100.0).replace('.', ",");
        let label = format!("{} ({pct})", b["count"]);
        assert!(texts.contains(&json!(label)), "{label} in {texts:?}");
    }
}

// ---------------------------------------------------------------------------------------
// `kiemtra export`, the binary itself, on the data folder of a running server.

async fn kiemtra_export_writes_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_in(dir.path(), None).await;
    let c = compiled(&app).await;
    let round = c.w.round.clone();
    let out = dir.path().join("bao-cao.xlsx");
    let run = |args: Vec<String>| {
        let mut cmd = crate::cli::kiemtra(dir.path());
        cmd.arg("export").args(args);
        cmd.output().unwrap()
    };
    let done = run(vec![
        "--round".into(),
        round.clone(),
        "--format".into(),
        "xlsx".into(),
        "--out".into(),
        out.display().to_string(),
    ]);
    let stdout = String::from_utf8_lossy(&done.stdout);
    assert!(
        done.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(stdout.contains("3 units, 1 approved"), "{stdout}");
    for format in ["docx", "csv", "chart-png", "chart-svg", "zip"] {
        let file = dir.path().join(format!("x.{format}"));
        let done = run(vec![
            "--round".into(),
            round.clone(),
            "--format".into(),
            format.into(),
            "--date".into(),
            "2026-11-30".into(),
            "--out".into(),
            file.display().to_string(),
        ]);
        assert!(done.status.success(), "{format}");
        assert!(std::fs::metadata(&file).unwrap().len() > 100, "{format}");
    }
    let missing = run(vec![
        "--round".into(),
        uuid::Uuid::new_v4().to_string(),
        "--format".into(),
        "docx".into(),
        "--out".into(),
        dir.path().join("none.docx").display().to_string(),
    ]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such round"));

    let Some(py) = python() else {
        return;
    };
    let x = read(&py, "read_xlsx.py", &[&out]);
    let ua = sheet(&x, "Đơn vị")["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[2]["v"] == "Xã Nghi Lộc")
        .cloned()
        .unwrap();
    assert_eq!(ua[6], json!({"t": "number", "v": 66.67}));
    let d = read(&py, "read_docx.py", &[&dir.path().join("x.docx")]);
    assert!(all_text(&d).contains("Nghệ An, ngày 30 tháng 11 năm 2026"));
}
