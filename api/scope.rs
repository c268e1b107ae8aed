//! Who may see and do what, per caller: the one place the scope rules live.
//!
//! - administrators see and do everything;
//! - viewers (Ban Chỉ đạo) read everything and write nothing;
//! - leads see the rounds, assignments and inspections of the teams they lead or belong to,
//!   and review (return, approve) those of the teams they lead;
//! - inspectors see and fill the inspections of units assigned to their teams in open rounds,
//!   and nothing else;
//! - a unit's representative (`Role::Unit`) sees none of it: no team, round, inspection or
//!   report. Their one area, the unit's self-assessment, checks `Scope::unit_id` itself
//!   (selfcheck/), and every other surface is closed to them twice: `CurrentUser` and
//!   `WebUser` refuse them outside that area, and the rules below answer "no" for them.

use crate::auth::CurrentUser;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::workflow::Standing;
use crate::role::Role;

#[derive(Debug, Clone)]
pub struct Scope {
    pub role: Role,
    pub user_id: String,
    /// Teams the caller leads or belongs to.
    pub team_ids: Vec<String>,
    /// Teams the caller leads.
    pub led_team_ids: Vec<String>,
    /// The unit a unit's representative speaks for (`Role::Unit` only).
    pub unit_id: Option<String>,
}

impl Scope {
    pub fn load(conn: &mut DbConn, me: &CurrentUser) -> Result<Scope, DomainError> {
        Scope::for_user(conn, me.id(), me.role)
    }

    pub fn for_user(conn: &mut DbConn, user_id: &str, role: Role) -> Result<Scope, DomainError> {
        use crate::db::schema::teams as t;
        use crate::db::schema::users as u;
        use diesel::prelude::*;
        if role == Role::Unit {
            // Fail closed: a unit's representative has no team, whatever the tables say.
            let unit_id = u::table
                .find(user_id)
                .select(u::unit_id)
                .first::<Option<String>>(conn)
                .optional()?
                .flatten();
            return Ok(Scope {
                role,
                user_id: user_id.to_owned(),
                team_ids: Vec::new(),
                led_team_ids: Vec::new(),
                unit_id,
            });
        }
        // The teams led, then those of which the user is a member: two statements on every
        // authenticated sync request, not three (`teams::team_ids_of` reads the led ones too).
        let led_team_ids: Vec<String> = t::table
            .filter(t::lead_id.eq(user_id))
            .select(t::id)
            .load(conn)?;
        let mut team_ids: Vec<String> = crate::db::schema::team_members::table
            .filter(crate::db::schema::team_members::user_id.eq(user_id))
            .select(crate::db::schema::team_members::team_id)
            .load(conn)?;
        team_ids.extend(led_team_ids.iter().cloned());
        team_ids.sort();
        team_ids.dedup();
        Ok(Scope {
            role,
            user_id: user_id.to_owned(),
            team_ids,
            led_team_ids,
            unit_id: None,
        })
    }

    /// Reads everything (administrators, viewers).
    pub fn sees_all(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Viewer)
    }

    /// Only open rounds are visible (inspectors).
    pub fn open_rounds_only(&self) -> bool {
        self.role == Role::Inspector
    }

    /// The caller's standing towards work of `team_id`, if any. Viewers have none: they
    /// only read.
    pub fn standing(&self, team_id: &str) -> Option<Standing> {
        match self.role {
            Role::Admin => Some(Standing::Admin),
            Role::Viewer | Role::Unit => None,
            _ if self.led_team_ids.iter().any(|t| t == team_id) => Some(Standing::Lead),
            _ if self.team_ids.iter().any(|t| t == team_id) => Some(Standing::Member),
            _ => None,
        }
    }

    /// May the caller see work of `team_id` in a round with `round_status`?
    pub fn sees(&self, team_id: &str, round_status: &str) -> bool {
        if self.sees_all() {
            return true;
        }
        if self.role == Role::Unit {
            return false;
        }
        if !self.team_ids.iter().any(|t| t == team_id) {
            return false;
        }
        !self.open_rounds_only() || round_status == "open"
    }
}
