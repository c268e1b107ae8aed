//! Template validation: the JSON Schema first (the format's shape), then the rules a schema
//! cannot express. Every fault names the JSON pointer of the offending value. The rules on
//! one item are in `items`, those on the scoring scheme in `scoring`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde_json::Value;

use super::model::Template;
use super::scoring::item_points;
use crate::error::{FieldError, Text};

mod items;
mod scoring;
#[cfg(test)]
mod tests;

pub const SCHEMA_JSON: &str = include_str!("../../../schemas/checklist-template.schema.json");

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
    // id → pointer of the item, for the items seen so far (document order)
    let mut seen: HashMap<&str, String> = HashMap::new();
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
            if let Some(first) = seen.get(item.id.as_str()) {
                out.push(fault(
                    format!("{ip}/id"),
                    "duplicate_item_id",
                    format!("Item id `{}` is already used at {first}.", item.id),
                    format!("Mã mục `{}` đã dùng ở {first}.", item.id),
                ));
            }
            items::check_condition(t, item, &ip, &seen, &mut out);
            items::check_item(t, item, &ip, &mut out);
            if item.kind.is_scorable() {
                total_max += item_points(item, None).0 * section.weight();
            }
            seen.insert(item.id.as_str(), format!("{ip}/id"));
        }
    }
    if let Some(s) = &t.scoring {
        scoring::check_scoring(t, s, total_max, &mut out);
    }
    out
}
