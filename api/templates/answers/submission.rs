//! The submission gate: required visible items answered, evidence rules met.
//!
//! Photo items are answered by their photos, so for them the only rule is a count: at least
//! `evidence.min_photos` (at least one if the item is required), reported as
//! `evidence_missing` whether or not anything else was answered. For other items the evidence
//! rule applies once the item is answered (`min_photos`, or one photo when the answer is in
//! `required_when`). Items the checklist kept from before findings were typed once
//! ([`FINDINGS_ITEMS`]) are never required: the inspection's own fields replace them.

use std::collections::HashMap;

use super::FINDINGS_ITEMS;
use crate::error::{FieldError, Text};
use crate::templates::model::{Answer, Answers, Item, ItemType, Template};
use crate::templates::visibility::visible_items;

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
        if answer.is_some_and(|a| a.na) {
            continue;
        }
        let count = photos.get(&item.id).copied().unwrap_or(0);
        if item.kind == ItemType::Photo {
            let min = item
                .evidence
                .as_ref()
                .and_then(|r| r.min_photos)
                .unwrap_or(0) as usize;
            let needed = min.max(usize::from(item.required));
            if count < needed {
                out.push(evidence_missing(item, needed, count));
            }
            continue;
        }
        let legacy = FINDINGS_ITEMS.iter().any(|(id, _)| *id == item.id);
        let answered = answer.is_some_and(Answer::is_answered);
        if item.required && !answered && !legacy {
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
        let (Some(answer), Some(rule)) = (answer.filter(|a| a.is_answered()), &item.evidence)
        else {
            continue;
        };
        let min = rule.min_photos.unwrap_or(0) as usize;
        let triggered = rule
            .required_when
            .as_ref()
            .is_some_and(|when| answer.chosen().iter().any(|v| when.iter().any(|w| w == v)));
        let needed = if triggered { min.max(1) } else { min };
        if count < needed {
            out.push(evidence_missing(item, needed, count));
        }
    }
    out
}

fn evidence_missing(item: &Item, needed: usize, count: usize) -> FieldError {
    FieldError::new(
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
    )
}
