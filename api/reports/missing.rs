//! What is still owed in a round, unit by unit, for the committee's reminders (đôn đốc): not
//! started; in progress (a draft, or returned) past the deadline; submitted but short of
//! evidence; waiting for approval past the deadline. Plain functions over the dashboard's rows,
//! so the list, the dashboard and the reports agree.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::board::{Board, BoardRow};

/// Why a unit is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No inspection yet.
    NotStarted,
    /// A draft or a returned inspection, and the deadline has passed.
    InProgressPastDue,
    /// Submitted, but an item's evidence rule is not met.
    SubmittedShortOfEvidence,
    /// Submitted and not yet approved, and the deadline has passed.
    AwaitingApprovalPastDue,
}

impl Reason {
    /// What a reminder says, in Vietnamese.
    pub fn vi(self) -> &'static str {
        match self {
            Reason::NotStarted => "Chưa bắt đầu kiểm tra",
            Reason::InProgressPastDue => "Đang kiểm tra, đã quá hạn",
            Reason::SubmittedShortOfEvidence => "Đã nộp nhưng còn thiếu minh chứng",
            Reason::AwaitingApprovalPastDue => "Chờ duyệt, đã quá hạn",
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MissingUnit {
    pub unit_id: String,
    pub code: String,
    pub name: String,
    pub team_id: String,
    pub team_name: String,
    /// `not_started`, or the inspection's status.
    pub status: String,
    pub inspection_id: Option<String>,
    /// The unit's deadline: its assignment's own, else the round's.
    pub due_on: NaiveDate,
    /// Items whose evidence rule is not met.
    pub missing_evidence: usize,
    /// Every reason that applies, most pressing first.
    pub reasons: Vec<Reason>,
    /// The reasons in Vietnamese, for a reminder's text.
    pub reasons_vi: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Missing {
    pub round_id: String,
    /// The round's deadline; a unit may have its own (`units[].due_on`).
    pub due_on: NaiveDate,
    /// The day of the figures, local (`KIEMTRA_TIMEZONE`).
    pub as_of: NaiveDate,
    /// The round's deadline has passed.
    pub past_due: bool,
    /// Units that owe something, in the report's order; units with nothing owed are left out.
    pub units: Vec<MissingUnit>,
}

/// Why `row` is still owed, if it is.
pub fn reasons(row: &BoardRow, past_due: bool) -> Vec<Reason> {
    let mut out = Vec::new();
    match row.unit.status.as_str() {
        "not_started" => out.push(Reason::NotStarted),
        "draft" | "returned" if past_due => out.push(Reason::InProgressPastDue),
        "submitted" => {
            if past_due {
                out.push(Reason::AwaitingApprovalPastDue);
            }
            if row.missing_evidence > 0 {
                out.push(Reason::SubmittedShortOfEvidence);
            }
        }
        _ => {}
    }
    out
}

pub fn compile(board: &Board) -> Missing {
    let p = &board.progress;
    let units = board
        .rows
        .iter()
        .filter_map(|r| {
            let reasons = reasons(r, p.as_of > r.unit.due_on);
            (!reasons.is_empty()).then(|| MissingUnit {
                unit_id: r.unit.unit_id.clone(),
                code: r.unit.code.clone(),
                name: r.unit.name.clone(),
                team_id: r.unit.team_id.clone(),
                team_name: r.unit.team_name.clone(),
                status: r.unit.status.clone(),
                inspection_id: r.inspection_id.clone(),
                due_on: r.unit.due_on,
                missing_evidence: r.missing_evidence,
                reasons_vi: reasons.iter().map(|x| x.vi()).collect(),
                reasons,
            })
        })
        .collect();
    Missing {
        round_id: p.round_id.clone(),
        due_on: p.due_on,
        as_of: p.as_of,
        past_due: p.past_due,
        units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::summary::UnitResult;

    fn row(status: &str, missing_evidence: usize) -> BoardRow {
        BoardRow {
            unit: UnitResult {
                unit_id: "u".into(),
                code: "U".into(),
                name: "Xã".into(),
                kind: "commune".into(),
                team_id: "t".into(),
                team_name: "Đoàn".into(),
                status: status.into(),
                counted: status == "approved",
                score: None,
                band: None,
                band_label: None,
                submitted_at: None,
                due_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                submitted_late: false,
                approved_at: None,
                approved_late: false,
            },
            inspection_id: None,
            provisional_score: None,
            missing_evidence,
            open_conflicts: 0,
            overdue: false,
            last: None,
        }
    }

    #[test]
    fn each_state_owes_what_the_plan_chases() {
        use Reason::*;
        assert_eq!(reasons(&row("not_started", 0), false), [NotStarted]);
        assert!(reasons(&row("draft", 0), false).is_empty(), "not late yet");
        assert_eq!(reasons(&row("draft", 0), true), [InProgressPastDue]);
        assert_eq!(reasons(&row("returned", 2), true), [InProgressPastDue]);
        assert_eq!(
            reasons(&row("submitted", 1), false),
            [SubmittedShortOfEvidence]
        );
        assert_eq!(
            reasons(&row("submitted", 1), true),
            [AwaitingApprovalPastDue, SubmittedShortOfEvidence]
        );
        assert!(reasons(&row("approved", 0), true).is_empty());
    }
}
