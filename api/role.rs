//! The roles of the plan's people: Sở Nội vụ administrators, team leads (trưởng đoàn),
//! inspectors, committee members who only read, and a unit's own representative, who fills
//! the unit's self-assessment (tự kiểm tra) and sees nothing else.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sở Nội vụ: keeps units, users, teams, templates and rounds.
    Admin,
    /// Trưởng đoàn: reviews the team's inspections and compiles findings.
    Lead,
    /// Fills checklists on site.
    Inspector,
    /// Ban Chỉ đạo member: reads everything, writes nothing.
    Viewer,
    /// A unit's representative: their own unit's self-assessment only (docs/self-assessment.md).
    Unit,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Lead,
        Role::Inspector,
        Role::Viewer,
        Role::Unit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Lead => "lead",
            Role::Inspector => "inspector",
            Role::Viewer => "viewer",
            Role::Unit => "unit",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
