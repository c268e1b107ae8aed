use super::*;
use serde_json::json;

/// Two sections, weights 2 and 1, max 100, bands 85/70/50/0, cap "tb".
fn template() -> Template {
    serde_json::from_value(json!({
        "code": "t", "title": "T",
        "scoring": {"max_score": 100, "critical_cap": "tb", "bands": [
            {"code": "tot", "label": "Tốt", "min": 85}, {"code": "kha", "label": "Khá", "min": 70},
            {"code": "tb", "label": "Trung bình", "min": 50}, {"code": "yeu", "label": "Yếu", "min": 0}
        ]},
        "sections": [
            {"id": "s1", "title": "S1", "weight": 2, "items": [
                {"id": "a", "type": "yes_no", "label": "A", "max_points": 10, "critical": true},
                {"id": "b", "type": "single_choice", "label": "B", "options": [
                    {"value": "full", "label": "Đầy đủ", "points": 10}, {"value": "part", "label": "Một phần", "points": 5}, {"value": "none", "label": "Không", "points": 0}]},
                {"id": "c", "type": "yes_no", "label": "C (shown if A yes)", "max_points": 10, "visible_if": {"item": "a", "equals": "yes"}},
                {"id": "note", "type": "text", "label": "Ghi chú"}
            ]},
            {"id": "s2", "title": "S2", "items": [
                {"id": "d", "type": "rating", "label": "D", "scale": {"min": 1, "max": 5}, "max_points": 20},
                {"id": "e", "type": "multi_choice", "label": "E", "max_points": 10, "allow_na": true, "options": [
                    {"value": "x", "label": "X", "points": 6}, {"value": "y", "label": "Y", "points": 6}]}
            ]}
        ]
    }))
    .unwrap()
}

fn answers(pairs: &[(&str, Answer)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

#[test]
fn everything_full_is_the_maximum() {
    let r = score(
        &template(),
        &answers(&[
            ("a", Answer::value(json!("yes"))),
            ("b", Answer::value(json!("full"))),
            ("c", Answer::value(json!("yes"))),
            ("d", Answer::value(json!(5))),
            ("e", Answer::value(json!(["x", "y"]))),
        ]),
    );
    assert_eq!(r.score, Some(100.0));
    assert_eq!(r.band.unwrap().code, "tot");
    assert!(r.items.iter().all(|i| !i.fell_short));
}

#[test]
fn hand_computed_mixed_example() {
    // s1: a yes 10/10, b part 5/10, c no 0/10 → 15/30 = 0.5
    // s2: d = 4 → 20·(3/4) = 15/20, e = [x] → 6/10 → 21/30 = 0.7
    // score = 100 · (2·0.5 + 1·0.7) / 3 = 56.67 → Trung bình
    let r = score(
        &template(),
        &answers(&[
            ("a", Answer::value(json!("yes"))),
            ("b", Answer::value(json!("part"))),
            ("c", Answer::value(json!("no"))),
            ("d", Answer::value(json!(4))),
            ("e", Answer::value(json!(["x"]))),
        ]),
    );
    assert_eq!(r.score, Some(56.67));
    assert_eq!(r.band.as_ref().unwrap().code, "tb");
    assert_eq!(r.sections[0].points, 15.0);
    assert_eq!(r.sections[0].max_points, 30.0);
    assert_eq!(r.sections[1].points, 21.0);
    let short: Vec<_> = r
        .items
        .iter()
        .filter(|i| i.fell_short)
        .map(|i| i.item_id.as_str())
        .collect();
    assert_eq!(short, ["b", "c", "d", "e"]);
}

#[test]
fn hidden_and_not_applicable_items_leave_the_maximum() {
    // a no → c hidden. s1: a 0/10, b full 10/10 → 10/20 = 0.5. e N/A.
    // s2: d = 5 → 20/20 = 1. score = 100 · (2·0.5 + 1) / 3 = 66.67.
    // a is critical and earned 0: band would be Trung bình anyway (no cap effect).
    let r = score(
        &template(),
        &answers(&[
            ("a", Answer::value(json!("no"))),
            ("b", Answer::value(json!("full"))),
            ("c", Answer::value(json!("yes"))),
            ("d", Answer::value(json!(5))),
            ("e", Answer::na()),
        ]),
    );
    assert_eq!(r.score, Some(66.67));
    let status = |id: &str| r.items.iter().find(|i| i.item_id == id).unwrap().status;
    assert_eq!(status("c"), ItemStatus::Hidden);
    assert_eq!(status("e"), ItemStatus::NotApplicable);
    assert_eq!(status("note"), ItemStatus::Unscored);
    assert_eq!(r.critical_failed, ["a"]);
    assert!(!r.capped);
}

#[test]
fn unanswered_items_count_zero_of_their_maximum() {
    // Only b answered (full): s1 = 10/20 (a unanswered, c hidden) = 0.5;
    // s2: d, e unanswered → 0/30 = 0. score = 100 · (2·0.5 + 0) / 3 = 33.33 → Yếu.
    let r = score(
        &template(),
        &answers(&[("b", Answer::value(json!("full")))]),
    );
    assert_eq!(r.score, Some(33.33));
    assert_eq!(r.band.unwrap().code, "yeu");
}

#[test]
fn a_failed_critical_item_caps_the_band() {
    // a no (critical, 0 points), c hidden; everything else full.
    // s1: 10/20 = 0.5 ... make s1 heavier on b to get a high score:
    let mut t = template();
    t.sections[0].items[1].options.as_mut().unwrap()[0].points = Some(90.0);
    // s1: a 0/10 + b 90/90 = 90/100 = 0.9; s2: 20/20 + 10/10 = 1. score = 100·(1.8+1)/3 = 93.33.
    let r = score(
        &t,
        &answers(&[
            ("a", Answer::value(json!("no"))),
            ("b", Answer::value(json!("full"))),
            ("d", Answer::value(json!(5))),
            ("e", Answer::value(json!(["x", "y"]))),
        ]),
    );
    assert_eq!(r.score, Some(93.33));
    assert_eq!(r.band.unwrap().code, "tb");
    assert!(r.capped);
}

#[test]
fn multi_choice_is_capped_at_its_maximum() {
    let t = template();
    let e = t.item("e").unwrap();
    assert_eq!(
        item_points(e, Some(&Answer::value(json!(["x", "y"])))),
        (10.0, Some(10.0))
    );
}

#[test]
fn the_scheme_is_labelled_as_the_committees() {
    let mut t = template();
    let r = score(&t, &Answers::new());
    assert_eq!(
        r.scheme_note.as_deref(),
        Some(crate::templates::model::DEFAULT_SCHEME_NOTE)
    );
    let own = "Thang điểm theo Quyết định số 12/QĐ-BCĐ";
    t.scoring.as_mut().unwrap().note = Some(own.into());
    assert_eq!(score(&t, &Answers::new()).scheme_note.as_deref(), Some(own));
    t.scoring.as_mut().unwrap().note = Some("  ".into());
    assert_eq!(
        score(&t, &Answers::new()).scheme_note.as_deref(),
        Some(crate::templates::model::DEFAULT_SCHEME_NOTE),
        "a blank note is no label"
    );
    t.scoring = None;
    assert_eq!(score(&t, &Answers::new()).scheme_note, None);
}
