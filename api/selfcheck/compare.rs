//! The unit's self-assessment beside the inspection, item by item (pure).
//!
//! An item differs when both sides gave an answer (a value or "not applicable") and the
//! answers are not the same. An item one side left blank does not differ: there is nothing to
//! compare, and the row shows the blank. Photo items have no value and are left out.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::templates::model::{Answer, Answers, ItemType, Template};
use crate::templates::scoring::score;

/// One checklist item, as the unit and as the team answered it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemComparison {
    pub item_id: String,
    pub label: String,
    /// The unit's answer (`{"value": …}` or `{"na": true}`), `null` when it gave none.
    #[schema(value_type = Option<Object>)]
    pub self_value: Option<Value>,
    /// The inspection's answer, in the same form.
    #[schema(value_type = Option<Object>)]
    pub inspected_value: Option<Value>,
    pub differs: bool,
}

/// Both sides of every item, and both scores.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = SelfAssessmentComparison)]
pub struct Comparison {
    /// Whether the unit has submitted its self-assessment; before that, every `self_value`
    /// is `null` and the self-score too.
    pub submitted: bool,
    pub self_score: Option<f64>,
    pub inspected_score: Option<f64>,
    /// How many items differ.
    pub differing: usize,
    pub items: Vec<ItemComparison>,
}

fn shown(a: Option<&Answer>) -> Option<Value> {
    let a = a.filter(|a| a.na || a.is_answered())?;
    serde_json::to_value(a).ok()
}

/// An answer in a form where equal answers are equal values: choices as a sorted set,
/// numbers as floats.
fn normal(a: &Answer) -> Value {
    if a.na {
        return Value::String("\u{0}na".into());
    }
    match &a.value {
        Value::Array(items) => {
            let mut v: Vec<String> = items.iter().map(Value::to_string).collect();
            v.sort();
            v.dedup();
            Value::from(v)
        }
        Value::Number(n) => n.as_f64().map_or(Value::Null, Value::from),
        Value::String(s) => Value::String(s.trim().to_owned()),
        other => other.clone(),
    }
}

fn given(a: Option<&Answer>) -> Option<&Answer> {
    a.filter(|a| a.na || a.is_answered())
}

/// Compares the unit's answers (`mine`, `None` before it submitted) with the inspection's.
pub fn compare(template: &Template, mine: Option<&Answers>, inspected: &Answers) -> Comparison {
    let empty = Answers::new();
    let own = mine.unwrap_or(&empty);
    let items: Vec<ItemComparison> = template
        .items()
        .filter(|i| i.kind != ItemType::Photo)
        .map(|item| {
            let (s, t) = (given(own.get(&item.id)), given(inspected.get(&item.id)));
            let differs = matches!((s, t), (Some(a), Some(b)) if normal(a) != normal(b));
            ItemComparison {
                item_id: item.id.clone(),
                label: item.label.clone(),
                self_value: shown(s),
                inspected_value: shown(t),
                differs,
            }
        })
        .collect();
    Comparison {
        submitted: mine.is_some(),
        self_score: mine.and_then(|m| score(template, m).score),
        inspected_score: score(template, inspected).score,
        differing: items.iter().filter(|i| i.differs).count(),
        items,
    }
}

/// A label cut to `max` characters (with an ellipsis), for the report's list of differences.
pub fn short_label(label: &str, max: usize) -> String {
    let label = label.trim();
    if label.chars().count() <= max {
        return label.to_owned();
    }
    let cut: String = label.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template() -> Template {
        serde_json::from_value(json!({
            "code": "t", "title": "T",
            "scoring": {"max_score": 100, "bands": [{"code": "tot", "label": "Tốt", "min": 0}]},
            "sections": [{"id": "s", "title": "S", "items": [
                {"id": "a", "type": "yes_no", "label": "Có chương trình?", "max_points": 10},
                {"id": "m", "type": "multi_choice", "label": "Hình thức", "options": [
                    {"value": "x", "label": "X"}, {"value": "y", "label": "Y"}]},
                {"id": "n", "type": "number", "label": "Số cuộc"},
                {"id": "p", "type": "photo", "label": "Ảnh"}
            ]}]
        }))
        .expect("template")
    }

    fn answers(v: Value) -> Answers {
        serde_json::from_value(v).expect("answers")
    }

    #[test]
    fn differs_only_where_both_answered_and_unequal() {
        let t = template();
        let mine =
            answers(json!({"a": {"value": "yes"}, "m": {"value": ["y", "x"]}, "n": {"value": 3}}));
        let seen = answers(json!({"a": {"value": "no"}, "m": {"value": ["x", "y"]}}));
        let c = compare(&t, Some(&mine), &seen);
        let by = |id: &str| c.items.iter().find(|i| i.item_id == id).expect(id);
        assert!(by("a").differs);
        assert!(!by("m").differs, "the same choices in another order");
        assert!(!by("n").differs, "the team left it blank");
        assert_eq!(by("n").inspected_value, None);
        assert_eq!(c.differing, 1);
        assert!(
            c.items.iter().all(|i| i.item_id != "p"),
            "photos have no value"
        );
        assert_eq!(c.self_score, Some(100.0));
        assert_eq!(c.inspected_score, Some(0.0));
    }

    #[test]
    fn not_applicable_differs_from_a_value() {
        let t = template();
        let mine = answers(json!({"n": {"na": true}}));
        let seen = answers(json!({"n": {"value": 2.0}}));
        assert_eq!(compare(&t, Some(&mine), &seen).differing, 1);
        let same = answers(json!({"n": {"value": 2}}));
        assert_eq!(compare(&t, Some(&same), &seen).differing, 0, "2 and 2.0");
    }

    #[test]
    fn before_submission_nothing_differs() {
        let t = template();
        let seen = answers(json!({"a": {"value": "no"}}));
        let c = compare(&t, None, &seen);
        assert!(!c.submitted);
        assert_eq!((c.differing, c.self_score), (0, None));
    }

    #[test]
    fn short_labels() {
        assert_eq!(short_label("Ngắn", 10), "Ngắn");
        assert_eq!(short_label("Một nhãn rất dài", 8), "Một nhã…");
    }
}
