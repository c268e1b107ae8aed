//! Every answer of the approved inspections, one line per unit and item, as the exports print
//! it: the words a reader understands, plus the number or date underneath for a spreadsheet.

use chrono::NaiveDate;
use serde_json::Value;

use super::summary::UnitInput;
use crate::templates::model::{Answers, Item, ItemType, Template};
use crate::templates::scoring::ItemStatus;

#[derive(Debug, Clone, PartialEq)]
pub struct AnswerLine {
    pub unit_code: String,
    pub unit_name: String,
    pub team_name: String,
    pub section: String,
    pub item_id: String,
    pub item_label: String,
    /// The answer in words ("Có", an option's label, the text …); empty when unanswered.
    pub answer: String,
    pub number: Option<f64>,
    pub date: Option<NaiveDate>,
    /// Points earned and possible, for items that counted.
    pub points: Option<f64>,
    pub max_points: Option<f64>,
}

fn label_of<'a>(item: &'a Item, value: &'a str) -> &'a str {
    item.options()
        .iter()
        .find(|o| o.value == value)
        .map_or(value, |o| o.label.as_str())
}

/// A value in words, as people read it in the report and on the review page: option labels,
/// "Có"/"Không", dd/mm/yyyy, a rating out of its scale, decimal commas; empty when none.
pub fn words(item: &Item, value: &Value) -> String {
    match (item.kind, value) {
        (_, Value::Null) => String::new(),
        (ItemType::YesNo, Value::String(s)) => match s.as_str() {
            "yes" => "Có".into(),
            "no" => "Không".into(),
            other => other.into(),
        },
        (ItemType::YesNo, Value::Bool(b)) => if *b { "Có" } else { "Không" }.into(),
        (ItemType::SingleChoice, Value::String(s)) => label_of(item, s).into(),
        (ItemType::MultiChoice, Value::Array(vs)) => vs
            .iter()
            .filter_map(Value::as_str)
            .map(|v| label_of(item, v))
            .collect::<Vec<_>>()
            .join("; "),
        (ItemType::Date, Value::String(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_or(s.clone(), |d| d.format("%d/%m/%Y").to_string()),
        (ItemType::Rating, Value::Number(n)) => match &item.scale {
            Some(scale) => format!("{n}/{}", scale.max),
            None => n.to_string(),
        },
        (_, Value::Number(n)) => n
            .as_f64()
            .map_or_else(|| n.to_string(), super::labels::score),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

/// The lines of one approved unit, in checklist order; photo items have no value to print.
pub fn lines(template: &Template, unit: &UnitInput, answers: &Answers) -> Vec<AnswerLine> {
    let Some(inspection) = &unit.inspection else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for section in &template.sections {
        for item in section.items.iter().filter(|i| i.kind != ItemType::Photo) {
            let answer = answers.get(&item.id);
            let scored = inspection.items.iter().find(|s| s.item_id == item.id);
            let counted =
                scored.filter(|s| matches!(s.status, ItemStatus::Scored | ItemStatus::Unanswered));
            let value = answer.map_or(&Value::Null, |a| &a.value);
            out.push(AnswerLine {
                unit_code: unit.code.clone(),
                unit_name: unit.name.clone(),
                team_name: unit.team_name.clone(),
                section: section.title.clone(),
                item_id: item.id.clone(),
                item_label: item.label.clone(),
                answer: if answer.is_some_and(|a| a.na) {
                    "Không áp dụng".into()
                } else {
                    words(item, value)
                },
                number: matches!(item.kind, ItemType::Number | ItemType::Rating)
                    .then(|| value.as_f64())
                    .flatten(),
                date: (item.kind == ItemType::Date)
                    .then(|| value.as_str())
                    .flatten()
                    .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()),
                points: counted.map(|s| s.points),
                max_points: counted.map(|s| s.max_points),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::summary::InspectionInput;
    use crate::templates::model::Answer;
    use crate::templates::scoring::score;
    use serde_json::json;

    #[test]
    fn answers_are_printed_in_words_with_numbers_and_dates_kept() {
        let t: Template = serde_json::from_value(json!({
            "code": "t", "title": "T", "sections": [{"id": "s", "title": "Phần 1", "items": [
                {"id": "a", "type": "yes_no", "label": "A", "max_points": 10},
                {"id": "b", "type": "single_choice", "label": "B", "options": [{"value": "full", "label": "Đầy đủ", "points": 5}]},
                {"id": "d", "type": "date", "label": "Ngày gửi"},
                {"id": "n", "type": "number", "label": "Số cuộc"},
                {"id": "f", "type": "yes_no", "label": "F", "max_points": 10, "allow_na": true},
                {"id": "p", "type": "photo", "label": "Ảnh"}]}]
        }))
        .unwrap();
        let a: Answers = [
            ("a", Answer::value(json!("yes"))),
            ("b", Answer::value(json!("full"))),
            ("d", Answer::value(json!("2026-03-09"))),
            ("n", Answer::value(json!(12))),
            ("f", Answer::na()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let unit = UnitInput {
            unit_id: "u".into(),
            code: "XA".into(),
            name: "Xã Nghi Lộc".into(),
            kind: "commune".into(),
            team_id: "t".into(),
            team_name: "Đoàn 1".into(),
            due_on: None,
            inspection: Some(InspectionInput {
                id: "i".into(),
                status: "approved".into(),
                score: None,
                band: None,
                strengths: None,
                shortcomings: None,
                causes: None,
                submitted_at: None,
                approved_at: None,
                items: score(&t, &a).items,
            }),
        };
        let l = lines(&t, &unit, &a);
        assert_eq!(l.len(), 5, "the photo item has no line");
        let by = |id: &str| l.iter().find(|x| x.item_id == id).unwrap();
        assert_eq!(by("a").answer, "Có");
        assert_eq!(
            (by("a").points, by("a").max_points),
            (Some(10.0), Some(10.0))
        );
        assert_eq!(by("b").answer, "Đầy đủ");
        assert_eq!(by("d").answer, "09/03/2026");
        assert_eq!(by("d").date, NaiveDate::from_ymd_opt(2026, 3, 9));
        assert_eq!(by("n").number, Some(12.0));
        assert_eq!(by("f").answer, "Không áp dụng");
        assert_eq!(by("f").points, None, "not applicable: not counted");
    }
}
