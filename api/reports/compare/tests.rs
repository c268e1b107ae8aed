use chrono::NaiveDate;

use super::*;

fn cols() -> Vec<Column> {
    vec![
        Column {
            id: "s1".into(),
            title: "Phần 1".into(),
        },
        Column {
            id: "s2".into(),
            title: "Phần 2".into(),
        },
    ]
}

fn sec(id: &str, title: &str, points: f64, max: f64) -> SectionIn {
    SectionIn {
        id: id.into(),
        title: title.into(),
        points,
        max_points: max,
        ratio: (max > 0.0).then(|| points / max),
    }
}

fn scored(total: f64, s1: f64, s2: f64) -> ScoredIn {
    ScoredIn {
        total: Some(total),
        band: Some("kha".into()),
        band_label: Some("Khá".into()),
        sections: vec![sec("s1", "Phần 1", s1, 20.0), sec("s2", "Phần 2", s2, 30.0)],
    }
}

fn unit(id: &str, kind: &str, result: Option<ScoredIn>) -> UnitIn {
    UnitIn {
        unit_id: id.into(),
        code: id.to_uppercase(),
        name: format!("Đơn vị {id}"),
        kind: kind.into(),
        team_name: "Đoàn 1".into(),
        status: if result.is_some() {
            "approved"
        } else {
            "submitted"
        }
        .into(),
        result,
    }
}

fn earlier(unit: &str, round: &str, day: u32, result: ScoredIn) -> EarlierIn {
    EarlierIn {
        unit_id: unit.into(),
        round_id: round.into(),
        round_name: format!("Đợt {round}"),
        starts_on: NaiveDate::from_ymd_opt(2025, 1, day).unwrap(),
        result,
    }
}

fn run(units: &[UnitIn], before: &[EarlierIn]) -> Comparison {
    compile(&Inputs {
        round_id: "r",
        round_name: "Đợt r",
        max_score: 100.0,
        columns: &cols(),
        units,
        earlier: before,
    })
}

#[test]
fn sections_totals_and_deltas_against_the_latest_earlier_round() {
    let units = [unit("a", "commune", Some(scored(80.0, 15.0, 24.0)))];
    let before = [
        earlier("a", "old", 1, scored(50.0, 5.0, 3.0)),
        earlier("a", "last", 20, scored(70.0, 10.0, 27.0)),
        earlier("b", "other-unit", 25, scored(10.0, 0.0, 0.0)),
    ];
    let c = run(&units, &before);
    let a = &c.units[0];
    assert_eq!(a.sections[0].percent, Some(75.0));
    assert_eq!(a.sections[0].points, Some(15.0));
    assert_eq!(a.sections[0].max_points, Some(20.0));
    assert_eq!(
        a.sections[0].delta,
        Some(25.0),
        "75 % now, 50 % in the last round"
    );
    assert_eq!(a.sections[1].percent, Some(80.0));
    assert_eq!(a.sections[1].delta, Some(-10.0));
    assert_eq!(a.total, Some(80.0));
    assert_eq!(a.total_delta, Some(10.0));
    let p = a.previous.as_ref().unwrap();
    assert_eq!((p.round_id.as_str(), p.total), ("last", Some(70.0)));
}

#[test]
fn a_checklist_sharing_no_section_is_passed_over_and_titles_match_new_ids() {
    let mut renamed = scored(60.0, 12.0, 15.0);
    renamed.sections[0].id = "p1".into(); // same title, another id
    renamed.sections[1] = sec("x", "Phần khác", 30.0, 30.0);
    let unrelated = ScoredIn {
        sections: vec![sec("z", "Chuyên đề", 1.0, 1.0)],
        ..scored(99.0, 0.0, 0.0)
    };
    let units = [unit("a", "ward", Some(scored(80.0, 15.0, 24.0)))];
    let before = [
        earlier("a", "thematic", 20, unrelated),
        earlier("a", "year", 10, renamed),
    ];
    let a = &run(&units, &before).units[0];
    assert_eq!(a.previous.as_ref().unwrap().round_id, "year");
    assert_eq!(a.sections[0].delta, Some(15.0), "75 − 60, matched by title");
    assert_eq!(a.sections[1].delta, None, "no Phần 2 before");
    assert_eq!(a.total_delta, Some(20.0));
}

#[test]
fn units_without_an_approved_inspection_have_empty_cells_and_their_status() {
    let units = [unit("a", "commune", None)];
    let before = [earlier("a", "last", 20, scored(70.0, 10.0, 27.0))];
    let a = &run(&units, &before).units[0];
    assert!(!a.counted);
    assert_eq!(a.status, "submitted");
    assert!(a
        .sections
        .iter()
        .all(|s| s.percent.is_none() && s.delta.is_none()));
    assert_eq!((a.total, a.total_delta), (None, None));
    // Where it stood last time is still shown.
    assert_eq!(a.previous.as_ref().unwrap().total, Some(70.0));
}

#[test]
fn means_by_kind_and_overall_count_approved_units_only() {
    let units = [
        unit("d", "department", Some(scored(90.0, 20.0, 24.0))),
        unit("a", "commune", Some(scored(80.0, 15.0, 24.0))),
        unit("b", "commune", Some(scored(60.0, 10.0, 15.0))),
        unit("c", "commune", None),
        unit("w", "ward", None),
    ];
    let before = [earlier("a", "last", 20, scored(70.0, 10.0, 27.0))];
    let c = run(&units, &before);
    let kinds: Vec<(&str, usize, usize, Option<f64>)> = c
        .kinds
        .iter()
        .map(|k| {
            (
                k.kind.as_str(),
                k.means.units,
                k.means.counted,
                k.means.total,
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("department", 1, 1, Some(90.0)),
            ("commune", 3, 2, Some(70.0)),
            ("ward", 1, 0, None)
        ]
    );
    let commune = &c.kinds[1];
    assert_eq!(commune.label, "Xã");
    assert_eq!(commune.means.sections, [Some(62.5), Some(65.0)]);
    assert_eq!(commune.means.total_delta, Some(10.0));
    assert_eq!(c.overall.total, Some(76.67));
    assert_eq!(c.overall.sections, [Some(75.0), Some(70.0)]);
    assert_eq!((c.overall.units, c.overall.counted), (5, 3));
}

#[test]
fn a_section_where_nothing_counted_is_empty_not_zero() {
    let mut r = scored(80.0, 15.0, 0.0);
    r.sections[1] = sec("s2", "Phần 2", 0.0, 0.0);
    let c = run(&[unit("a", "commune", Some(r))], &[]);
    assert_eq!(c.units[0].sections[1].percent, None);
    assert_eq!(c.overall.sections[1], None);
}
