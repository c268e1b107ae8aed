//! The self-assessment form's fields read back into answers (pure): one field `muc.<item>`
//! per item (several for multiple choice), and `kad.<item>` for "không áp dụng".

use serde_json::Value;

use crate::templates::model::{Answer, Item, ItemType, Template};

/// The field name of an item's answer.
pub fn field(item_id: &str) -> String {
    format!("muc.{item_id}")
}

/// The field name of an item's "not applicable" box.
pub fn na_field(item_id: &str) -> String {
    format!("kad.{item_id}")
}

fn number(raw: &str) -> Value {
    let raw = raw.trim().replace(',', ".");
    match raw.parse::<f64>() {
        Ok(n) if n.fract() == 0.0 && n.abs() < 1e15 => Value::from(n as i64),
        Ok(n) => Value::from(n),
        // Left as text: the checklist's validation refuses it with its own message.
        Err(_) => Value::String(raw),
    }
}

/// The answer the form gives for `item`: empty fields clear it.
pub fn answer(item: &Item, fields: &[(String, String)]) -> Answer {
    let name = field(&item.id);
    if fields
        .iter()
        .any(|(k, v)| *k == na_field(&item.id) && v == "1")
    {
        return Answer::na();
    }
    let given: Vec<&str> = fields
        .iter()
        .filter(|(k, v)| *k == name && !v.trim().is_empty())
        .map(|(_, v)| v.as_str())
        .collect();
    let value = match (item.kind, given.as_slice()) {
        (_, []) => Value::Null,
        (ItemType::MultiChoice, many) => Value::from(many.to_vec()),
        (ItemType::Number | ItemType::Rating, [one, ..]) => number(one),
        (_, [one, ..]) => Value::String(crate::domain::nfc(one.trim())),
    };
    Answer::value(value)
}

/// The items whose answer the form changes, in the checklist's order (so an item that shows
/// another is saved before it). Photo items have no field.
pub fn changes(
    template: &Template,
    current: &crate::templates::model::Answers,
    fields: &[(String, String)],
) -> Vec<(String, Answer)> {
    template
        .items()
        .filter(|i| i.kind != ItemType::Photo)
        .filter_map(|item| {
            let new = answer(item, fields);
            let old = current.get(&item.id).cloned().unwrap_or_default();
            (new != old).then(|| (item.id.clone(), new))
        })
        .collect()
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
                {"id": "a", "type": "yes_no", "label": "A"},
                {"id": "m", "type": "multi_choice", "label": "M", "options": [
                    {"value": "x", "label": "X"}, {"value": "y", "label": "Y"}]},
                {"id": "n", "type": "number", "label": "N", "allow_na": true},
                {"id": "p", "type": "photo", "label": "P"}
            ]}]
        }))
        .expect("template")
    }

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn reads_each_kind_and_keeps_only_changes() {
        let t = template();
        let current = [("a".to_owned(), Answer::value(json!("yes")))].into();
        let got = changes(
            &t,
            &current,
            &f(&[
                ("muc.a", "yes"),
                ("muc.m", "x"),
                ("muc.m", "y"),
                ("muc.n", "2,5"),
            ]),
        );
        assert_eq!(
            got,
            vec![
                ("m".to_owned(), Answer::value(json!(["x", "y"]))),
                ("n".to_owned(), Answer::value(json!(2.5))),
            ]
        );
    }

    #[test]
    fn clears_and_marks_not_applicable() {
        let t = template();
        let current = [("a".to_owned(), Answer::value(json!("yes")))].into();
        let got = changes(&t, &current, &f(&[("kad.n", "1"), ("muc.n", "3")]));
        assert_eq!(
            got,
            vec![
                ("a".to_owned(), Answer::value(Value::Null)),
                ("n".to_owned(), Answer::na()),
            ]
        );
        assert_eq!(
            answer(t.item("n").unwrap(), &f(&[("muc.n", "4")])).value,
            json!(4)
        );
        assert_eq!(
            answer(t.item("n").unwrap(), &f(&[("muc.n", "bốn")])).value,
            json!("bốn")
        );
    }
}
