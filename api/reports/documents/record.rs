//! What a biên bản kiểm tra prints, read from one inspection: the team and the unit, when and
//! where they met, who sat on each side, the answers by section, the findings and the
//! recommendations. Read with the same scope as `GET /inspections/{id}`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use super::issuer::{DocKind, Issuer, Letterhead};
use super::nd30::{self, Plan};
use super::service;
use crate::db::schema::units;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::service as inspections;
use crate::inspections::store as rows;
use crate::reports::answer_sheet::{self, AnswerLine};
use crate::reports::summary::{InspectionInput, UnitInput};
use crate::rounds::store as rounds;
use crate::scope::Scope;
use crate::templates::scoring::ItemStatus;

/// A person at the meeting, as the inspection records them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Person {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordRecommendation {
    pub content: String,
    /// The person or body named in words, else the responsible unit's name.
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
}

/// Everything a biên bản prints. `None` fields print dotted lines to be filled by hand.
#[derive(Debug, Clone)]
pub struct Record {
    pub letterhead: Letterhead,
    pub unit_name: String,
    pub round_name: String,
    pub plan: Plan,
    pub place: Option<String>,
    /// Local time (Asia/Ho_Chi_Minh).
    pub held_at: Option<NaiveDateTime>,
    pub members: Option<Vec<Person>>,
    pub attendees: Option<Vec<Person>>,
    /// The answers, in checklist order, with their section.
    pub answers: Vec<AnswerLine>,
    pub score: Option<f64>,
    pub band_label: Option<String>,
    pub strengths: Option<String>,
    pub shortcomings: Option<String>,
    pub causes: Option<String>,
    pub recommendations: Vec<RecordRecommendation>,
    /// Whose scoring scheme the points and band are (the template's `scoring.note`).
    pub scheme_note: String,
    /// `draft`, `submitted`, `returned` or `approved`.
    pub status: String,
}

/// A stored JSON list of people; anything unreadable or empty is "not recorded".
pub fn people(raw: Option<&str>) -> Option<Vec<Person>> {
    let list: Vec<Person> = serde_json::from_str(raw?).ok()?;
    let list: Vec<Person> = list
        .into_iter()
        .filter(|p| !p.name.trim().is_empty() || !p.title.trim().is_empty())
        .collect();
    (!list.is_empty()).then_some(list)
}

fn unit_name(conn: &mut DbConn, id: &str) -> QueryResult<Option<String>> {
    units::table
        .find(id)
        .select(units::name)
        .first(conn)
        .optional()
}

/// The inspection's kiến nghị, each with the person or body named in words, else its unit.
fn recommendations_of(
    conn: &mut DbConn,
    inspection_id: &str,
) -> QueryResult<Vec<RecordRecommendation>> {
    let mut out = Vec::new();
    for r in rows::recommendations_of(conn, inspection_id)? {
        let named = r.responsible.clone().filter(|s| !s.trim().is_empty());
        let responsible = match (named, &r.responsible_unit_id) {
            (Some(n), _) => Some(n),
            (None, Some(u)) => unit_name(conn, u)?,
            (None, None) => None,
        };
        out.push(RecordRecommendation {
            content: r.content,
            responsible,
            due_on: r.due_on,
        });
    }
    Ok(out)
}

/// The biên bản of inspection `id`, if the caller may see it.
pub fn load(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    id: &str,
    today: NaiveDate,
) -> Result<Record, DomainError> {
    let row = match scope {
        Some(s) => inspections::visible(conn, s, id)?.0,
        None => rows::find(conn, id)?.ok_or(DomainError::NotFound)?,
    };
    let round = rounds::find(conn, &row.round_id)?.ok_or(DomainError::NotFound)?;
    let issuer = Issuer::Team(row.team_id.clone());
    let letterhead = service::letterhead(conn, &row.round_id, &issuer, DocKind::Record, today)?;
    let unit = unit_name(conn, &row.unit_id)?.unwrap_or_default();
    let template = inspections::template_of(conn, &row)?;
    let (answers, scored) = inspections::report(conn, &row)?;
    // Items the answers hid (a follow-up to a "no" answered "yes") have no line.
    let hidden: Vec<&str> = scored
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Hidden)
        .map(|i| i.item_id.as_str())
        .collect();
    let input = UnitInput {
        unit_id: row.unit_id.clone(),
        code: String::new(),
        name: unit.clone(),
        kind: String::new(),
        team_id: row.team_id.clone(),
        team_name: String::new(),
        due_on: None,
        inspection: Some(InspectionInput {
            id: row.id.clone(),
            status: row.status.clone(),
            score: row.score,
            band: row.band.clone(),
            strengths: None,
            shortcomings: None,
            causes: None,
            submitted_at: None,
            approved_at: None,
            items: scored.items.clone(),
        }),
    };
    let recommendations = recommendations_of(conn, &row.id)?;
    Ok(Record {
        letterhead,
        unit_name: unit,
        round_name: round.name.clone(),
        plan: Plan {
            number: round.plan_number.clone(),
            date: round.plan_date,
        },
        place: row.place.clone().filter(|p| !p.trim().is_empty()),
        held_at: row.held_at.map(nd30::local),
        members: people(row.members.as_deref()),
        attendees: people(row.attendees.as_deref()),
        answers: answer_sheet::lines(&template, &input, &answers)
            .into_iter()
            .filter(|l| !hidden.contains(&l.item_id.as_str()))
            .collect(),
        score: scored.score,
        scheme_note: scored
            .scheme_note
            .clone()
            .unwrap_or_else(|| crate::templates::model::DEFAULT_SCHEME_NOTE.to_owned()),
        band_label: scored.band.map(|b| b.label),
        strengths: row.strengths.clone(),
        shortcomings: row.shortcomings.clone(),
        causes: row.causes.clone(),
        recommendations,
        status: row.status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_read_leniently() {
        assert_eq!(people(None), None);
        assert_eq!(people(Some("not json")), None);
        assert_eq!(people(Some("[]")), None);
        let p = people(Some(
            r#"[{"name":"Nguyễn Văn An","title":"Trưởng đoàn"},{"name":" "}]"#,
        ));
        assert_eq!(
            p,
            Some(vec![Person {
                name: "Nguyễn Văn An".into(),
                title: "Trưởng đoàn".into()
            }])
        );
    }
}
