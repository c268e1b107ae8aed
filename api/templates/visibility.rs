//! Conditional visibility: an item with `visible_if` is shown only when the item it names is
//! itself shown and answered with one of the named values. Conditions may only point at
//! earlier items (checked when the template is validated), so evaluation is one pass in order.

use std::collections::HashMap;

use super::model::{Answers, Template};

/// Which items are visible under these answers, by id.
pub fn visible_items(template: &Template, answers: &Answers) -> HashMap<String, bool> {
    let mut visible: HashMap<String, bool> = HashMap::new();
    for item in template.items() {
        let shown = match &item.visible_if {
            None => true,
            Some(cond) => {
                visible.get(&cond.item).copied().unwrap_or(false)
                    && answers.get(&cond.item).is_some_and(|a| {
                        !a.na && a.chosen().iter().any(|v| cond.values().contains(v))
                    })
            }
        };
        visible.insert(item.id.clone(), shown);
    }
    visible
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::model::Answer;
    use serde_json::json;

    fn template() -> Template {
        serde_json::from_value(json!({
            "code": "t", "title": "T",
            "sections": [{"id": "s", "title": "S", "items": [
                {"id": "a", "type": "yes_no", "label": "A"},
                {"id": "b", "type": "multi_choice", "label": "B", "options": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}], "visible_if": {"item": "a", "equals": "yes"}},
                {"id": "c", "type": "text", "label": "C", "visible_if": {"item": "b", "in": ["y"]}}
            ]}]
        }))
        .unwrap()
    }

    #[test]
    fn conditions_chain() {
        let t = template();
        let mut ans = Answers::new();
        let v = visible_items(&t, &ans);
        assert!(v["a"] && !v["b"] && !v["c"]);
        ans.insert("a".into(), Answer::value(json!("yes")));
        ans.insert("b".into(), Answer::value(json!(["x", "y"])));
        let v = visible_items(&t, &ans);
        assert!(v["b"] && v["c"]);
        // Hiding b hides c too, even though b's answer is still stored.
        ans.insert("a".into(), Answer::value(json!("no")));
        let v = visible_items(&t, &ans);
        assert!(!v["b"] && !v["c"]);
        ans.insert("a".into(), Answer::na());
        assert!(!visible_items(&t, &ans)["b"]);
    }
}
