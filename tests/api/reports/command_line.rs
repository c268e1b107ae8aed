//! `kiemtra export`, the binary itself, on the data folder of a running server.

use serde_json::json;

use super::readers::{all_text, read};
use super::*;
use crate::helpers::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiemtra_export_writes_the_same_files() {
    run().await
}

async fn run() {
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
