//! Answer rules: what value each item type takes (`value`), and what a submission needs
//! (`submission`: required items, evidence). Saving checks only types, options and ranges, so
//! a half-filled phiếu can always be saved; `check_submission` is the stricter gate.

use std::collections::HashMap;

use super::model::{Answer, Answers, Template};
use super::visibility::visible_items;
use crate::error::{FieldError, Text};

mod submission;
#[cfg(test)]
mod tests;
mod value;

pub use submission::check_submission;
pub use value::check_answer;

pub const DEFAULT_TEXT_LIMIT: u32 = 20_000;

/// Checklist items that held the findings before they became the inspection's own fields
/// (ưu điểm, hạn chế, nguyên nhân) and its recommendation rows (kiến nghị), with where their
/// text goes now. Published versions of the 2026 checklist still have them; docs/checklists.md.
pub const FINDINGS_ITEMS: [(&str, &str); 4] = [
    ("ket_qua.uu_diem", "strengths"),
    ("ket_qua.han_che", "shortcomings"),
    ("ket_qua.nguyen_nhan", "causes"),
    ("ket_qua.kien_nghi", "recommendation"),
];

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
