//! The summary's rules on small provinces built by hand.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::json;

use super::units::{in_report_order, kind_rank};
use super::*;
use crate::templates::model::Template;
use crate::templates::scoring::{ItemScore, ItemStatus};

#[test]
fn units_sort_as_a_vietnamese_reader_expects() {
    let unit = |code: &str, name: &str, kind: &str| UnitInput {
        unit_id: code.into(),
        code: code.into(),
        name: name.into(),
        kind: kind.into(),
        team_id: "t".into(),
        team_name: "Đoàn 1".into(),
        due_on: None,
        inspection: None,
    };
    let units = [
        unit("5", "Xã Yên Thành", "commune"),
        unit("1", "Phường 11", "ward"),
        unit("2", "Phường 3", "ward"),
        unit("3", "Xã Đô Lương", "commune"),
        unit("4", "Sở Y tế", "department"),
        unit("6", "Xã Ân Phú", "commune"),
    ];
    let names: Vec<&str> = in_report_order(&units)
        .iter()
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Sở Y tế",
            "Phường 3",
            "Phường 11",
            "Xã Ân Phú",
            "Xã Đô Lương",
            "Xã Yên Thành"
        ]
    );
    assert!(kind_rank("department") < kind_rank("commune"));
}

fn template() -> Template {
    serde_json::from_value(json!({
        "code": "t", "title": "T",
        "scoring": {"max_score": 100, "bands": [
            {"code": "tot", "label": "Tốt", "min": 85}, {"code": "kha", "label": "Khá", "min": 70},
            {"code": "yeu", "label": "Yếu", "min": 0}]},
        "sections": [
            {"id": "s1", "title": "Phần 1", "items": [
                {"id": "a", "type": "yes_no", "label": "A", "max_points": 10},
                {"id": "b", "type": "yes_no", "label": "B", "max_points": 10}]},
            {"id": "s2", "title": "Phần 2", "items": [
                {"id": "c", "type": "yes_no", "label": "C", "max_points": 10},
                {"id": "note", "type": "text", "label": "Ghi chú"}]}
        ]
    }))
    .unwrap()
}

fn item(id: &str, short: bool) -> ItemScore {
    ItemScore {
        item_id: id.into(),
        status: ItemStatus::Scored,
        points: if short { 0.0 } else { 10.0 },
        max_points: 10.0,
        fell_short: short,
    }
}

fn unit(n: u8, team: &str, status: Option<&str>, score: f64, short: &[&str]) -> UnitInput {
    let band = if score >= 85.0 { "tot" } else { "yeu" };
    UnitInput {
        unit_id: format!("u{n}"),
        code: format!("U{n}"),
        name: format!("Xã số {n}"),
        kind: "commune".into(),
        team_id: team.into(),
        team_name: format!("Đoàn {team}"),
        due_on: None,
        inspection: status.map(|s| InspectionInput {
            id: format!("i{n}"),
            status: s.into(),
            score: Some(score),
            band: Some(band.into()),
            strengths: Some(format!("Ưu điểm {n}")),
            shortcomings: None,
            causes: None,
            submitted_at: None,
            approved_at: None,
            items: ["a", "b", "c"]
                .iter()
                .map(|i| item(i, short.contains(i)))
                .collect(),
        }),
    }
}

fn rec(id: &str, inspection: &str, follow_up: &str) -> RecommendationInput {
    RecommendationInput {
        id: id.into(),
        inspection_id: inspection.into(),
        content: format!("Kiến nghị {id}"),
        responsible_unit_id: None,
        responsible_unit_name: None,
        responsible: Some("UBND xã".into()),
        due_on: None,
        follow_up: follow_up.into(),
    }
}

fn round() -> RoundInput {
    RoundInput {
        id: "r".into(),
        name: "Đợt".into(),
        kind: "year".into(),
        starts_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        due_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        status: "open".into(),
    }
}

fn compile_units(units: &[UnitInput], recs: &[RecommendationInput]) -> Summary {
    compile(&Inputs {
        round: &round(),
        template: &template(),
        units,
        recommendations: recs,
        lead_recommendations: &[],
        conclusions: &[],
    })
}

#[test]
fn only_approved_inspections_count_and_pending_ones_are_told() {
    let units = [
        unit(1, "1", Some("approved"), 100.0, &[]),
        unit(2, "1", Some("approved"), 60.0, &["a", "c"]),
        // Submitted with a perfect score: not official, not in any figure.
        unit(3, "2", Some("submitted"), 100.0, &[]),
        unit(4, "2", Some("draft"), 10.0, &["a", "b", "c"]),
        unit(5, "2", None, 0.0, &[]),
    ];
    let s = compile_units(&units, &[rec("r1", "i1", "open"), rec("r3", "i3", "open")]);
    assert_eq!(
        s.counts,
        Counts {
            assigned: 5,
            approved: 2,
            pending: 3,
            not_started: 1
        }
    );
    assert_eq!(s.mean_score, Some(80.0));
    let counts: Vec<(&str, usize)> = s
        .distribution
        .iter()
        .map(|b| (b.code.as_str(), b.count))
        .collect();
    assert_eq!(counts, [("tot", 1), ("kha", 0), ("yeu", 1)]);
    assert_eq!(s.distribution[0].share, 0.5);
    let u3 = s.units.iter().find(|u| u.unit_id == "u3").unwrap();
    assert!(!u3.counted && u3.score.is_none() && u3.band.is_none());
    assert_eq!(u3.status, "submitted");
    let u5 = s.units.iter().find(|u| u.unit_id == "u5").unwrap();
    assert_eq!(u5.status, "not_started");
    // The submitted inspection's recommendation and findings are not official yet.
    assert_eq!(s.recommendations.len(), 1);
    assert_eq!(s.recommendations[0].id, "r1");
    assert_eq!(s.findings.len(), 2);
}

#[test]
fn weak_points_are_shares_of_approved_units() {
    let units = [
        unit(1, "1", Some("approved"), 100.0, &[]),
        unit(2, "1", Some("approved"), 60.0, &["a", "c"]),
        unit(3, "1", Some("approved"), 60.0, &["a"]),
        unit(4, "1", Some("approved"), 60.0, &["a", "b"]),
        unit(5, "1", Some("returned"), 0.0, &["b", "c"]),
    ];
    let s = compile_units(&units, &[]);
    let item = |id: &str| s.items.iter().find(|w| w.id == id).unwrap();
    assert_eq!((item("a").counted, item("a").fell_short), (4, 3));
    assert_eq!(item("a").share, 0.75);
    assert_eq!((item("b").fell_short, item("c").fell_short), (1, 1));
    // The text item scores nothing: not a weak point.
    assert!(s.items.iter().all(|w| w.id != "note"));
    let ids: Vec<&str> = s.weakest.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(
        ids,
        ["a", "b", "c"],
        "weakest first, ties in checklist order"
    );
    let s1 = s.sections.iter().find(|w| w.id == "s1").unwrap();
    assert_eq!((s1.counted, s1.fell_short), (4, 3));
    let s2 = s.sections.iter().find(|w| w.id == "s2").unwrap();
    assert_eq!((s2.counted, s2.fell_short), (4, 1));
}

#[test]
fn a_leads_row_stands_in_for_the_ones_it_replaces_in_its_team_only() {
    let units = [
        unit(1, "1", Some("approved"), 100.0, &[]),
        unit(2, "1", Some("approved"), 90.0, &[]),
        unit(3, "2", Some("approved"), 90.0, &[]),
    ];
    let recs = [
        rec("r1", "i1", "done"),
        rec("r2", "i2", "in_progress"),
        rec("r3", "i3", "open"),
        rec("r4", "i1", "open"),
    ];
    let lead = LeadRecommendationInput {
        id: "l1".into(),
        team_id: "1".into(),
        // r3 belongs to team 2: it is not hidden by team 1's lead.
        replaces: vec!["r1".into(), "r2".into(), "r3".into()],
        grouping: Some("Cải cách hành chính".into()),
        content: "Gộp: đẩy mạnh cải cách hành chính".into(),
        responsible_unit_id: None,
        responsible_unit_name: None,
        responsible: None,
        due_on: None,
        version: 1,
    };
    let s = compile(&Inputs {
        round: &round(),
        template: &template(),
        units: &units,
        recommendations: &recs,
        lead_recommendations: std::slice::from_ref(&lead),
        conclusions: &[],
    });
    let ids: BTreeSet<&str> = s.recommendations.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, BTreeSet::from(["l1", "r3", "r4"]));
    let l1 = s.recommendations.iter().find(|r| r.id == "l1").unwrap();
    assert_eq!(l1.source, "lead");
    assert_eq!(
        l1.follow_up, "in_progress",
        "the least advanced it replaces"
    );
    assert!(l1.unit_id.is_none(), "spans two units");
}

fn utc(s: &str) -> chrono::NaiveDateTime {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().naive_utc()
}

/// Unit `n`, submitted and approved at these times (RFC 3339).
fn timed(n: u8, submitted: &str, approved: Option<&str>) -> UnitInput {
    let mut u = unit(
        n,
        "1",
        Some(if approved.is_some() {
            "approved"
        } else {
            "submitted"
        }),
        90.0,
        &[],
    );
    if let Some(x) = u.inspection.as_mut() {
        x.submitted_at = Some(utc(submitted));
        x.approved_at = approved.map(utc);
    }
    u
}

#[test]
fn late_marks_are_against_the_end_of_the_local_due_day() {
    // The round is due on 30/11/2026, Vietnam time (UTC+7).
    let units = [
        // 23:59 local on the day: on time.
        timed(1, "2026-11-30T16:59:00Z", Some("2026-11-30T16:59:59Z")),
        // Submitted on time; approved at 06:00 local on 01/12 (23:00 UTC on 30/11): late.
        timed(2, "2026-11-30T10:00:00Z", Some("2026-11-30T23:00:00Z")),
        // Submitted at 00:01 local on 01/12; approved at 05:21 local on 02/12.
        timed(3, "2026-11-30T17:01:00Z", Some("2026-12-01T22:21:00Z")),
        // Submitted late, not approved yet: no approval mark.
        timed(4, "2026-12-01T01:00:00Z", None),
    ];
    let s = compile_units(&units, &[]);
    let marks: Vec<(&str, bool, bool)> = s
        .units
        .iter()
        .map(|u| (u.unit_id.as_str(), u.submitted_late, u.approved_late))
        .collect();
    assert_eq!(
        marks,
        [
            ("u1", false, false),
            ("u2", false, true),
            ("u3", true, true),
            ("u4", true, false)
        ]
    );
    let u3 = s.units.iter().find(|u| u.unit_id == "u3").unwrap();
    assert_eq!(u3.submitted_at, Some(utc("2026-11-30T17:01:00Z")));
}

#[test]
fn an_assignment_deadline_overrides_the_rounds() {
    let mut early = timed(1, "2026-11-20T10:00:00Z", Some("2026-11-21T10:00:00Z"));
    early.due_on = chrono::NaiveDate::from_ymd_opt(2026, 11, 20);
    let mut later = timed(2, "2026-12-01T10:00:00Z", Some("2026-12-02T10:00:00Z"));
    later.due_on = chrono::NaiveDate::from_ymd_opt(2026, 12, 5);
    let s = compile_units(&[early, later], &[]);
    let marks: Vec<(&str, bool, bool)> = s
        .units
        .iter()
        .map(|u| (u.unit_id.as_str(), u.submitted_late, u.approved_late))
        .collect();
    // u1 is due on 20/11: submitted that day, approved the day after (late). u2 is due on
    // 05/12, after the round's 30/11: on time though past the round's deadline.
    assert_eq!(marks, [("u1", false, true), ("u2", false, false)]);
    assert_eq!(s.units[1].due_on.to_string(), "2026-12-05");
}

#[test]
fn the_responsible_party_is_the_words_written_else_the_units_name() {
    let units = [unit(1, "1", Some("approved"), 90.0, &[])];
    let mut by_words = rec("r1", "i1", "open");
    by_words.responsible = Some("Chủ tịch UBND phường Cửa Lò".into());
    by_words.responsible_unit_id = Some("u-cua-lo".into());
    by_words.responsible_unit_name = Some("Phường Cửa Lò".into());
    let mut by_unit = rec("r2", "i1", "open");
    by_unit.responsible = Some("  ".into());
    by_unit.responsible_unit_id = Some("u-cua-lo".into());
    by_unit.responsible_unit_name = Some("Phường Cửa Lò".into());
    let mut nobody = rec("r3", "i1", "open");
    nobody.responsible = None;
    let s = compile_units(&units, &[by_words, by_unit, nobody]);
    let who = |id: &str| {
        s.recommendations
            .iter()
            .find(|r| r.id == id)
            .unwrap()
            .responsible
            .clone()
    };
    assert_eq!(who("r1").as_deref(), Some("Chủ tịch UBND phường Cửa Lò"));
    assert_eq!(who("r2").as_deref(), Some("Phường Cửa Lò"));
    assert_eq!(who("r3"), None);
    let r1 = s.recommendations.iter().find(|r| r.id == "r1").unwrap();
    assert_eq!(r1.responsible_unit_id.as_deref(), Some("u-cua-lo"));
}
