//! The submission gate: required visible items answered, evidence rules met.

use std::collections::HashMap;

use crate::error::{FieldError, Text};
use crate::templates::model::{Answer, Answers, ItemType, Template};
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
