//! Round progress: per team and overall, how far the inspections have come against the
//! deadline. Plain functions over plain types.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::templates::answers::check_submission;
use crate::templates::model::{Answers, Template};

/// One assigned unit, as progress sees it.
#[derive(Debug, Clone)]
pub struct UnitProgress {
    pub team_id: String,
    pub team_name: String,
    /// The unit's deadline: its assignment's, else the round's.
    pub due_on: NaiveDate,
    /// The inspection's status; `None` when not started.
    pub status: Option<String>,
    pub open_conflicts: usize,
    pub missing_evidence: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Tally {
    pub assigned: usize,
    pub not_started: usize,
    /// Inspections begun, whatever their state.
    pub started: usize,
    pub draft: usize,
    pub submitted: usize,
    pub returned: usize,
    pub approved: usize,
    /// Not approved although the unit's deadline (its assignment's, else the round's) has
    /// passed.
    pub overdue: usize,
    /// Sync conflicts waiting for the lead.
    pub open_conflicts: usize,
    /// Items whose evidence rule is not met.
    pub missing_evidence: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamProgress {
    pub team_id: String,
    pub team_name: String,
    #[serde(flatten)]
    pub tally: Tally,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Progress {
    pub round_id: String,
    pub due_on: NaiveDate,
    /// The day the figures were taken, on the local calendar (`KIEMTRA_TIMEZONE`).
    pub as_of: NaiveDate,
    /// True once `as_of` is after `due_on`: the deadline is the end of its local day.
    pub past_due: bool,
    pub teams: Vec<TeamProgress>,
    pub overall: Tally,
}

impl Tally {
    fn add(&mut self, u: &UnitProgress, as_of: NaiveDate) {
        let past_due = as_of > u.due_on;
        self.assigned += 1;
        match u.status.as_deref() {
            None => self.not_started += 1,
            Some(s) => {
                self.started += 1;
                match s {
                    "draft" => self.draft += 1,
                    "submitted" => self.submitted += 1,
                    "returned" => self.returned += 1,
                    _ => self.approved += 1,
                }
            }
        }
        if past_due && u.status.as_deref() != Some("approved") {
            self.overdue += 1;
        }
        self.open_conflicts += u.open_conflicts;
        self.missing_evidence += u.missing_evidence;
    }
}

pub fn compile(
    round_id: &str,
    due_on: NaiveDate,
    as_of: NaiveDate,
    units: &[UnitProgress],
) -> Progress {
    // Both are local days, and the due day counts whole: late only from the day after.
    let past_due = as_of > due_on;
    let mut teams: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    let mut overall = Tally::default();
    for u in units {
        teams
            .entry((&u.team_name, &u.team_id))
            .or_default()
            .add(u, as_of);
        overall.add(u, as_of);
    }
    Progress {
        round_id: round_id.to_owned(),
        due_on,
        as_of,
        past_due,
        teams: teams
            .into_iter()
            .map(|((name, id), tally)| TeamProgress {
                team_id: id.to_owned(),
                team_name: name.to_owned(),
                tally,
            })
            .collect(),
        overall,
    }
}

/// Items of an inspection whose evidence rule is unmet with these photo counts.
pub fn missing_evidence(
    template: &Template,
    answers: &Answers,
    photos: &HashMap<String, usize>,
) -> usize {
    check_submission(template, answers, photos)
        .iter()
        .filter(|f| f.code == "evidence_missing")
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::model::Answer;
    use serde_json::json;

    fn u(team: &str, status: Option<&str>, conflicts: usize) -> UnitProgress {
        UnitProgress {
            team_id: team.into(),
            team_name: format!("Đoàn {team}"),
            due_on: day(30),
            status: status.map(Into::into),
            open_conflicts: conflicts,
            missing_evidence: 0,
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn counts_by_team_and_overall() {
        let units = [
            u("1", Some("approved"), 0),
            u("1", Some("submitted"), 2),
            u("2", None, 0),
            u("2", Some("returned"), 0),
            u("2", Some("draft"), 1),
        ];
        let p = compile("r", day(30), day(20), &units);
        assert!(!p.past_due);
        assert_eq!(p.teams.len(), 2);
        assert_eq!(p.teams[0].team_name, "Đoàn 1");
        assert_eq!(p.teams[0].tally.approved, 1);
        assert_eq!(p.teams[0].tally.open_conflicts, 2);
        let t2 = &p.teams[1].tally;
        assert_eq!((t2.assigned, t2.not_started, t2.started), (3, 1, 2));
        assert_eq!((t2.returned, t2.draft), (1, 1));
        assert_eq!(p.overall.assigned, 5);
        assert_eq!(p.overall.overdue, 0);
    }

    #[test]
    fn after_the_deadline_everything_not_approved_is_overdue() {
        let units = [
            u("1", Some("approved"), 0),
            u("1", Some("submitted"), 0),
            u("1", None, 0),
        ];
        let on_the_day = compile("r", day(30), day(30), &units);
        assert_eq!(on_the_day.overall.overdue, 0, "due on the day itself");
        let mut earlier = units.clone();
        for u in &mut earlier {
            u.due_on = day(29);
        }
        let after = compile("r", day(29), day(30), &earlier);
        assert!(after.past_due);
        assert_eq!(after.overall.overdue, 2);
    }

    #[test]
    fn each_unit_is_late_against_its_own_deadline() {
        let mut units = [u("1", None, 0), u("1", Some("draft"), 0), u("2", None, 0)];
        units[0].due_on = day(10);
        units[2].due_on = day(25);
        // The round is due on the 30th: only the unit due on the 10th is overdue on the 20th.
        let p = compile("r", day(30), day(20), &units);
        assert!(!p.past_due);
        assert_eq!(p.overall.overdue, 1);
        assert_eq!(p.teams[0].tally.overdue, 1);
        assert_eq!(p.teams[1].tally.overdue, 0);
    }

    #[test]
    fn evidence_rules_are_counted_from_the_photo_counts() {
        let t: Template = serde_json::from_value(json!({
            "code": "t", "title": "T", "sections": [{"id": "s", "title": "S", "items": [
                {"id": "a", "type": "yes_no", "label": "A", "evidence": {"required_when": ["yes"]}},
                {"id": "b", "type": "yes_no", "label": "B", "evidence": {"required_when": ["yes"]}}]}]
        }))
        .unwrap();
        let answers: Answers = [
            ("a".to_owned(), Answer::value(json!("yes"))),
            ("b".to_owned(), Answer::value(json!("no"))),
        ]
        .into_iter()
        .collect();
        assert_eq!(missing_evidence(&t, &answers, &HashMap::new()), 1);
        let photos = HashMap::from([("a".to_owned(), 1)]);
        assert_eq!(missing_evidence(&t, &answers, &photos), 0);
    }
}
