//! The comparison's files and page: the workbook read back by openpyxl (numbers, empty cells,
//! the native chart), and `/dot/{id}/so-sanh` for a lead, a viewer and an inspector.

use std::path::Path;

use reqwest::Method;
use serde_json::Value;

use super::{three_rounds, Rounds};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::reports::{python, read_with, sheet};
use crate::web::client::WebClient;

both_engines!(the_workbook_and_the_page_show_the_same_figures);

async fn xlsx(app: &TestApp, token: &str, round: &str, dir: &Path) -> std::path::PathBuf {
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/rounds/{round}/comparison/xlsx"),
            token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let d = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        d.starts_with("attachment") && d.contains("so-sanh-ket-qua.xlsx"),
        "{d}"
    );
    let path = dir.join("so-sanh.xlsx");
    std::fs::write(&path, res.bytes().await.unwrap()).unwrap();
    path
}

/// A cell's value when openpyxl reads it as a number (not text).
fn num(c: &Value) -> Option<f64> {
    (c["t"] == "number").then(|| c["v"].as_f64()).flatten()
}

fn nums(cells: &[Value]) -> Vec<Option<f64>> {
    cells.iter().map(num).collect()
}

async fn the_workbook_and_the_page_show_the_same_figures(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let Rounds { w, r2025, .. } = three_rounds(&app).await;
    let dir = tempfile::tempdir().unwrap();

    if let Some(py) = python() {
        let file = xlsx(&app, &w.admin, &w.round, dir.path()).await;
        let x = read_with(&py, "read_xlsx.py", &[&file], &[]);
        let names: Vec<&str> = x["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Đơn vị", "Theo loại đơn vị"]);
        let units = sheet(&x, "Đơn vị");
        assert_eq!(units["freeze"], "C2");
        let rows = units["rows"].as_array().unwrap();
        assert_eq!(rows[0][5]["v"], "Phần 1 (%)");
        let a = rows
            .iter()
            .find(|r| r[0]["v"] == "Xã Nghi Lộc")
            .and_then(Value::as_array)
            .unwrap();
        // s1 %, its change, s2 %, its change, total, band, change, previous round, its total.
        assert_eq!(
            nums(&a[5..10]),
            [
                Some(75.0),
                Some(25.0),
                Some(50.0),
                Some(-16.67),
                Some(66.67)
            ]
        );
        assert_eq!(a[10]["v"], "Trung bình");
        assert_eq!(num(&a[11]), Some(11.11));
        assert_eq!(a[12]["v"], "Kiểm tra năm 2025");
        assert_eq!(num(&a[13]), Some(55.56));
        let c = rows
            .iter()
            .find(|r| r[0]["v"] == "Sở Tài chính")
            .and_then(Value::as_array)
            .unwrap();
        assert_eq!(c[4]["v"], "Chưa kiểm tra");
        assert!(
            c[5..10].iter().all(Value::is_null),
            "empty, not zero: {c:?}"
        );
        let kinds = sheet(&x, "Theo loại đơn vị")["rows"]
            .as_array()
            .unwrap()
            .clone();
        let commune = kinds
            .iter()
            .find(|r| r[0]["v"] == "Xã")
            .and_then(Value::as_array)
            .unwrap();
        assert_eq!(
            nums(&commune[1..7]),
            [
                Some(2.0),
                Some(2.0),
                Some(87.5),
                Some(75.0),
                Some(83.34),
                Some(13.89)
            ]
        );
        assert_eq!(kinds.last().unwrap()[0]["v"], "Chung");
        // The chart is a native one, over the kinds' mean totals.
        let charts = read_with(&py, "read_xlsx_charts.py", &[&file], &[]);
        let chart = &charts["Theo loại đơn vị"][0];
        assert_eq!(chart["type"], "barChart", "{charts}");
        assert_eq!(chart["title"], "Tổng điểm trung bình theo loại đơn vị");
        assert_eq!(chart["values"][0], "'Theo loại đơn vị'!$F$2:$F$3");
        assert!(charts["Đơn vị"].as_array().unwrap().is_empty());
        // Team 1's lead's workbook holds team 1 alone.
        let mine = xlsx(&app, &w.lead1, &w.round, dir.path()).await;
        let m = read_with(&py, "read_xlsx.py", &[&mine], &[]).to_string();
        assert!(
            !m.contains("Diễn Châu") && !m.contains("55.56") && !m.contains("Kiểm tra năm 2025"),
            "{m}"
        );
    }

    // The page: the lead's units and changes in words; the viewer's all; inspectors refused.
    let page = format!("/dot/{}/so-sanh", w.round);
    let mut lead1 = WebClient::world_user(&app, "lead1").await;
    let (status, html) = lead1.get(&page).await;
    assert_eq!(status, 200);
    for want in [
        "Xã Nghi Lộc",
        "<dt>Phần 2</dt><dd>Phần 2</dd>",
        "▼</span> giảm 25",
        "▲</span> tăng 25",
        "giảm 8,33",
        "Kiểm tra năm 2024: 75",
        "<svg",
        "role=\"img\"",
        "so-sanh/tai-ve",
    ] {
        assert!(html.contains(want), "missing {want:?} in {html}");
    }
    assert!(!html.contains("Diễn Châu") && !html.contains(&r2025) && !html.contains("55,56"));
    assert!(!html.contains("style="), "the CSP allows no inline style");
    let (status, _) = lead1.get(&format!("/dot/{}", w.round)).await;
    assert_eq!(status, 200);
    let (_, dash) = lead1.get(&format!("/dot/{}", w.round)).await;
    assert!(
        dash.contains(&format!("/dot/{}/so-sanh", w.round)),
        "linked from the dashboard"
    );
    let mut viewer = WebClient::world_user(&app, "viewer1").await;
    let (status, html) = viewer.get(&page).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Diễn Châu") && html.contains("tăng 16,67") && html.contains("không đổi")
    );
    // Departments only: Sở Tài chính, not the communes.
    let (_, only) = viewer.get(&format!("{page}?loai=department")).await;
    assert!(
        only.contains("Sở Tài chính") && only.contains("Hiển thị 1/3"),
        "{only}"
    );
    let res = viewer
        .http
        .get(viewer.url(&format!("{page}/tai-ve")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("so-sanh-ket-qua.xlsx"));
    let mut insp1 = WebClient::world_user(&app, "insp1").await;
    assert_eq!(insp1.get(&page).await.0, 403);
}
