//! A push body read strictly, before anything is applied: every mutation must have a
//! `mutation_id` of 1–128 characters and a known `type`, name only fields of that type (a typo
//! such as `base_verison` is refused with the field named, never ignored), and hold no NUL
//! character. All faults are told at once, as a 422; nothing is applied.

use serde_json::Value;

use super::model::Envelope;
use crate::domain::{DomainError, Faults};

pub const MAX_MUTATION_ID: usize = 128;

/// The fields each mutation type may carry, besides `mutation_id` and `type`.
fn fields_of(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "inspection.create" => &["id", "round_id", "unit_id"],
        "answer.set" => &[
            "inspection_id",
            "item_id",
            "value",
            "na",
            "base_version",
            "base_value",
            "hlc",
        ],
        "inspection.update" => &["id", "base_version", "fields"],
        "inspection.transition" => &["id", "action", "reason"],
        "recommendation.create" => &[
            "id",
            "inspection_id",
            "content",
            "responsible_unit_id",
            "responsible",
            "due_on",
            "follow_up",
        ],
        "recommendation.update" => &[
            "id",
            "inspection_id",
            "base_version",
            "content",
            "responsible_unit_id",
            "responsible",
            "due_on",
            "follow_up",
        ],
        "comment.create" => &["id", "inspection_id", "item_id", "body"],
        "evidence.create" => &[
            "id",
            "inspection_id",
            "item_id",
            "caption",
            "taken_at",
            "latitude",
            "longitude",
        ],
        "evidence.delete" => &["id", "inspection_id"],
        _ => return None,
    })
}

const EDIT_FIELDS: [&str; 3] = ["value", "hlc", "base_value"];

pub fn parse_mutations(raw: &[Value]) -> Result<Vec<Envelope>, DomainError> {
    let mut faults = Faults::default();
    let mut out = Vec::with_capacity(raw.len());
    for (i, m) in raw.iter().enumerate() {
        let at = format!("/mutations/{i}");
        if let Some(e) = one(m, &at, &mut faults) {
            out.push(e);
        }
    }
    faults.finish()?;
    Ok(out)
}

fn one(m: &Value, at: &str, faults: &mut Faults) -> Option<Envelope> {
    let before = faults.0.len();
    let Some(obj) = m.as_object() else {
        faults.push(
            at,
            "invalid_mutation",
            "A mutation is a JSON object.",
            "Mỗi thay đổi là một đối tượng JSON.",
        );
        return None;
    };
    match obj.get("mutation_id").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() && id.chars().count() <= MAX_MUTATION_ID => {}
        _ => faults.push(
            &format!("{at}/mutation_id"),
            "invalid_mutation_id",
            format!("mutation_id is required: 1 to {MAX_MUTATION_ID} characters, made once per change and kept across retries."),
            format!("mutation_id là bắt buộc: từ 1 đến {MAX_MUTATION_ID} ký tự, tạo một lần cho mỗi thay đổi và giữ nguyên khi gửi lại."),
        ),
    }
    let kind = obj.get("type").and_then(Value::as_str).unwrap_or_default();
    let Some(allowed) = fields_of(kind) else {
        faults.push(
            &format!("{at}/type"),
            "unknown_type",
            format!("Unknown mutation type \"{kind}\"."),
            format!("Loại thay đổi \"{kind}\" không được hỗ trợ."),
        );
        return None;
    };
    for key in obj.keys() {
        if key != "mutation_id" && key != "type" && !allowed.contains(&key.as_str()) {
            unknown(faults, &format!("{at}/{key}"), key, kind);
        }
    }
    if let Some(fields) = obj.get("fields").and_then(Value::as_object) {
        for (name, edit) in fields {
            for key in edit
                .as_object()
                .map(|o| o.keys().collect())
                .unwrap_or_else(Vec::new)
            {
                if !EDIT_FIELDS.contains(&key.as_str()) {
                    unknown(faults, &format!("{at}/fields/{name}/{key}"), key, kind);
                }
            }
        }
    }
    nul(m, at, faults);
    if faults.0.len() > before {
        return None;
    }
    match serde_json::from_value::<Envelope>(m.clone()) {
        Ok(e) => Some(e),
        Err(e) => {
            faults.push(
                at,
                "invalid_mutation",
                format!("Not a valid {kind} mutation: {e}."),
                format!("Thay đổi {kind} không hợp lệ: {e}."),
            );
            None
        }
    }
}

fn unknown(faults: &mut Faults, pointer: &str, key: &str, kind: &str) {
    faults.push(
        pointer,
        "unknown_field",
        format!("\"{key}\" is not a field of {kind}; check its spelling (see docs/sync.md)."),
        format!(
            "\"{key}\" không phải là trường của {kind}; hãy kiểm tra chính tả (xem docs/sync.md)."
        ),
    );
}

/// Every string (and key) holding a NUL character, named by its JSON pointer: PostgreSQL
/// cannot store one, and no real text has one.
pub fn nul(v: &Value, at: &str, faults: &mut Faults) {
    match v {
        Value::String(s) if s.contains('\0') => faults.push(
            at,
            "nul_character",
            "Text may not contain the NUL character (\\u0000).",
            "Văn bản không được chứa ký tự NUL (\\u0000).",
        ),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                nul(x, &format!("{at}/{i}"), faults);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                if k.contains('\0') {
                    nul(&Value::String(k.clone()), &here, faults);
                }
                nul(x, &here, faults);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(v: Value) -> Vec<(String, String)> {
        match parse_mutations(&[v]) {
            Err(DomainError::Invalid(f)) => f
                .into_iter()
                .map(|f| (f.pointer, f.code.to_string()))
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_typo_is_named_not_ignored() {
        let c = codes(
            json!({"mutation_id": "m", "type": "answer.set", "inspection_id": "i",
            "item_id": "a", "value": 1, "hlc": "1795689118000:0000:d", "base_verison": 2}),
        );
        assert_eq!(
            c,
            vec![("/mutations/0/base_verison".into(), "unknown_field".into())]
        );
    }

    #[test]
    fn ids_must_be_given_and_short() {
        for id in [json!(""), json!("x".repeat(129)), json!(null)] {
            let c = codes(
                json!({"mutation_id": id, "type": "evidence.delete", "id": "e", "inspection_id": "i"}),
            );
            assert_eq!(c[0].1, "invalid_mutation_id");
        }
    }

    #[test]
    fn nul_is_refused_where_it_is() {
        let c = codes(
            json!({"mutation_id": "m", "type": "comment.create", "id": "c",
            "inspection_id": "i", "body": "a\u{0}b"}),
        );
        assert_eq!(
            c,
            vec![("/mutations/0/body".into(), "nul_character".into())]
        );
    }

    #[test]
    fn good_mutations_parse() {
        let e = parse_mutations(&[json!({"mutation_id": "m", "type": "inspection.update", "id": "i",
            "base_version": 1, "fields": {"strengths": {"value": "Tốt", "hlc": "1795689118000:0000:d"}}})])
        .unwrap();
        assert_eq!(e.len(), 1);
    }
}
