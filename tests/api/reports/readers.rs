//! The exported files opened by independent readers (python-docx, openpyxl, Python's csv,
//! zlib and XML parser: tests/readers).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};

both_engines!(exports_are_read_back_by_independent_readers);

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

pub(super) fn read(python: &Path, script: &str, files: &[&Path]) -> Value {
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

pub(super) fn all_text(d: &Value) -> String {
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
