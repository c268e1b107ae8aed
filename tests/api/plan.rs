//! The default checklist against the plan: it validates, the plan-duty table of
//! docs/checklists.md names only items it has (and every scored item it has), duties not yet
//! due can be marked not applicable without costing points, and `kiemtra template
//! install-default` publishes it once.

use std::collections::{BTreeSet, HashMap};

use kiemtra::auth::Role;
use kiemtra::templates::answers::{check_answer, check_submission};
use kiemtra::templates::model::{Answer, Answers, ItemType, Template};
use kiemtra::templates::scoring::score;
use kiemtra::templates::validate::validate;
use kiemtra::templates::DEFAULT_2026;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::cli::kiemtra as kiemtra_bin;
use crate::helpers::{Engine, TestApp};

const CHECKLISTS_MD: &str = include_str!("../../docs/checklists.md");

fn default_template() -> Template {
    let doc: Value = serde_json::from_str(DEFAULT_2026).unwrap();
    validate(&doc).unwrap_or_else(|e| panic!("the default checklist is invalid: {e:?}"))
}

struct Row {
    line: usize,
    quote: String,
    ids: Vec<String>,
    cell: String,
}

/// The rows of the table under "## The plan, duty by duty".
fn plan_rows() -> Vec<Row> {
    let start = CHECKLISTS_MD
        .find("## The plan, duty by duty")
        .expect("docs/checklists.md has the plan-duty table");
    let rest = &CHECKLISTS_MD[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end]
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Mục") && !l.starts_with("| ---"))
        .map(|l| {
            let cells: Vec<&str> = l
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            assert_eq!(cells.len(), 4, "four columns: {l}");
            let ids = cells[3]
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect();
            Row {
                line: cells[1]
                    .parse()
                    .unwrap_or_else(|_| panic!("a line number: {l}")),
                quote: cells[2].to_owned(),
                ids,
                cell: cells[3].to_owned(),
            }
        })
        .collect()
}

#[test]
fn the_default_checklist_validates_and_keeps_the_nine_tasks() {
    let t = default_template();
    assert_eq!(t.code, "dvcq-2026");
    let tasks: Vec<&str> = t.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        &tasks[..9],
        ["nv1", "nv2", "nv3", "nv4", "nv5", "nv6", "nv7", "nv8", "nv9"]
    );
    let note = t.scoring.as_ref().unwrap().scheme_note();
    assert!(
        note.contains("Ban Chỉ đạo") && note.contains("Kế hoạch không quy định"),
        "the scheme is labelled as the committee's: {note}"
    );
    let law = &t.item("nv1.quan_triet").unwrap().label;
    assert!(
        law.contains("Luật số 10/2022/QH15") && !law.contains("năm 2020"),
        "{law}"
    );
}

#[test]
fn every_plan_duty_maps_to_items_the_checklist_has() {
    let t = default_template();
    let rows = plan_rows();
    assert!(rows.len() >= 40, "the whole plan: {} rows", rows.len());
    let mut named = BTreeSet::new();
    for r in &rows {
        assert!(
            (1..=100).contains(&r.line),
            "line {} is in the plan",
            r.line
        );
        if r.ids.is_empty() {
            let reason = r.cell.strip_prefix("không kiểm tra:").map(str::trim);
            assert!(
                reason.is_some_and(|x| x.len() > 5),
                "a duty with no item says why (\"không kiểm tra: …\"): {}",
                r.quote
            );
        }
        for id in &r.ids {
            assert!(t.item(id).is_some(), "`{id}` ({}) is in dvcq-2026", r.quote);
            named.insert(id.clone());
        }
    }
    for s in t.sections.iter().filter(|s| s.id.starts_with("nv")) {
        for item in &s.items {
            assert!(
                named.contains(&item.id),
                "`{}` checks no duty of the plan-duty table",
                item.id
            );
        }
    }
    // The committee's own duties are listed too, not silently left out.
    assert!(rows.iter().filter(|r| r.ids.is_empty()).count() >= 8);
}

/// The plan's text (docs/plan-2026.txt, a copy of the committee's plan kept with the checklist
/// it is checked against): each quote of the table stands on the line it names.
#[test]
fn the_table_quotes_the_plan_on_its_lines() {
    let path = std::env::var("KIEMTRA_PLAN_TXT")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/docs/plan-2026.txt").into());
    let plan = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let lines: Vec<&str> = plan.lines().collect();
    for r in plan_rows() {
        let line = lines.get(r.line - 1).copied().unwrap_or_default();
        for part in r.quote.split('…').map(str::trim) {
            assert!(
                line.contains(part),
                "line {} of the plan has \"{part}\"",
                r.line
            );
        }
    }
}

/// The best answer to every scored item, with the not-yet-due ones marked not applicable.
fn best_answers(t: &Template, not_due: &[&str]) -> Answers {
    let mut a = Answers::new();
    for item in t.items() {
        let value = match item.kind {
            ItemType::YesNo => json!("yes"),
            ItemType::SingleChoice => json!(item.options()[0].value),
            _ => continue,
        };
        a.insert(item.id.clone(), Answer::value(value));
    }
    for id in not_due {
        a.insert((*id).into(), Answer::na());
    }
    a
}

#[test]
fn duties_not_yet_due_cost_no_points() {
    let t = default_template();
    // A year round inspected in the autumn: the year-end report and the 2027 direction.
    let year_end = ["nv9.bao_cao_tong_ket", "nv9.phuong_huong_2027"];
    // A half-year round: the third- and fourth-quarter duties too.
    let half_year = [
        "nv1.hoc_tap_bai_bao",
        "nv7.tap_huan_can_bo",
        "nv9.bao_cao_tong_ket",
        "nv9.phuong_huong_2027",
    ];
    let all = score(&t, &best_answers(&t, &[])).score;
    assert_eq!(all, Some(100.0));
    for not_due in [&year_end[..], &half_year[..]] {
        let answers = best_answers(&t, not_due);
        for id in not_due {
            let item = t.item(id).unwrap();
            assert!(check_answer(item, &Answer::na()).is_ok(), "{id} takes N/A");
        }
        assert_eq!(score(&t, &answers).score, all, "N/A lowers nothing");
        let no_photos_needed: HashMap<String, usize> = t
            .items()
            .filter(|i| i.evidence.is_some())
            .map(|i| (i.id.clone(), 5))
            .collect();
        let missing: Vec<_> = check_submission(&t, &answers, &no_photos_needed)
            .into_iter()
            .filter(|e| not_due.iter().any(|id| e.pointer.ends_with(id)))
            .collect();
        assert!(missing.is_empty(), "N/A satisfies required: {missing:?}");
        // While "no" does lower it: the test can tell.
        let mut said_no = answers.clone();
        said_no.insert(not_due[0].into(), Answer::value(json!("no")));
        assert!(score(&t, &said_no).score < all);
    }
    // First-half duties cannot be waved through.
    for id in ["nv1.chuong_trinh", "nv9.bao_cao_so_ket"] {
        assert!(
            check_answer(t.item(id).unwrap(), &Answer::na()).is_err(),
            "{id}"
        );
    }
}

both_engines!(install_default_publishes_once);

async fn install_default_publishes_once(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let first = kiemtra::cli::install_default(&app.db, None, false).await;
    assert!(first.is_err(), "no administrator yet");
    app.user("admin1", Role::Admin).await;
    let out = kiemtra::cli::install_default(&app.db, None, false)
        .await
        .unwrap();
    assert_eq!(out, "published dvcq-2026 version 1");
    let again = kiemtra::cli::install_default(&app.db, Some("admin1".into()), false)
        .await
        .unwrap();
    assert_eq!(
        again,
        "dvcq-2026 version 1 is already installed; nothing changed"
    );

    let (_, token) = app.token_for("viewer1", Role::Viewer).await;
    let list: Vec<Value> = app.get_json("/api/v1/templates", &token).await;
    assert_eq!(list.len(), 1);
    let versions = list[0]["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 1, "published once: {versions:?}");
    let v: Value = app
        .authed(
            Method::GET,
            &format!(
                "/api/v1/template-versions/{}",
                versions[0]["id"].as_str().unwrap()
            ),
            &token,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bundled: Value = serde_json::from_str(DEFAULT_2026).unwrap();
    assert_eq!(v["content"], bundled);
    assert!(v["content"]["scoring"]["note"]
        .as_str()
        .unwrap()
        .contains("Ban Chỉ đạo"));
}

#[test]
fn the_command_line_installs_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = kiemtra_bin(dir.path())
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, _, err) = run(&["template", "install-default"], "");
    assert!(!ok && err.contains("administrator"), "{err}");
    let (ok, _, err) = run(
        &[
            "user",
            "create",
            "--username",
            "admin1",
            "--role",
            "admin",
            "--full-name",
            "Quản trị",
        ],
        "mat-khau-du-dai-123\n",
    );
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["template", "install-default"], "");
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "published dvcq-2026 version 1");
    let (ok, out, _) = run(&["template", "install-default"], "");
    assert!(ok);
    assert!(out.contains("already installed"), "{out}");
}
