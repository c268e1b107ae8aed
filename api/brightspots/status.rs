//! A bright spot's status and who may move it: pure, over plain values, unit-tested without a
//! server.
//!
//! The unit builds its bright spot: it registers it (`registered`), says it is being built
//! (`building`) and edits it while it is in either state. Only an evaluation in a round (a
//! review) decides `recognised` or `not_achieved`, or sends it back to `building`; a decided
//! bright spot is no longer edited by the unit (what was recognised stays as it was judged),
//! and a later round's review may decide again.

use serde::Serialize;
use utoipa::ToSchema;

use crate::role::Role;

/// Where a bright spot stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = BrightSpotStatus)]
pub enum Status {
    /// Đã đăng ký.
    Registered,
    /// Đang xây dựng.
    Building,
    /// Đã công nhận.
    Recognised,
    /// Không đạt.
    NotAchieved,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Registered,
        Status::Building,
        Status::Recognised,
        Status::NotAchieved,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Building => "building",
            Status::Recognised => "recognised",
            Status::NotAchieved => "not_achieved",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Status::Registered => "Đã đăng ký",
            Status::Building => "Đang xây dựng",
            Status::Recognised => "Đã công nhận",
            Status::NotAchieved => "Không đạt",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The unit still edits it: not decided by a review.
    pub fn editable(self) -> bool {
        matches!(self, Status::Registered | Status::Building)
    }
}

/// What an evaluation in a round concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = BrightSpotResult)]
pub enum ReviewResult {
    /// Công nhận là điểm sáng.
    Recognised,
    /// Không đạt.
    NotAchieved,
    /// Chưa đủ điều kiện: tiếp tục xây dựng.
    Building,
}

impl ReviewResult {
    pub const ALL: [ReviewResult; 3] = [
        ReviewResult::Recognised,
        ReviewResult::NotAchieved,
        ReviewResult::Building,
    ];

    pub fn code(self) -> &'static str {
        self.status().code()
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ReviewResult::Recognised => "Công nhận",
            ReviewResult::NotAchieved => "Không đạt",
            ReviewResult::Building => "Tiếp tục xây dựng",
        }
    }

    pub fn parse(code: &str) -> Option<ReviewResult> {
        ReviewResult::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The bright spot's status after a review with this result.
    pub fn status(self) -> Status {
        match self {
            ReviewResult::Recognised => Status::Recognised,
            ReviewResult::NotAchieved => Status::NotAchieved,
            ReviewResult::Building => Status::Building,
        }
    }
}

/// Why an edit is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Already decided by a review (recognised or not achieved).
    Decided,
    /// The unit asked for a status only a review sets.
    ReviewOnly,
}

/// The status after the unit's (or an administrator's) edit asking for `wanted` (`None`: keep).
pub fn after_edit(current: Status, wanted: Option<Status>) -> Result<Status, Refusal> {
    if !current.editable() {
        return Err(Refusal::Decided);
    }
    match wanted {
        None => Ok(current),
        Some(s) if s.editable() => Ok(s),
        Some(_) => Err(Refusal::ReviewOnly),
    }
}

/// Who registers and edits a unit's bright spots: administrators for any unit, a unit's
/// representative for their own unit; nobody else (leads and inspectors evaluate, viewers
/// read).
pub fn may_edit(role: Role, own_unit: Option<&str>, spot_unit: &str) -> bool {
    match role {
        Role::Admin => true,
        Role::Unit => own_unit == Some(spot_unit),
        Role::Lead | Role::Inspector | Role::Viewer => false,
    }
}

/// Who records a review in a round: administrators, and the lead of a team the unit is
/// assigned to in that round (`assigned_teams`: the teams of the unit's assignments there).
pub fn may_review(role: Role, led_teams: &[String], assigned_teams: &[String]) -> bool {
    match role {
        Role::Admin => true,
        Role::Lead => assigned_teams.iter().any(|t| led_teams.contains(t)),
        Role::Inspector | Role::Viewer | Role::Unit => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
            assert!(!s.label_vi().is_empty());
        }
        for r in ReviewResult::ALL {
            assert_eq!(ReviewResult::parse(r.code()), Some(r));
        }
        assert_eq!(ReviewResult::parse("registered"), None);
        assert_eq!(Status::parse("đã công nhận"), None);
        assert_eq!(
            serde_json::to_value(Status::NotAchieved).unwrap(),
            "not_achieved"
        );
    }

    #[test]
    fn the_unit_edits_until_a_review_decides() {
        use Status::*;
        assert_eq!(after_edit(Registered, None), Ok(Registered));
        assert_eq!(after_edit(Registered, Some(Building)), Ok(Building));
        assert_eq!(after_edit(Building, Some(Registered)), Ok(Registered));
        assert_eq!(
            after_edit(Building, Some(Recognised)),
            Err(Refusal::ReviewOnly)
        );
        assert_eq!(
            after_edit(Registered, Some(NotAchieved)),
            Err(Refusal::ReviewOnly)
        );
        assert_eq!(after_edit(Recognised, None), Err(Refusal::Decided));
        assert_eq!(
            after_edit(NotAchieved, Some(Building)),
            Err(Refusal::Decided)
        );
    }

    #[test]
    fn a_review_sets_the_status() {
        assert_eq!(ReviewResult::Recognised.status(), Status::Recognised);
        assert_eq!(ReviewResult::NotAchieved.status(), Status::NotAchieved);
        // Sent back to building: the unit edits it again.
        assert!(ReviewResult::Building.status().editable());
    }

    #[test]
    fn only_admins_and_the_own_unit_edit() {
        assert!(may_edit(Role::Admin, None, "u1"));
        assert!(may_edit(Role::Unit, Some("u1"), "u1"));
        assert!(!may_edit(Role::Unit, Some("u2"), "u1"));
        assert!(!may_edit(Role::Unit, None, "u1"));
        for r in [Role::Lead, Role::Inspector, Role::Viewer] {
            assert!(!may_edit(r, Some("u1"), "u1"));
        }
    }

    #[test]
    fn only_admins_and_the_leads_of_the_rounds_teams_review() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(may_review(Role::Admin, &[], &[]));
        assert!(may_review(Role::Lead, &t(&["t1"]), &t(&["t2", "t1"])));
        assert!(!may_review(Role::Lead, &t(&["t1"]), &t(&["t2"])));
        assert!(!may_review(Role::Lead, &t(&["t1"]), &[]));
        for r in [Role::Inspector, Role::Viewer, Role::Unit] {
            assert!(!may_review(r, &t(&["t1"]), &t(&["t1"])));
        }
    }
}
