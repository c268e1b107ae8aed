//! Conflict values both ways: the stored JSON in words for the lead, and the words the lead
//! types as a new value back into the JSON the resolve service takes. A lead types "Một
//! phần", "Có", "12,5" or "09/03/2026", never `{"value": "part"}`; the service still checks
//! the result against the checklist as it checks every answer.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use serde_json::{json, Value};

use crate::domain::DomainError;
use crate::inspections::record::{parse_time, people_of};
use crate::templates::model::{Answer, Item, ItemType};
use crate::web::format;
use crate::web::review::words;

/// A findings field as people call it.
pub fn field_label(field: &str) -> &str {
    match field {
        "strengths" => "Ưu điểm",
        "shortcomings" => "Hạn chế",
        "causes" => "Nguyên nhân",
        "place" => "Địa điểm làm việc",
        "held_at" => "Thời gian làm việc",
        "members" => "Thành phần đoàn kiểm tra",
        "attendees" => "Đại diện đơn vị",
        "content" => "Nội dung",
        "responsible_unit_id" => "Đơn vị chịu trách nhiệm",
        "responsible" => "Người hoặc bộ phận thực hiện",
        "due_on" => "Thời hạn",
        "follow_up" => "Tình trạng thực hiện",
        other => other,
    }
}

/// A stored value (JSON text) in words; empty when there is none.
pub fn shown(entity: &str, field: &str, item: Option<&Item>, raw: Option<&str>) -> String {
    let Some(v) = raw.and_then(|r| serde_json::from_str::<Value>(r).ok()) else {
        return String::new();
    };
    let words = match (entity, item) {
        ("answer", Some(item)) => {
            let a: Answer = serde_json::from_value(v.clone()).unwrap_or_default();
            words::answer(item, Some(&a))
        }
        ("inspection", _) => match (&v, field) {
            (Value::String(s), "held_at") => parse_time(s).map_or(s.clone(), format::datetime),
            (Value::String(s), "members" | "attendees") => people_of(Some(s))
                .into_iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
                .join("; "),
            (Value::String(s), _) => s.clone(),
            (Value::Null, _) => String::new(),
            (other, _) => other.to_string(),
        },
        ("recommendation", _) => match (&v, field) {
            (Value::String(s), "due_on") => {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").map_or(s.clone(), format::date)
            }
            (Value::String(s), _) => s.clone(),
            (other, _) => other.to_string(),
        },
        ("evidence", _) => match v["caption"].as_str() {
            Some(c) => format!("Ảnh minh chứng: {c}"),
            None => "Ảnh minh chứng".into(),
        },
        _ => v.to_string(),
    };
    if words.is_empty() {
        "(để trống)".into()
    } else {
        words
    }
}

fn refused(vi: String) -> DomainError {
    DomainError::invalid("/value", "invalid_value", vi.clone(), vi)
}

fn fold(s: &str) -> String {
    crate::domain::nfc(s.trim()).to_lowercase()
}

fn choice(item: &Item, typed: &str) -> Result<String, DomainError> {
    let t = fold(typed);
    item.options()
        .iter()
        .find(|o| fold(&o.value) == t || fold(&o.label) == t)
        .map(|o| o.value.clone())
        .ok_or_else(|| {
            let labels: Vec<&str> = item.options().iter().map(|o| o.label.as_str()).collect();
            refused(format!(
                "“{typed}” không phải một lựa chọn của mục này. Chọn một trong: {}.",
                labels.join("; ")
            ))
        })
}

fn number(item: &Item, typed: &str) -> Result<Value, DomainError> {
    let n: f64 = typed
        .trim()
        .replace(',', ".")
        .parse()
        .map_err(|_| refused(format!("“{typed}” không phải là số.")))?;
    if item.kind == ItemType::Rating && n.fract() != 0.0 {
        return Err(refused(format!("“{typed}” không phải số nguyên.")));
    }
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return Ok(json!(n as i64));
    }
    Ok(json!(n))
}

fn date(typed: &str) -> Result<Value, DomainError> {
    NaiveDate::parse_from_str(typed.trim(), "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(typed.trim(), "%Y-%m-%d"))
        .map(|d| json!(d.format("%Y-%m-%d").to_string()))
        .map_err(|_| refused(format!("“{typed}” không phải ngày dạng dd/mm/yyyy.")))
}

/// What the lead typed, as an answer to `item`: `{"value": …}` or `{"na": true}`.
pub fn answer(item: &Item, typed: &str) -> Result<Value, DomainError> {
    let t = fold(typed);
    if t == fold(words::NOT_APPLICABLE) {
        return Ok(json!(Answer::na()));
    }
    let v = match item.kind {
        ItemType::YesNo => match t.as_str() {
            "có" | "co" | "yes" => json!("yes"),
            "không" | "khong" | "no" => json!("no"),
            _ => return Err(refused(format!("“{typed}” không phải “Có” hay “Không”."))),
        },
        ItemType::SingleChoice => json!(choice(item, typed)?),
        ItemType::MultiChoice => {
            let chosen: Result<Vec<String>, _> = typed
                .split([';', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| choice(item, s))
                .collect();
            json!(chosen?)
        }
        ItemType::Number | ItemType::Rating => number(item, typed)?,
        ItemType::Date => date(typed)?,
        ItemType::Text => json!(crate::domain::nfc(typed.trim())),
        ItemType::Photo => {
            return Err(refused(
                "Mục ảnh không có giá trị để nhập; hãy chọn một trong hai giá trị.".into(),
            ))
        }
    };
    Ok(json!(Answer::value(v)))
}

/// What the lead typed, as a findings field: the text, or for the meeting time a local
/// `dd/mm/yyyy HH:MM` turned into the RFC 3339 the service reads.
pub fn finding(field: &str, typed: &str) -> Value {
    let t = crate::domain::nfc(typed.trim());
    if field == "held_at" {
        if let Ok(local) = NaiveDateTime::parse_from_str(&t, "%d/%m/%Y %H:%M") {
            if let Some(at) = crate::time::zone().from_local_datetime(&local).single() {
                return json!(at.to_rfc3339());
            }
        }
    }
    json!(t)
}

/// What the lead may type for an item: its choices, or the form of its value.
pub fn hint(entity: &str, field: &str, item: Option<&Item>) -> (String, Vec<String>) {
    let na = |i: &Item| {
        if i.allow_na {
            "; hoặc “Không áp dụng”"
        } else {
            ""
        }
    };
    match (entity, item) {
        ("answer", Some(i)) => match i.kind {
            ItemType::YesNo => (
                format!("Nhập “Có” hoặc “Không”{}.", na(i)),
                vec!["Có".into(), "Không".into()],
            ),
            ItemType::SingleChoice => {
                let labels: Vec<String> = i.options().iter().map(|o| o.label.clone()).collect();
                (
                    format!("Chọn một trong: {}{}.", labels.join("; "), na(i)),
                    labels,
                )
            }
            ItemType::MultiChoice => {
                let labels: Vec<String> = i.options().iter().map(|o| o.label.clone()).collect();
                (
                    format!(
                        "Một hoặc nhiều lựa chọn, cách nhau bằng dấu chấm phẩy: {}.",
                        labels.join("; ")
                    ),
                    labels,
                )
            }
            ItemType::Number => (format!("Một số, ví dụ 12 hoặc 2,5{}.", na(i)), Vec::new()),
            ItemType::Rating => match &i.scale {
                Some(s) => (
                    format!("Một số nguyên từ {} đến {}{}.", s.min, s.max, na(i)),
                    Vec::new(),
                ),
                None => ("Một số nguyên.".into(), Vec::new()),
            },
            ItemType::Date => (format!("Ngày dạng dd/mm/yyyy{}.", na(i)), Vec::new()),
            ItemType::Text | ItemType::Photo => (format!("Nội dung trả lời{}.", na(i)), Vec::new()),
        },
        ("inspection", _) if field == "held_at" => {
            ("Dạng dd/mm/yyyy HH:MM, giờ Việt Nam.".into(), Vec::new())
        }
        _ => ("Nội dung mới.".into(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(v: Value) -> Item {
        serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn typed_words_become_answers() {
        let b = item(
            json!({"id": "b", "type": "single_choice", "label": "B", "options": [
            {"value": "full", "label": "Đầy đủ"}, {"value": "part", "label": "Một phần"}]}),
        );
        assert_eq!(
            answer(&b, " một phần ").ok(),
            Some(json!({"value": "part"}))
        );
        assert_eq!(answer(&b, "full").ok(), Some(json!({"value": "full"})));
        assert!(answer(&b, "Nhiều").is_err());
        assert_eq!(
            answer(&b, "Không áp dụng").ok(),
            Some(json!({"value": null, "na": true}))
        );
        let a = item(json!({"id": "a", "type": "yes_no", "label": "A"}));
        assert_eq!(answer(&a, "Có").ok(), Some(json!({"value": "yes"})));
        let n = item(json!({"id": "n", "type": "number", "label": "N"}));
        assert_eq!(answer(&n, "2,5").ok(), Some(json!({"value": 2.5})));
        assert_eq!(answer(&n, "12").ok(), Some(json!({"value": 12})));
        let d = item(json!({"id": "d", "type": "date", "label": "D"}));
        assert_eq!(
            answer(&d, "09/03/2026").ok(),
            Some(json!({"value": "2026-03-09"}))
        );
        assert_eq!(
            shown("answer", "b", Some(&b), Some(r#"{"value":"part"}"#)),
            "Một phần"
        );
        assert_eq!(
            shown("answer", "b", Some(&b), Some(r#"{"value":null}"#)),
            "(để trống)"
        );
        assert_eq!(
            shown("inspection", "strengths", None, Some(r#""Tốt""#)),
            "Tốt"
        );
    }
}
