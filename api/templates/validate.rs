//! Template validation: the JSON Schema first (the format's shape), then the rules a schema
//! cannot express. Every fault names the JSON pointer of the offending value.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde_json::Value;

use super::model::{ItemType, Template};
use super::scoring::item_points;
use crate::error::{FieldError, Text};

pub const SCHEMA_JSON: &str = include_str!("../../schemas/checklist-template.schema.json");

fn validator() -> Option<&'static jsonschema::Validator> {
    static V: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    V.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA_JSON).ok()?;
        jsonschema::draft202012::new(&schema).ok()
    })
    .as_ref()
}

fn fault(pointer: String, code: &'static str, en: String, vi: String) -> FieldError {
    FieldError {
        pointer,
        code,
        message: Text { en, vi },
    }
}

/// Parses and validates a template document. `Err` holds every fault found.
pub fn validate(doc: &Value) -> Result<Template, Vec<FieldError>> {
    let Some(v) = validator() else {
        return Err(vec![fault(
            String::new(),
            "schema_unavailable",
            "The template schema failed to load.".into(),
            "Không nạp được lược đồ phiếu.".into(),
        )]);
    };
    let schema_faults: Vec<FieldError> = v
        .iter_errors(doc)
        .map(|e| {
            let msg = e.to_string();
            fault(
                e.instance_path().as_str().to_owned(),
                "schema",
                msg.clone(),
                format!("Không đúng định dạng phiếu kiểm tra: {msg}"),
            )
        })
        .collect();
    if !schema_faults.is_empty() {
        return Err(schema_faults);
    }
    let template: Template = serde_json::from_value(doc.clone()).map_err(|e| {
        vec![fault(
            String::new(),
            "schema",
            e.to_string(),
            format!("Không đúng định dạng phiếu kiểm tra: {e}"),
        )]
    })?;
    let faults = check_rules(&template);
    if faults.is_empty() {
        Ok(template)
    } else {
        Err(faults)
    }
}

/// The rules beyond the schema. Pure; the pointers follow the document's structure.
pub fn check_rules(t: &Template) -> Vec<FieldError> {
    let mut out = Vec::new();
    let mut section_ids = HashSet::new();
    // id → (position in document order, pointer)
    let mut seen: HashMap<&str, (usize, String)> = HashMap::new();
    let mut order = 0usize;
    let mut total_max = 0.0;

    for (si, section) in t.sections.iter().enumerate() {
        let sp = format!("/sections/{si}");
        if !section_ids.insert(section.id.as_str()) {
            out.push(fault(
                format!("{sp}/id"),
                "duplicate_section_id",
                format!("Section id `{}` is used twice.", section.id),
                format!("Mã phần `{}` bị trùng.", section.id),
            ));
        }
        for (ii, item) in section.items.iter().enumerate() {
            let ip = format!("{sp}/items/{ii}");
            if let Some((_, first)) = seen.get(item.id.as_str()) {
                out.push(fault(
                    format!("{ip}/id"),
                    "duplicate_item_id",
                    format!("Item id `{}` is already used at {first}.", item.id),
                    format!("Mã mục `{}` đã dùng ở {first}.", item.id),
                ));
            }

            if let Some(cond) = &item.visible_if {
                let cp = format!("{ip}/visible_if/item");
                match seen.get(cond.item.as_str()) {
                    None if t.item(&cond.item).is_some() => out.push(fault(
                        cp,
                        "condition_not_earlier",
                        format!(
                            "The condition names `{}`, which does not come before this item.",
                            cond.item
                        ),
                        format!(
                            "Điều kiện hiển thị dựa vào mục `{}` không đứng trước mục này.",
                            cond.item
                        ),
                    )),
                    None => out.push(fault(
                        cp,
                        "condition_unknown_item",
                        format!("The condition names `{}`, which does not exist.", cond.item),
                        format!(
                            "Điều kiện hiển thị dựa vào mục `{}` không tồn tại.",
                            cond.item
                        ),
                    )),
                    Some(_) => {
                        if let Some(target) = t.item(&cond.item) {
                            if !target.kind.has_discrete_values() {
                                out.push(fault(cp, "condition_item_type", format!("Conditions can only depend on yes/no or choice items; `{}` is not one.", cond.item), format!("Điều kiện chỉ dựa được vào mục có/không hoặc lựa chọn; `{}` không phải.", cond.item)));
                            } else {
                                let allowed = target.discrete_values();
                                for v in cond.values() {
                                    if !allowed.contains(&v) {
                                        let vp = if cond.equals.as_deref() == Some(v) {
                                            format!("{ip}/visible_if/equals")
                                        } else {
                                            format!("{ip}/visible_if/in")
                                        };
                                        out.push(fault(vp, "condition_value", format!("`{v}` is not a possible answer of `{}`.", cond.item), format!("`{v}` không phải là câu trả lời hợp lệ của mục `{}`.", cond.item)));
                                    }
                                }
                            }
                        }
                    }
                }
            }

            let mut values = HashSet::new();
            for (oi, opt) in item.options().iter().enumerate() {
                if !values.insert(opt.value.as_str()) {
                    out.push(fault(
                        format!("{ip}/options/{oi}/value"),
                        "duplicate_option",
                        format!("Option value `{}` is used twice.", opt.value),
                        format!("Giá trị lựa chọn `{}` bị trùng.", opt.value),
                    ));
                }
                if let (Some(p), Some(max)) = (opt.points, item.max_points) {
                    if p > max {
                        out.push(fault(
                            format!("{ip}/options/{oi}/points"),
                            "points_over_max",
                            format!("{p} points exceed the item's max_points {max}."),
                            format!("{p} điểm vượt quá điểm tối đa {max} của mục."),
                        ));
                    }
                }
            }
            if let (Some(points), Some(max)) = (&item.points, item.max_points) {
                for (name, p) in [("yes", points.yes), ("no", points.no)] {
                    if p.is_some_and(|p| p > max) {
                        out.push(fault(
                            format!("{ip}/points/{name}"),
                            "points_over_max",
                            format!("Points exceed the item's max_points {max}."),
                            format!("Điểm vượt quá điểm tối đa {max} của mục."),
                        ));
                    }
                }
            }
            if let (Some(min), Some(max)) = (item.min, item.max) {
                if min > max {
                    out.push(fault(
                        format!("{ip}/min"),
                        "range_invalid",
                        format!("min {min} is above max {max}."),
                        format!("Giá trị nhỏ nhất {min} lớn hơn giá trị lớn nhất {max}."),
                    ));
                }
            }
            if (item.min.is_some() || item.max.is_some()) && item.kind != ItemType::Number {
                out.push(fault(
                    format!("{ip}/min"),
                    "range_on_non_number",
                    "min/max apply to number items only.".into(),
                    "min/max chỉ dùng cho mục kiểu số.".into(),
                ));
            }
            if let Some(scale) = &item.scale {
                if scale.min >= scale.max {
                    out.push(fault(
                        format!("{ip}/scale"),
                        "scale_invalid",
                        format!("The scale {}–{} is empty.", scale.min, scale.max),
                        format!("Thang điểm {}–{} không hợp lệ.", scale.min, scale.max),
                    ));
                }
            }
            if let Some(rule) = &item.evidence {
                if let Some(when) = &rule.required_when {
                    let allowed = item.discrete_values();
                    for (wi, v) in when.iter().enumerate() {
                        if !allowed.contains(&v.as_str()) {
                            out.push(fault(
                                format!("{ip}/evidence/required_when/{wi}"),
                                "evidence_value",
                                format!("`{v}` is not a possible answer of this item."),
                                format!("`{v}` không phải là câu trả lời hợp lệ của mục này."),
                            ));
                        }
                    }
                }
            }
            let (item_max, _) = item_points(item, None);
            if item.critical && item_max <= 0.0 {
                out.push(fault(
                    format!("{ip}/critical"),
                    "critical_not_scored",
                    "A critical item must be worth points.".into(),
                    "Mục điểm liệt phải có điểm.".into(),
                ));
            }
            if let Some(old) = &item.replaces {
                if t.item(old).is_some() {
                    out.push(fault(
                        format!("{ip}/replaces"),
                        "replaces_current",
                        format!("`{old}` is still an item of this version."),
                        format!("`{old}` vẫn là một mục của phiên bản này."),
                    ));
                }
            }
            if item.kind.is_scorable() {
                total_max += item_max * section.weight();
            }
            seen.insert(item.id.as_str(), (order, format!("{ip}/id")));
            order += 1;
        }
    }

    if let Some(scoring) = &t.scoring {
        let mut codes = HashSet::new();
        let mut mins = Vec::new();
        for (bi, band) in scoring.bands.iter().enumerate() {
            if !codes.insert(band.code.as_str()) {
                out.push(fault(
                    format!("/scoring/bands/{bi}/code"),
                    "duplicate_band",
                    format!("Band code `{}` is used twice.", band.code),
                    format!("Mã xếp loại `{}` bị trùng.", band.code),
                ));
            }
            if mins.iter().any(|m: &f64| (m - band.min).abs() < 1e-9) {
                out.push(fault(
                    format!("/scoring/bands/{bi}/min"),
                    "duplicate_band",
                    format!("Two bands start at {}.", band.min),
                    format!("Hai mức xếp loại cùng bắt đầu từ {}.", band.min),
                ));
            }
            if band.min > scoring.max_score {
                out.push(fault(
                    format!("/scoring/bands/{bi}/min"),
                    "band_above_max",
                    format!("The band starts above max_score {}.", scoring.max_score),
                    format!(
                        "Mức xếp loại bắt đầu cao hơn điểm tối đa {}.",
                        scoring.max_score
                    ),
                ));
            }
            mins.push(band.min);
        }
        if !mins.contains(&0.0) {
            out.push(fault(
                "/scoring/bands".into(),
                "bands_gap",
                "The bands must cover the whole range: one must start at 0.".into(),
                "Các mức xếp loại phải phủ toàn bộ thang điểm: phải có một mức bắt đầu từ 0."
                    .into(),
            ));
        }
        match &scoring.critical_cap {
            Some(cap) if !codes.contains(cap.as_str()) => out.push(fault(
                "/scoring/critical_cap".into(),
                "critical_cap_unknown",
                format!("No band has code `{cap}`."),
                format!("Không có mức xếp loại mã `{cap}`."),
            )),
            None if t.items().any(|i| i.critical) => out.push(fault(
                "/scoring/critical_cap".into(),
                "critical_cap_missing",
                "Critical items need a critical_cap band.".into(),
                "Có mục điểm liệt thì phải khai báo critical_cap.".into(),
            )),
            _ => {}
        }
        if total_max <= 0.0 {
            out.push(fault(
                "/scoring".into(),
                "no_scored_items",
                "Scoring needs at least one item worth points.".into(),
                "Cần ít nhất một mục có điểm để chấm điểm.".into(),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
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
        let f =
            faults(|d| d["sections"][0]["items"][0]["evidence"] = json!({"required_when": ["co"]}));
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
}
