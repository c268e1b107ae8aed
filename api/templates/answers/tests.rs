//! Answer values by type, visibility on save, and what a submission needs.

use super::*;
use crate::templates::visibility::visible_items;
use serde_json::{json, Value};

fn template() -> Template {
    serde_json::from_value(json!({
        "code": "t", "title": "T",
        "sections": [{"id": "s", "title": "S", "items": [
            {"id": "yn", "type": "yes_no", "label": "Có chương trình?", "required": true, "evidence": {"required_when": ["yes"]}},
            {"id": "sc", "type": "single_choice", "label": "SC", "options": [{"value": "a", "label": "A"}], "allow_na": true},
            {"id": "mc", "type": "multi_choice", "label": "MC", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
            {"id": "tx", "type": "text", "label": "TX", "max_length": 5, "visible_if": {"item": "yn", "equals": "no"}, "required": true},
            {"id": "nu", "type": "number", "label": "NU", "min": 0, "max": 10},
            {"id": "da", "type": "date", "label": "DA"},
            {"id": "ra", "type": "rating", "label": "RA", "scale": {"min": 1, "max": 5}},
            {"id": "ph", "type": "photo", "label": "PH", "required": true, "evidence": {"min_photos": 2}}
        ]}]
    }))
    .unwrap()
}

fn code(item: &str, value: Value) -> Option<&'static str> {
    let t = template();
    check_answer(t.item(item).unwrap(), &Answer::value(value))
        .err()
        .map(|e| e.code)
}

#[test]
fn each_type_takes_its_values() {
    assert_eq!(code("yn", json!("yes")), None);
    assert_eq!(code("yn", json!(true)), Some("wrong_type"));
    assert_eq!(code("sc", json!("a")), None);
    assert_eq!(code("sc", json!("z")), Some("unknown_option"));
    assert_eq!(code("mc", json!(["a", "b"])), None);
    assert_eq!(code("mc", json!(["a", "a"])), Some("duplicate_option"));
    assert_eq!(code("mc", json!("a")), Some("wrong_type"));
    assert_eq!(code("tx", json!("12345")), None);
    assert_eq!(code("tx", json!("123456")), Some("too_long"));
    assert_eq!(code("nu", json!(10)), None);
    assert_eq!(code("nu", json!(10.5)), Some("out_of_range"));
    assert_eq!(code("da", json!("2026-03-10")), None);
    assert_eq!(code("da", json!("2026-02-30")), Some("wrong_type"));
    assert_eq!(code("ra", json!(5)), None);
    assert_eq!(code("ra", json!(6)), Some("out_of_range"));
    assert_eq!(code("ra", json!(2.5)), Some("wrong_type"));
    assert_eq!(
        code("ph", json!("x.jpg")),
        Some("photo_item_takes_evidence")
    );
    assert_eq!(code("yn", Value::Null), None, "clearing is always allowed");
}

#[test]
fn not_applicable_only_where_allowed() {
    let t = template();
    assert!(check_answer(t.item("sc").unwrap(), &Answer::na()).is_ok());
    assert_eq!(
        check_answer(t.item("yn").unwrap(), &Answer::na())
            .unwrap_err()
            .code,
        "na_not_allowed"
    );
}

#[test]
fn hidden_and_unknown_items_are_refused_on_save() {
    let t = template();
    let mut changed = Answers::new();
    changed.insert("tx".into(), Answer::value(json!("abc")));
    changed.insert("zz".into(), Answer::value(json!("abc")));
    let codes: Vec<_> = check_answers(&t, &changed, &changed)
        .into_iter()
        .map(|e| (e.pointer, e.code))
        .collect();
    assert_eq!(
        codes,
        [
            ("/answers/tx".to_owned(), "hidden_item"),
            ("/answers/zz".to_owned(), "unknown_item")
        ]
    );
    // The same answer is fine when the change also shows the item.
    changed.remove("zz");
    changed.insert("yn".into(), Answer::value(json!("no")));
    assert!(check_answers(&t, &changed, &changed).is_empty());
}

#[test]
fn submission_needs_required_items_and_evidence() {
    let t = template();
    let mut ans = Answers::new();
    let none = HashMap::new();
    let codes = |a: &Answers, p: &HashMap<String, usize>| -> Vec<(String, &'static str)> {
        check_submission(&t, a, p)
            .into_iter()
            .map(|e| (e.pointer, e.code))
            .collect()
    };
    assert_eq!(
        codes(&ans, &none),
        [
            ("/answers/yn".into(), "required"),
            ("/answers/ph".into(), "evidence_missing")
        ]
    );
    ans.insert("yn".into(), Answer::value(json!("yes")));
    let mut photos = HashMap::from([("ph".to_owned(), 1)]);
    assert_eq!(
        codes(&ans, &photos),
        [
            ("/answers/yn".into(), "evidence_missing"),
            ("/answers/ph".into(), "evidence_missing")
        ]
    );
    photos.insert("yn".into(), 1);
    photos.insert("ph".into(), 2);
    assert!(codes(&ans, &photos).is_empty());
    // "no" needs no photo, but shows the required text item.
    ans.insert("yn".into(), Answer::value(json!("no")));
    assert_eq!(codes(&ans, &photos), [("/answers/tx".into(), "required")]);
}

#[test]
fn one_answer_is_checked_against_the_visibility_before_it() {
    let t: Template = serde_json::from_value(serde_json::json!({
        "code": "t", "title": "T",
        "sections": [{"id": "s", "title": "S", "items": [
            {"id": "a", "type": "yes_no", "label": "A"},
            {"id": "c", "type": "text", "label": "C", "visible_if": {"item": "a", "equals": "no"}}
        ]}]
    }))
    .unwrap();
    let text = Answer {
        value: serde_json::json!("lý do"),
        na: false,
    };
    let mut answers = Answers::new();
    let hidden = visible_items(&t, &answers);
    assert_eq!(
        check_one(&t, &hidden, "c", &text).unwrap_err().code,
        "hidden_item"
    );
    answers.insert(
        "a".into(),
        Answer {
            value: serde_json::json!("no"),
            na: false,
        },
    );
    assert!(check_one(&t, &visible_items(&t, &answers), "c", &text).is_ok());
    assert_eq!(
        check_one(&t, &hidden, "zz", &text).unwrap_err().code,
        "unknown_item"
    );
    assert!(check_value(&t, "c", &text).is_ok(), "visibility aside");
    assert!(controls_visibility(&t, "a"));
    assert!(!controls_visibility(&t, "c"));
}

/// The meeting photo of the 2026 checklist: not `required`, but `min_photos: 1`. It used to
/// escape the gate because a photo item with no photo counted as unanswered.
#[test]
fn an_optional_photo_item_still_needs_its_minimum() {
    let t: Template = serde_json::from_value(json!({
        "code": "t", "title": "T",
        "sections": [{"id": "s", "title": "S", "items": [
            {"id": "ph", "type": "photo", "label": "Ảnh", "evidence": {"min_photos": 1}},
            {"id": "free", "type": "photo", "label": "Ảnh thêm"}
        ]}]
    }))
    .unwrap();
    let codes = |n: usize| -> Vec<(String, &'static str)> {
        check_submission(&t, &Answers::new(), &HashMap::from([("ph".to_owned(), n)]))
            .into_iter()
            .map(|e| (e.pointer, e.code))
            .collect()
    };
    assert_eq!(codes(0), [("/answers/ph".into(), "evidence_missing")]);
    assert!(codes(1).is_empty());
}

#[test]
fn the_old_findings_items_are_never_required() {
    let doc: Value = serde_json::from_str(crate::templates::DEFAULT_2026).unwrap();
    let mut t: Template = serde_json::from_value(doc).unwrap();
    // A published version from before: the findings were required text items.
    let ket_qua = t.sections.iter_mut().find(|s| s.id == "ket_qua").unwrap();
    ket_qua.items.insert(
        0,
        serde_json::from_value(
            json!({"id": "ket_qua.uu_diem", "type": "text", "label": "Ưu điểm", "required": true}),
        )
        .unwrap(),
    );
    let faults = check_submission(&t, &Answers::new(), &HashMap::new());
    assert!(
        faults
            .iter()
            .all(|f| f.pointer != "/answers/ket_qua.uu_diem"),
        "{faults:?}"
    );
    assert!(faults
        .iter()
        .any(|f| f.pointer == "/answers/ket_qua.anh_hien_truong" && f.code == "evidence_missing"));
}
