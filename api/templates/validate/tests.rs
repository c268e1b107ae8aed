//! The template rules, each refused with its pointer and code.

use super::*;
use serde_json::json;

use crate::templates::DEFAULT_2026;

fn base() -> Value {
    json!({
        "code": "t", "title": "T",
        "scoring": {"max_score": 100, "critical_cap": "tb", "bands": [
            {"code": "tot", "label": "Tốt", "min": 85}, {"code": "tb", "label": "Trung bình", "min": 50}, {"code": "yeu", "label": "Yếu", "min": 0}]},
        "sections": [{"id": "s1", "title": "S1", "items": [
            {"id": "a", "type": "yes_no", "label": "A", "max_points": 10, "critical": true},
            {"id": "b", "type": "single_choice", "label": "B", "options": [{"value": "x", "label": "X", "points": 5}, {"value": "y", "label": "Y", "points": 0}]},
            {"id": "c", "type": "text", "label": "C", "visible_if": {"item": "a", "equals": "yes"}}
        ]}]
    })
}

/// Applies `f` to a valid template and returns the (pointer, code) of each fault.
fn faults(f: impl FnOnce(&mut Value)) -> Vec<(String, String)> {
    let mut doc = base();
    f(&mut doc);
    match validate(&doc) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .into_iter()
            .map(|f| (f.pointer, f.code.to_owned()))
            .collect(),
    }
}

fn has(faults: &[(String, String)], pointer: &str, code: &str) -> bool {
    faults.iter().any(|(p, c)| p == pointer && c == code)
}

#[test]
fn the_base_and_the_2026_default_are_valid() {
    assert!(faults(|_| {}).is_empty());
    let doc: Value = serde_json::from_str(DEFAULT_2026).unwrap();
    let t = validate(&doc).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(t.code, "dvcq-2026");
    assert_eq!(
        t.sections.iter().filter(|s| s.id.starts_with("nv")).count(),
        9,
        "the plan's nine key tasks"
    );
}

#[test]
fn refuses_duplicate_item_ids() {
    let f = faults(|d| d["sections"][0]["items"][1]["id"] = json!("a"));
    assert!(
        has(&f, "/sections/0/items/1/id", "duplicate_item_id"),
        "{f:?}"
    );
}

#[test]
fn refuses_duplicate_section_ids() {
    let f = faults(|d| {
        let s = d["sections"][0].clone();
        let mut s2 = s.clone();
        s2["items"] = json!([{"id": "z", "type": "text", "label": "Z"}]);
        d["sections"] = json!([s, s2]);
    });
    assert!(has(&f, "/sections/1/id", "duplicate_section_id"), "{f:?}");
}

#[test]
fn refuses_conditions_on_later_or_missing_items() {
    let f = faults(|d| {
        d["sections"][0]["items"][0]["visible_if"] = json!({"item": "c", "equals": "x"})
    });
    assert!(
        has(
            &f,
            "/sections/0/items/0/visible_if/item",
            "condition_not_earlier"
        ),
        "{f:?}"
    );
    let f = faults(|d| d["sections"][0]["items"][2]["visible_if"]["item"] = json!("nope"));
    assert!(
        has(
            &f,
            "/sections/0/items/2/visible_if/item",
            "condition_unknown_item"
        ),
        "{f:?}"
    );
}

#[test]
fn refuses_condition_values_the_item_cannot_take() {
    let f = faults(|d| d["sections"][0]["items"][2]["visible_if"]["equals"] = json!("maybe"));
    assert!(
        has(
            &f,
            "/sections/0/items/2/visible_if/equals",
            "condition_value"
        ),
        "{f:?}"
    );
}

#[test]
fn refuses_bands_that_leave_a_gap() {
    let f = faults(|d| d["scoring"]["bands"][2]["min"] = json!(10));
    assert!(has(&f, "/scoring/bands", "bands_gap"), "{f:?}");
}

#[test]
fn refuses_duplicate_and_out_of_range_bands() {
    let f = faults(|d| d["scoring"]["bands"][1]["code"] = json!("tot"));
    assert!(has(&f, "/scoring/bands/1/code", "duplicate_band"), "{f:?}");
    let f = faults(|d| d["scoring"]["bands"][0]["min"] = json!(120));
    assert!(has(&f, "/scoring/bands/0/min", "band_above_max"), "{f:?}");
}

#[test]
fn refuses_an_unknown_critical_cap() {
    let f = faults(|d| d["scoring"]["critical_cap"] = json!("xuat_sac"));
    assert!(
        has(&f, "/scoring/critical_cap", "critical_cap_unknown"),
        "{f:?}"
    );
}

#[test]
fn refuses_duplicate_options() {
    let f = faults(|d| d["sections"][0]["items"][1]["options"][1]["value"] = json!("x"));
    assert!(
        has(
            &f,
            "/sections/0/items/1/options/1/value",
            "duplicate_option"
        ),
        "{f:?}"
    );
}

#[test]
fn refuses_points_above_the_item_maximum() {
    let f = faults(|d| {
        d["sections"][0]["items"][1]["max_points"] = json!(3);
    });
    assert!(
        has(
            &f,
            "/sections/0/items/1/options/0/points",
            "points_over_max"
        ),
        "{f:?}"
    );
}

#[test]
fn refuses_an_unknown_item_type_by_schema() {
    let f = faults(|d| d["sections"][0]["items"][2]["type"] = json!("signature"));
    assert!(
        f.iter()
            .any(|(p, c)| p == "/sections/0/items/2/type" && c == "schema"),
        "{f:?}"
    );
}

#[test]
fn refuses_choice_items_without_options_by_schema() {
    let f = faults(|d| {
        d["sections"][0]["items"][1]
            .as_object_mut()
            .unwrap()
            .remove("options");
    });
    assert!(
        f.iter()
            .any(|(p, c)| p == "/sections/0/items/1" && c == "schema"),
        "{f:?}"
    );
}

#[test]
fn refuses_bad_ids_and_missing_fields_by_schema() {
    let f = faults(|d| d["sections"][0]["items"][0]["id"] = json!("Mục 1"));
    assert!(
        f.iter()
            .any(|(p, c)| p == "/sections/0/items/0/id" && c == "schema"),
        "{f:?}"
    );
    let f = faults(|d| {
        d.as_object_mut().unwrap().remove("title");
    });
    assert!(
        f.iter().any(|(p, c)| p.is_empty() && c == "schema"),
        "{f:?}"
    );
}

#[test]
fn refuses_an_empty_rating_scale_and_inverted_ranges() {
    let f = faults(|d| {
        d["sections"][0]["items"].as_array_mut().unwrap().push(
            json!({"id": "r", "type": "rating", "label": "R", "scale": {"min": 5, "max": 5}}),
        );
        d["sections"][0]["items"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "n", "type": "number", "label": "N", "min": 10, "max": 1}));
    });
    assert!(
        has(&f, "/sections/0/items/3/scale", "scale_invalid"),
        "{f:?}"
    );
    assert!(has(&f, "/sections/0/items/4/min", "range_invalid"), "{f:?}");
}

#[test]
fn refuses_evidence_rules_naming_impossible_answers() {
    let f = faults(|d| d["sections"][0]["items"][0]["evidence"] = json!({"required_when": ["co"]}));
    assert!(
        has(
            &f,
            "/sections/0/items/0/evidence/required_when/0",
            "evidence_value"
        ),
        "{f:?}"
    );
}

#[test]
fn refuses_critical_items_worth_nothing() {
    let f = faults(|d| {
        d["sections"][0]["items"][1]["critical"] = json!(true);
        d["sections"][0]["items"][1]["options"] = json!([{"value": "x", "label": "X"}]);
    });
    assert!(
        has(&f, "/sections/0/items/1/critical", "critical_not_scored"),
        "{f:?}"
    );
}

#[test]
fn refuses_a_rename_that_names_a_current_item() {
    let f = faults(|d| d["sections"][0]["items"][2]["replaces"] = json!("b"));
    assert!(
        has(&f, "/sections/0/items/2/replaces", "replaces_current"),
        "{f:?}"
    );
}

#[test]
fn refuses_conditions_on_free_text_items() {
    let f = faults(|d| {
        d["sections"][0]["items"].as_array_mut().unwrap().push(json!({"id": "d", "type": "text", "label": "D", "visible_if": {"item": "c", "equals": "x"}}));
    });
    assert!(
        has(
            &f,
            "/sections/0/items/3/visible_if/item",
            "condition_item_type"
        ),
        "{f:?}"
    );
}
