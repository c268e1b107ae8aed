//! Rows as WatermelonDB raw records, and the values read back from pushed records.

use serde_json::{json, Map, Value};

use crate::sync::hlc::{self, Hlc};

const UNIT: &[&str] = &[
    "code",
    "name",
    "kind",
    "parent_id",
    "address",
    "latitude",
    "longitude",
    "version",
];
const TEAM: &[&str] = &["name", "lead_id", "version"];
const TEMPLATE_VERSION: &[&str] = &["template_id", "number", "content_hash"];
const ROUND: &[&str] = &[
    "name",
    "kind",
    "template_version_id",
    "starts_on",
    "ends_on",
    "due_on",
    "status",
    "version",
];
const ASSIGNMENT: &[&str] = &["round_id", "unit_id", "team_id", "version"];
const INSPECTION: &[&str] = &[
    "round_id",
    "unit_id",
    "team_id",
    "template_version_id",
    "status",
    "score",
    "band",
    "strengths",
    "shortcomings",
    "causes",
    "place",
    "held_at",
    "return_reason",
    "version",
];
const ANSWER: &[&str] = &["inspection_id", "item_id", "na", "version"];
const RECOMMENDATION: &[&str] = &[
    "inspection_id",
    "content",
    "responsible_unit_id",
    "responsible",
    "due_on",
    "follow_up",
    "version",
];
const COMMENT: &[&str] = &["inspection_id", "item_id", "author_id", "body"];
const EVIDENCE: &[&str] = &[
    "inspection_id",
    "item_id",
    "caption",
    "claimed_taken_at",
    "claimed_latitude",
    "claimed_longitude",
    "upload_state",
    "sha256",
    "size_bytes",
    "media_type",
    "width",
    "height",
    "exif_taken_at",
    "exif_latitude",
    "exif_longitude",
    "version",
];

/// The flat columns of an entity's table (JSON documents are added by [`raw`]).
fn columns(entity: &str) -> &'static [&'static str] {
    match entity {
        "unit" => UNIT,
        "team" => TEAM,
        "template_version" => TEMPLATE_VERSION,
        "round" => ROUND,
        "assignment" => ASSIGNMENT,
        "inspection" => INSPECTION,
        "answer" => ANSWER,
        "recommendation" => RECOMMENDATION,
        "comment" => COMMENT,
        "evidence" => EVIDENCE,
        other => super::followup::columns(other),
    }
}

/// A row as a WatermelonDB raw record: flat columns, JSON documents as text.
pub(super) fn raw(entity: &str, id: &str, data: &Value) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    for c in columns(entity) {
        m.insert((*c).into(), data.get(*c).cloned().unwrap_or(Value::Null));
    }
    match entity {
        "template_version" => {
            m.insert("content".into(), json!(data["content"].to_string()));
        }
        "inspection" => {
            // The people lists travel as JSON text columns, like the answers' values.
            for c in ["members", "attendees"] {
                let v = data.get(c).cloned().unwrap_or_else(|| json!([]));
                m.insert(c.into(), json!(v.to_string()));
            }
        }
        "answer" => {
            let v = &data["value"];
            m.insert(
                "value".into(),
                if v.is_null() {
                    Value::Null
                } else {
                    json!(v.to_string())
                },
            );
        }
        other => super::followup::documents(other, data, &mut m),
    }
    m
}

pub(super) fn text(m: &Map<String, Value>, k: &str) -> Option<String> {
    m.get(k).and_then(Value::as_str).map(str::to_owned)
}

/// A pushed inspection field in its stored text form (see `record::canonical`), so a value the
/// device did not change compares equal to the server's. `held_at` may come as epoch
/// milliseconds (WatermelonDB's dates); a value that does not check is passed on as sent, for
/// the engine to refuse with its pointer.
pub(super) fn field_text(m: &Map<String, Value>, field: &str) -> Option<String> {
    let sent = match m.get(field)? {
        Value::Number(n) if field == "held_at" => n
            .as_i64()
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| crate::inspections::record::time_text(&t.naive_utc())),
        Value::String(s) => Some(s.clone()),
        _ => None,
    };
    let mut faults = crate::domain::Faults::default();
    let checked = crate::inspections::record::canonical(field, sent.as_deref(), &mut faults);
    if faults.0.is_empty() {
        checked
    } else {
        sent
    }
}

/// A pushed answer record as the engine writes answers (`{"value": …}`, `"na": true` only when set).
pub(super) fn answer_of(m: &Map<String, Value>) -> Value {
    let value = text(m, "value")
        .and_then(|v| serde_json::from_str::<Value>(&v).ok())
        .map(crate::domain::nfc_json)
        .unwrap_or(Value::Null);
    json!(crate::templates::model::Answer {
        value,
        na: m.get("na").and_then(Value::as_bool).unwrap_or(false)
    })
}

/// A device's photo time: WatermelonDB apps store dates as epoch milliseconds; what the server
/// sends is ISO 8601 (UTC). Either is taken.
pub(super) fn claimed_time(v: Option<&Value>) -> Option<chrono::DateTime<chrono::Utc>> {
    match v? {
        Value::Number(n) => n.as_i64().and_then(chrono::DateTime::from_timestamp_millis),
        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.to_utc())
            .ok()
            .or_else(|| {
                chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                    .ok()
                    .map(|t| t.and_utc())
            }),
        _ => None,
    }
}

/// When the device made this record's change, if it says: WatermelonDB keeps a record's
/// `updated_at` column (epoch ms) current when the model declares `updatedAt`. As an HLC of
/// the device (`node`), clamped to the server's clock like every device time.
pub(super) fn edit_time(rec: &Map<String, Value>, node: &str) -> Option<Hlc> {
    let v = rec.get("updated_at")?;
    let ms = v
        .as_u64()
        .or_else(|| {
            v.as_f64()
                .filter(|f| f.is_finite() && *f >= 1.0)
                .map(|f| f as u64)
        })
        .filter(|ms| *ms > 0)?;
    Some(
        Hlc {
            ms,
            counter: 0,
            node: node.to_owned(),
        }
        .clamped(hlc::now_ms()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn an_edit_time_is_the_records_updated_at_clamped() {
        let t = edit_time(&rec(json!({"updated_at": 1_795_689_118_000_u64})), "d").unwrap();
        assert_eq!(t.to_string(), "1795689118000:0000:d");
        let f = edit_time(&rec(json!({"updated_at": 1_795_689_118_000.0})), "d").unwrap();
        assert_eq!(f, t);
        let future = edit_time(&rec(json!({"updated_at": u64::MAX / 2})), "d").unwrap();
        assert!(future.ms <= hlc::now_ms());
        for none in [
            json!({}),
            json!({"updated_at": null}),
            json!({"updated_at": 0}),
            json!({"updated_at": "x"}),
        ] {
            assert_eq!(edit_time(&rec(none.clone()), "d"), None, "{none}");
        }
    }

    #[test]
    fn the_record_fields_travel_as_columns() {
        let r = raw(
            "inspection",
            "i",
            &json!({"place": "Hội trường UBND xã", "held_at": "2026-03-10T01:00:00Z",
                "members": [{"name": "Nguyễn Văn A", "title": "Trưởng đoàn"}], "attendees": []}),
        );
        assert_eq!(r["place"], json!("Hội trường UBND xã"));
        assert_eq!(r["held_at"], json!("2026-03-10T01:00:00Z"));
        assert_eq!(
            r["members"],
            json!(r#"[{"name":"Nguyễn Văn A","title":"Trưởng đoàn"}]"#)
        );
        assert_eq!(r["attendees"], json!("[]"));
        // Read back: the same forms, whether the device kept the text or a date number.
        assert_eq!(
            field_text(&r, "members"),
            Some(r#"[{"name":"Nguyễn Văn A","title":"Trưởng đoàn"}]"#.into())
        );
        assert_eq!(field_text(&r, "attendees"), None);
        let ms = rec(json!({"held_at": 1_773_104_400_000_i64}));
        assert_eq!(
            field_text(&ms, "held_at"),
            Some("2026-03-10T01:00:00Z".into())
        );
    }

    #[test]
    fn answers_travel_as_json_text() {
        let r = raw(
            "answer",
            "i/b",
            &json!({"inspection_id": "i", "item_id": "b", "value": "part", "na": false, "version": 2}),
        );
        assert_eq!(r["value"], json!("\"part\""));
        assert_eq!(answer_of(&r), json!({"value": "part"}));
        let cleared = raw("answer", "i/b", &json!({"value": null}));
        assert_eq!(cleared["value"], Value::Null);
    }
}
