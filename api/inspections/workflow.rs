//! The review state machine of an inspection (phiếu kiểm tra):
//!
//! ```text
//! draft ──submit──▶ submitted ──approve──▶ approved (read-only)
//!                     │   ▲
//!              return │   │ submit
//!                     ▼   │
//!                   returned
//! ```
//!
//! Inspectors of the assigned team fill and submit; only the team's lead (or an
//! administrator) returns, with a reason, or approves. Answers can change only in `draft` and
//! `returned`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    Returned,
    Approved,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Draft,
            Status::Submitted,
            Status::Returned,
            Status::Approved,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }
}

/// The Vietnamese words a person reads for a status code the API returns (`not_started`
/// too: a unit with no inspection yet), as reports and the evidence archive print them.
pub fn status_label(code: &str) -> &'static str {
    match code {
        "not_started" => "Chưa kiểm tra",
        "draft" => "Đang kiểm tra",
        "submitted" => "Chờ duyệt",
        "returned" => "Trả lại để bổ sung",
        "approved" => "Đã duyệt",
        _ => "Không rõ",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    Return,
    Approve,
}

/// The caller's standing towards one inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Inspector (member) of the assigned team.
    Member,
    /// Lead of the assigned team.
    Lead,
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The action does not apply in this state.
    InvalidTransition { from: Status, action: Action },
    /// The caller may not take this action.
    NotAllowed,
    /// Returning needs a reason.
    ReasonRequired,
}

/// The state after `action`, or why not.
pub fn transition(
    from: Status,
    action: Action,
    who: Standing,
    reason: Option<&str>,
) -> Result<Status, Refusal> {
    let to = match (from, action) {
        (Status::Draft | Status::Returned, Action::Submit) => Status::Submitted,
        (Status::Submitted, Action::Return) => Status::Returned,
        (Status::Submitted, Action::Approve) => Status::Approved,
        _ => return Err(Refusal::InvalidTransition { from, action }),
    };
    let allowed = match action {
        Action::Submit => true,
        Action::Return | Action::Approve => matches!(who, Standing::Lead | Standing::Admin),
    };
    if !allowed {
        return Err(Refusal::NotAllowed);
    }
    if action == Action::Return && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(Refusal::ReasonRequired);
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Standing::*;
    use Status::*;

    #[test]
    fn the_happy_path_and_a_return() {
        assert_eq!(transition(Draft, Submit, Member, None), Ok(Submitted));
        assert_eq!(
            transition(Submitted, Return, Lead, Some("Thiếu ảnh")),
            Ok(Returned)
        );
        assert_eq!(transition(Returned, Submit, Member, None), Ok(Submitted));
        assert_eq!(transition(Submitted, Approve, Admin, None), Ok(Approved));
    }

    #[test]
    fn refusals() {
        assert_eq!(
            transition(Submitted, Approve, Member, None),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            transition(Submitted, Return, Member, Some("x")),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            transition(Submitted, Return, Lead, Some("  ")),
            Err(Refusal::ReasonRequired)
        );
        assert_eq!(
            transition(Approved, Submit, Admin, None),
            Err(Refusal::InvalidTransition {
                from: Approved,
                action: Submit
            })
        );
        assert_eq!(
            transition(Draft, Approve, Lead, None),
            Err(Refusal::InvalidTransition {
                from: Draft,
                action: Approve
            })
        );
        assert_eq!(
            transition(Returned, Return, Lead, Some("x")),
            Err(Refusal::InvalidTransition {
                from: Returned,
                action: Return
            })
        );
        assert!(
            !Approved.editable()
                && !Submitted.editable()
                && Draft.editable()
                && Returned.editable()
        );
    }
}
