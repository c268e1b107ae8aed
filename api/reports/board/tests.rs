use super::*;
use crate::reports::progress::Tally;

fn row(name: &str, status: &str, score: Option<f64>, conflicts: usize) -> BoardRow {
    BoardRow {
        unit: UnitResult {
            unit_id: name.into(),
            code: name.to_uppercase(),
            name: name.into(),
            kind: "commune".into(),
            team_id: if name.starts_with('N') { "t1" } else { "t2" }.into(),
            team_name: "Đoàn".into(),
            status: status.into(),
            counted: status == "approved",
            score,
            band: None,
            band_label: None,
            submitted_at: None,
            due_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            submitted_late: false,
            approved_at: None,
            approved_late: false,
        },
        inspection_id: None,
        provisional_score: None,
        missing_evidence: 0,
        open_conflicts: conflicts,
        overdue: status != "approved",
        last: None,
    }
}

fn rows() -> Vec<BoardRow> {
    vec![
        row("Nghi Lộc", "draft", None, 2),
        row("Cửa Lò", "approved", Some(91.0), 0),
        row("Nam Đàn", "submitted", Some(78.5), 0),
        row("Đô Lương", "not_started", None, 0),
    ]
}

fn names(rows: &[BoardRow]) -> Vec<&str> {
    rows.iter().map(|r| r.unit.name.as_str()).collect()
}

#[test]
fn search_ignores_diacritics_and_case() {
    let f = Filter {
        query: Some("nghi loc".into()),
        ..Filter::default()
    };
    assert_eq!(names(&apply(&rows(), &f)), ["Nghi Lộc"]);
    let f = Filter {
        query: Some("DO LUONG".into()),
        ..Filter::default()
    };
    assert_eq!(names(&apply(&rows(), &f)), ["Đô Lương"]);
}

#[test]
fn filters_combine_and_sorts_keep_ties_in_report_order() {
    let f = Filter {
        team_id: Some("t1".into()),
        overdue_only: true,
        ..Filter::default()
    };
    assert_eq!(names(&apply(&rows(), &f)), ["Nghi Lộc", "Nam Đàn"]);
    let f = Filter {
        sort: Sort::Score,
        ..Filter::default()
    };
    assert_eq!(
        names(&apply(&rows(), &f)),
        ["Cửa Lò", "Nam Đàn", "Nghi Lộc", "Đô Lương"]
    );
    let f = Filter {
        sort: Sort::Attention,
        attention_only: true,
        ..Filter::default()
    };
    assert_eq!(names(&apply(&rows(), &f)), ["Nghi Lộc"]);
    let f = Filter {
        status: Some("approved".into()),
        ..Filter::default()
    };
    assert_eq!(names(&apply(&rows(), &f)), ["Cửa Lò"]);
    assert_eq!(Sort::parse("diem"), Sort::Score);
    assert_eq!(Sort::parse("anything"), Sort::Unit);
    let _ = Tally::default();
}
