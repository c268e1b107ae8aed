//! What value each item type takes.

use serde_json::Value;

use super::DEFAULT_TEXT_LIMIT;
use crate::error::{FieldError, Text};
use crate::templates::model::{Answer, Item, ItemType};

fn bad(item: &Item, code: &'static str, en: String, vi: String) -> FieldError {
    FieldError {
        pointer: format!("/answers/{}", item.id),
        code,
        message: Text { en, vi },
    }
}

fn wrong(item: &Item, expected_en: &str, expected_vi: &str) -> FieldError {
    bad(
        item,
        "wrong_type",
        format!("Expected {expected_en}."),
        format!("Cần {expected_vi}."),
    )
}

fn unknown_option(item: &Item, v: &str) -> FieldError {
    bad(
        item,
        "unknown_option",
        format!("`{v}` is not an option of this item."),
        format!("`{v}` không phải là lựa chọn của mục này."),
    )
}

/// Is this answer a possible one for this item?
pub fn check_answer(item: &Item, a: &Answer) -> Result<(), FieldError> {
    if a.na {
        return check_na(item, a);
    }
    if a.value.is_null() {
        return Ok(());
    }
    let v = &a.value;
    match item.kind {
        ItemType::YesNo => match v.as_str() {
            Some("yes" | "no") => Ok(()),
            _ => Err(wrong(item, "\"yes\" or \"no\"", "\"yes\" hoặc \"no\"")),
        },
        ItemType::SingleChoice => {
            let s = v
                .as_str()
                .ok_or_else(|| wrong(item, "one option value", "một giá trị lựa chọn"))?;
            if item.discrete_values().contains(&s) {
                Ok(())
            } else {
                Err(unknown_option(item, s))
            }
        }
        ItemType::MultiChoice => check_multi(item, v),
        ItemType::Text => check_text(item, v),
        ItemType::Number => check_number(item, v),
        ItemType::Date => {
            let expected = || wrong(item, "a date YYYY-MM-DD", "ngày dạng YYYY-MM-DD");
            let s = v.as_str().ok_or_else(expected)?;
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|_| ())
                .map_err(|_| expected())
        }
        ItemType::Rating => check_rating(item, v),
        ItemType::Photo => Err(bad(
            item,
            "photo_item_takes_evidence",
            "Photo items are answered by uploading evidence, not with a value.".into(),
            "Mục ảnh được trả lời bằng cách tải ảnh minh chứng, không nhập giá trị.".into(),
        )),
    }
}

fn check_na(item: &Item, a: &Answer) -> Result<(), FieldError> {
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
    Ok(())
}

fn check_multi(item: &Item, v: &Value) -> Result<(), FieldError> {
    let expected = || {
        wrong(
            item,
            "a list of option values",
            "danh sách giá trị lựa chọn",
        )
    };
    let arr = v.as_array().ok_or_else(expected)?;
    let allowed = item.discrete_values();
    let mut seen = Vec::new();
    for v in arr {
        let s = v.as_str().ok_or_else(expected)?;
        if !allowed.contains(&s) {
            return Err(unknown_option(item, s));
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

fn check_text(item: &Item, v: &Value) -> Result<(), FieldError> {
    let s = v.as_str().ok_or_else(|| wrong(item, "text", "văn bản"))?;
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

fn check_number(item: &Item, v: &Value) -> Result<(), FieldError> {
    let n = v
        .as_f64()
        .filter(|n| n.is_finite())
        .ok_or_else(|| wrong(item, "a number", "một số"))?;
    if item.min.is_some_and(|m| n < m) || item.max.is_some_and(|m| n > m) {
        let (lo, hi) = (fmt_bound(item.min), fmt_bound(item.max));
        return Err(bad(
            item,
            "out_of_range",
            format!("{n} is outside {lo}–{hi}."),
            format!("{n} nằm ngoài khoảng {lo}–{hi}."),
        ));
    }
    Ok(())
}

fn check_rating(item: &Item, v: &Value) -> Result<(), FieldError> {
    let v = match v {
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
    .ok_or_else(|| wrong(item, "a whole number", "một số nguyên"))?;
    match &item.scale {
        Some(s) if v < s.min || v > s.max => Err(bad(
            item,
            "out_of_range",
            format!("{v} is outside {}–{}.", s.min, s.max),
            format!("{v} nằm ngoài thang {}–{}.", s.min, s.max),
        )),
        _ => Ok(()),
    }
}

fn fmt_bound(b: Option<f64>) -> String {
    b.map_or_else(|| "…".into(), |v| v.to_string())
}
