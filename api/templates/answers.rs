//! Answer rules: what value each item type takes, and what a submission needs (required
//! items, evidence). Saving checks only types, options and ranges, so a half-filled phiếu can
//! always be saved; `check_submission` is the stricter gate.

use std::collections::HashMap;

use serde_json::Value;

use super::model::{Answer, Answers, Item, ItemType, Template};
use super::visibility::visible_items;
use crate::error::{FieldError, Text};

pub const DEFAULT_TEXT_LIMIT: u32 = 20_000;

fn bad(item: &Item, code: &'static str, en: String, vi: String) -> FieldError {
    FieldError {
        pointer: format!("/answers/{}", item.id),
        code,
        message: Text { en, vi },
    }
}

/// Is this answer a possible one for this item?
pub fn check_answer(item: &Item, a: &Answer) -> Result<(), FieldError> {
    if a.na {
        if !item.allow_na {
            return Err(bad(
                item,
                "na_not_allowed",
                "This item cannot be marked not applicable.".into(),
                "Mục này không được đánh dấu \"không áp dụng\".".into(),
            ));
        }
        if !a.value.is_null() {
            return Err(bad(
                item,
                "na_with_value",
                "A not-applicable answer has no value.".into(),
                "Câu trả lời \"không áp dụng\" không có giá trị.".into(),
            ));
        }
        return Ok(());
    }
    if a.value.is_null() {
        return Ok(());
    }
    let wrong = |expected_en: &str, expected_vi: &str| {
        bad(
            item,
            "wrong_type",
            format!("Expected {expected_en}."),
            format!("Cần {expected_vi}."),
        )
    };
    match item.kind {
        ItemType::YesNo => match a.value.as_str() {
            Some("yes" | "no") => Ok(()),
            _ => Err(wrong("\"yes\" or \"no\"", "\"yes\" hoặc \"no\"")),
        },
        ItemType::SingleChoice => {
            let v = a
                .value
                .as_str()
                .ok_or_else(|| wrong("one option value", "một giá trị lựa chọn"))?;
            if item.discrete_values().contains(&v) {
                Ok(())
            } else {
                Err(bad(
                    item,
                    "unknown_option",
                    format!("`{v}` is not an option of this item."),
                    format!("`{v}` không phải là lựa chọn của mục này."),
                ))
            }
        }
        ItemType::MultiChoice => {
            let arr = a
                .value
                .as_array()
                .ok_or_else(|| wrong("a list of option values", "danh sách giá trị lựa chọn"))?;
            let allowed = item.discrete_values();
            let mut seen = Vec::new();
            for v in arr {
                let s = v.as_str().ok_or_else(|| {
                    wrong("a list of option values", "danh sách giá trị lựa chọn")
                })?;
                if !allowed.contains(&s) {
                    return Err(bad(
                        item,
                        "unknown_option",
                        format!("`{s}` is not an option of this item."),
                        format!("`{s}` không phải là lựa chọn của mục này."),
                    ));
                }
                if seen.contains(&s) {
                    return Err(bad(
                        item,
                        "duplicate_option",
                        format!("`{s}` is chosen twice."),
                        format!("`{s}` được chọn hai lần."),
                    ));
                }
                seen.push(s);
            }
            Ok(())
        }
        ItemType::Text => {
            let s = a.value.as_str().ok_or_else(|| wrong("text", "văn bản"))?;
            let max = item.max_length.unwrap_or(DEFAULT_TEXT_LIMIT) as usize;
            if s.chars().count() > max {
                return Err(bad(
                    item,
                    "too_long",
                    format!("At most {max} characters."),
                    format!("Tối đa {max} ký tự."),
                ));
            }
            Ok(())
        }
        ItemType::Number => {
            let n = a
                .value
                .as_f64()
                .filter(|n| n.is_finite())
                .ok_or_else(|| wrong("a number", "một số"))?;
            if item.min.is_some_and(|m| n < m) || item.max.is_some_and(|m| n > m) {
                return Err(bad(
                    item,
                    "out_of_range",
                    format!(
                        "{n} is outside {}–{}.",
                        fmt_bound(item.min),
                        fmt_bound(item.max)
                    ),
                    format!(
                        "{n} nằm ngoài khoảng {}–{}.",
                        fmt_bound(item.min),
                        fmt_bound(item.max)
                    ),
                ));
            }
            Ok(())
        }
        ItemType::Date => {
            let s = a
                .value
                .as_str()
                .ok_or_else(|| wrong("a date YYYY-MM-DD", "ngày dạng YYYY-MM-DD"))?;
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|_| ())
                .map_err(|_| wrong("a date YYYY-MM-DD", "ngày dạng YYYY-MM-DD"))
        }
        ItemType::Rating => {
            let scale = item.scale.as_ref();
            let v = match &a.value {
                Value::Number(n) => n.as_i64(),
                _ => None,
            }
            .ok_or_else(|| wrong("a whole number", "một số nguyên"))?;
            match scale {
                Some(s) if v < s.min || v > s.max => Err(bad(
                    item,
                    "out_of_range",
                    format!("{v} is outside {}–{}.", s.min, s.max),
                    format!("{v} nằm ngoài thang {}–{}.", s.min, s.max),
                )),
                _ => Ok(()),
            }
        }
        ItemType::Photo => Err(bad(
            item,
            "photo_item_takes_evidence",
            "Photo items are answered by uploading evidence, not with a value.".into(),
            "Mục ảnh được trả lời bằng cách tải ảnh minh chứng, không nhập giá trị.".into(),
        )),
    }
}

fn fmt_bound(b: Option<f64>) -> String {
    b.map_or_else(|| "…".into(), |v| v.to_string())
}

/// Checks answers being saved: each must name an item of the template and be a possible
/// answer for it. Answers to items hidden *after* the change are refused, so that a device
/// cannot fill an item the form does not show.
pub fn check_answers(template: &Template, changed: &Answers, merged: &Answers) -> Vec<FieldError> {
    let visible = visible_items(template, merged);
    changed
        .iter()
        .filter_map(|(id, a)| check_one(template, &visible, id, a).err())
        .collect()
}

/// One answer against the form: the item exists, the value suits it, and the item is shown
/// (`visible`, from [`visible_items`]). An item's visibility depends only on items before it,
/// so the map may be the one from before this answer changed.
pub fn check_one(
    template: &Template,
    visible: &HashMap<String, bool>,
    id: &str,
    a: &Answer,
) -> Result<(), FieldError> {
    check_value(template, id, a)?;
    if a.is_answered() && !visible.get(id).copied().unwrap_or(false) {
        return Err(FieldError::new(
            &format!("/answers/{id}"),
            "hidden_item",
            Text::new(
                "This item is hidden by the answers it depends on.",
                "Mục này đang bị ẩn theo các câu trả lời mà nó phụ thuộc.",
            ),
        ));
    }
    Ok(())
}

/// The item exists and the value suits it (visibility aside).
pub fn check_value(template: &Template, id: &str, a: &Answer) -> Result<(), FieldError> {
    let Some(item) = template.item(id) else {
        return Err(FieldError::new(
            &format!("/answers/{id}"),
            "unknown_item",
            Text::new(
                format!("This checklist has no item `{id}`."),
                format!("Phiếu kiểm tra không có mục `{id}`."),
            ),
        ));
    };
    check_answer(item, a)
}

/// Whether other items' visibility depends on this one's answer.
pub fn controls_visibility(template: &Template, id: &str) -> bool {
    template
        .items()
        .any(|i| i.visible_if.as_ref().is_some_and(|c| c.item == id))
}

/// What a submission still lacks: required visible items unanswered, and evidence rules not
/// met. `photos` counts the evidence photos per item id.
pub fn check_submission(
    template: &Template,
    answers: &Answers,
    photos: &HashMap<String, usize>,
) -> Vec<FieldError> {
    let visible = visible_items(template, answers);
    let mut out = Vec::new();
    for item in template.items() {
        if !visible.get(&item.id).copied().unwrap_or(false) {
            continue;
        }
        let answer = answers.get(&item.id);
        let na = answer.is_some_and(|a| a.na);
        let count = photos.get(&item.id).copied().unwrap_or(0);
        let answered =
            answer.is_some_and(Answer::is_answered) || (item.kind == ItemType::Photo && count > 0);
        if item.required && !answered && !na {
            out.push(FieldError::new(
                &format!("/answers/{}", item.id),
                "required",
                Text::new(
                    format!("\"{}\" must be answered.", item.label),
                    format!("Chưa trả lời mục bắt buộc \"{}\".", item.label),
                ),
            ));
            continue;
        }
        if na || !answered {
            continue;
        }
        let Some(rule) = &item.evidence else { continue };
        let min = rule.min_photos.unwrap_or(0) as usize;
        let triggered = rule.required_when.as_ref().is_some_and(|when| {
            answer.is_some_and(|a| a.chosen().iter().any(|v| when.iter().any(|w| w == v)))
        });
        let needed = if triggered { min.max(1) } else { min };
        if count < needed {
            out.push(FieldError::new(
                &format!("/answers/{}", item.id),
                "evidence_missing",
                Text::new(
                    format!(
                        "\"{}\" needs {needed} photo(s) as evidence; {count} attached.",
                        item.label
                    ),
                    format!(
                        "Mục \"{}\" cần {needed} ảnh minh chứng; mới có {count}.",
                        item.label
                    ),
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
                ("/answers/ph".into(), "required")
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
}
