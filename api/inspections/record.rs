//! The inspection's own typed fields, as plain values: the findings (ưu điểm, hạn chế,
//! nguyên nhân) and the biên bản record (place, time, the team's members and the unit's
//! attendees). Pure: each field's stored text form, checked and normalised, and the findings
//! a submission needs. Every writer (REST, sync push, the WatermelonDB face, the fold of old
//! checklist answers) goes through [`canonical`], so one value has one form and devices
//! compare equal values as equal.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::domain::{nfc, Faults};
use crate::error::{FieldError, Text};

/// The findings texts.
pub const FINDINGS: [&str; 3] = ["strengths", "shortcomings", "causes"];

/// Every field merged one by one (per-field clock in `field_meta`).
pub const FIELDS: [&str; 7] = [
    "strengths",
    "shortcomings",
    "causes",
    "place",
    "held_at",
    "members",
    "attendees",
];

/// At most this many people on each side of a biên bản.
pub const MAX_PEOPLE: usize = 30;
const MAX_FINDING: usize = 50_000;
const MAX_PLACE: usize = 500;
const MAX_NAME: usize = 200;

/// One person in the biên bản's "Thành phần": stored as `{"name": …, "title": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    /// Họ và tên.
    pub name: String,
    /// Chức vụ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A field's value in its stored text form, checked and normalised (NFC, trimmed); `None`
/// when empty. `held_at` is RFC 3339 in, UTC `…Z` out; `members`/`attendees` are the JSON
/// text of an array of people. Faults point at `/<field>…`.
pub fn canonical(field: &str, value: Option<&str>, f: &mut Faults) -> Option<String> {
    let v = nfc(value.unwrap_or("").trim());
    if v.is_empty() {
        return None;
    }
    let p = format!("/{field}");
    match field {
        "strengths" | "shortcomings" | "causes" => Some(limited(f, &p, v, MAX_FINDING)),
        "place" => Some(limited(f, &p, v, MAX_PLACE)),
        "held_at" => match parse_time(&v) {
            Some(t) => Some(time_text(&t)),
            None => {
                f.push(
                    &p,
                    "invalid_time",
                    "A time in RFC 3339, with its offset (2026-03-10T08:00:00+07:00).",
                    "Thời gian dạng RFC 3339, có múi giờ (2026-03-10T08:00:00+07:00).",
                );
                None
            }
        },
        "members" | "attendees" => {
            let people = match serde_json::from_str::<Value>(&v) {
                Ok(j) => people(&p, &j, f),
                Err(_) => {
                    f.push(
                        &p,
                        "invalid_people",
                        "A list of people.",
                        "Một danh sách người.",
                    );
                    Vec::new()
                }
            };
            (!people.is_empty()).then(|| serde_json::to_string(&people).unwrap_or_default())
        }
        _ => {
            f.push(
                &p,
                "unknown_field",
                "Not a field of the inspection.",
                "Không phải trường của phiếu kiểm tra.",
            );
            None
        }
    }
}

fn limited(f: &mut Faults, pointer: &str, v: String, max: usize) -> String {
    if v.chars().count() > max {
        f.push(
            pointer,
            "too_long",
            format!("At most {max} characters."),
            format!("Tối đa {max} ký tự."),
        );
    }
    v
}

/// A list of `{name, title?}`: names required, at most [`MAX_PEOPLE`]; normalised.
pub fn people(pointer: &str, v: &Value, f: &mut Faults) -> Vec<Person> {
    let Some(arr) = v.as_array() else {
        f.push(
            pointer,
            "invalid_people",
            "A list of people: [{\"name\": …, \"title\": …}].",
            "Một danh sách người: [{\"name\": …, \"title\": …}].",
        );
        return Vec::new();
    };
    if arr.len() > MAX_PEOPLE {
        f.push(
            pointer,
            "too_many_people",
            format!("At most {MAX_PEOPLE} people."),
            format!("Tối đa {MAX_PEOPLE} người."),
        );
    }
    let mut out = Vec::new();
    for (i, p) in arr.iter().enumerate() {
        let pp = format!("{pointer}/{i}");
        let Some(obj) = p
            .as_object()
            .filter(|o| o.keys().all(|k| k == "name" || k == "title"))
        else {
            f.push(
                &pp,
                "invalid_person",
                "An object {\"name\": …, \"title\": …}.",
                "Một đối tượng {\"name\": …, \"title\": …}.",
            );
            continue;
        };
        let name = f.text(
            &format!("{pp}/name"),
            obj.get("name").and_then(Value::as_str).unwrap_or(""),
            MAX_NAME,
        );
        let title = match obj.get("title") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) if t.trim().is_empty() => None,
            Some(Value::String(t)) => Some(f.text(&format!("{pp}/title"), t, MAX_NAME)),
            Some(_) => {
                f.push(
                    &format!("{pp}/title"),
                    "invalid_text",
                    "A text.",
                    "Một đoạn văn bản.",
                );
                None
            }
        };
        out.push(Person { name, title });
    }
    out
}

/// The people stored in a `members`/`attendees` column (empty when none or unreadable).
pub fn people_of(stored: Option<&str>) -> Vec<Person> {
    stored
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}

/// RFC 3339 (any offset) as stored UTC.
pub fn parse_time(s: &str) -> Option<NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.naive_utc())
}

/// A stored time in the text form [`canonical`] gives it (as the API writes it).
pub fn time_text(t: &NaiveDateTime) -> String {
    t.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// What a submission lacks of the findings: strengths and shortcomings must be written
/// (every report and biên bản quotes them).
pub fn findings_missing(strengths: Option<&str>, shortcomings: Option<&str>) -> Vec<FieldError> {
    [
        ("strengths", strengths, "Strengths (ưu điểm)", "ưu điểm"),
        (
            "shortcomings",
            shortcomings,
            "Shortcomings (hạn chế)",
            "hạn chế",
        ),
    ]
    .into_iter()
    .filter(|(_, v, _, _)| v.is_none_or(|t| t.trim().is_empty()))
    .map(|(field, _, en, vi)| {
        FieldError::new(
            &format!("/{field}"),
            "findings_required",
            Text::new(
                format!("{en} must be written before the inspection is submitted."),
                format!("Chưa ghi {vi} của đơn vị; cần ghi trước khi gửi duyệt."),
            ),
        )
    })
    .collect()
}

/// `serialize_with` for `members`/`attendees`: the stored JSON text as an array.
pub fn serialize_people<S: serde::Serializer>(
    stored: &Option<String>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    people_of(stored.as_deref()).serialize(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(field: &str, v: &str) -> (Option<String>, Vec<(String, &'static str)>) {
        let mut f = Faults::default();
        let out = canonical(field, Some(v), &mut f);
        (out, f.0.into_iter().map(|e| (e.pointer, e.code)).collect())
    }

    #[test]
    fn people_are_checked_and_normalised() {
        let nfd = "Nghe\u{302}\u{323} An";
        let (v, faults) = one(
            "members",
            &json!([{"name": format!(" {nfd} "), "title": "Trưởng đoàn"}, {"name": "B", "title": ""}]).to_string(),
        );
        assert!(faults.is_empty(), "{faults:?}");
        assert_eq!(
            v.unwrap(),
            r#"[{"name":"Nghệ An","title":"Trưởng đoàn"},{"name":"B"}]"#
        );
        let (_, faults) = one(
            "attendees",
            &json!([{"title": "x"}, "y", {"name": "a", "age": 3}]).to_string(),
        );
        assert_eq!(
            faults,
            [
                ("/attendees/0/name".to_owned(), "invalid_text"),
                ("/attendees/1".to_owned(), "invalid_person"),
                ("/attendees/2".to_owned(), "invalid_person")
            ]
        );
        let many = json!(vec![json!({"name": "a"}); MAX_PEOPLE + 1]).to_string();
        assert_eq!(
            one("members", &many).1,
            [("/members".to_owned(), "too_many_people")]
        );
        assert_eq!(
            one("members", "{}").1,
            [("/members".to_owned(), "invalid_people")]
        );
        assert_eq!(one("members", "[]").0, None, "no one is no value");
    }

    #[test]
    fn times_are_stored_in_utc() {
        assert_eq!(
            one("held_at", "2026-03-10T08:00:00+07:00").0.unwrap(),
            "2026-03-10T01:00:00Z"
        );
        assert_eq!(
            one("held_at", "10/03/2026").1,
            [("/held_at".to_owned(), "invalid_time")]
        );
    }

    #[test]
    fn submission_needs_strengths_and_shortcomings() {
        let codes = |s, h| {
            findings_missing(s, h)
                .into_iter()
                .map(|e| (e.pointer, e.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(None, Some("  ")),
            [
                ("/strengths".to_owned(), "findings_required"),
                ("/shortcomings".to_owned(), "findings_required")
            ]
        );
        assert!(codes(Some("Tốt"), Some("Chậm")).is_empty());
    }
}
