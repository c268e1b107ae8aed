//! Scope changes as events of the change log, in both directions.
//!
//! A user's reach is the teams they belong to and the rounds they see (for inspectors, open
//! rounds only). Whatever changes it (team membership or lead, a round opened or closed, a
//! unit assigned or moved) is wrapped in [`Watch::begin`] … [`Watch::finish`], which compares
//! each affected user's reach before and after, in the same transaction:
//!
//! - a team or round that left the reach becomes a per-user tombstone (`scope_exits`), which
//!   the device applies to everything that hangs on it;
//! - a team or round that entered it becomes a per-user *scope entry* (`scope_entries`), and
//!   the user's next incremental pull re-sends every live row of it they may now see, at the
//!   entry's position (see `pull`), whatever that row's own head says.
//!
//! Comparing reaches rather than listing cases by hand is the point: every operation that
//! changes scope gets both directions right by construction.

use std::collections::BTreeSet;

use diesel::prelude::*;

use super::log;
use crate::db::schema::{conflicts, users};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::role::Role;
use crate::scope::Scope;

/// What one user may see of team-bound work: `None` for roles that see everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reach {
    pub teams: BTreeSet<String>,
    pub rounds: BTreeSet<String>,
}

impl Reach {
    pub fn of(conn: &mut DbConn, user_id: &str) -> Result<Option<Reach>, DomainError> {
        let role: Option<String> = users::table
            .find(user_id)
            .select(users::role)
            .get_result(conn)
            .optional()?;
        let Some(role) = role.as_deref().and_then(Role::parse) else {
            return Ok(None);
        };
        let scope = Scope::for_user(conn, user_id, role)?;
        if scope.sees_all() {
            return Ok(None);
        }
        let rounds = super::pull::visible_rounds(conn, &scope)?;
        Ok(Some(Reach {
            teams: scope.team_ids.into_iter().collect(),
            rounds: rounds.into_iter().collect(),
        }))
    }
}

/// The part of a reach that differs between two moments.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delta {
    pub lost_teams: Vec<String>,
    pub lost_rounds: Vec<String>,
    pub gained_teams: Vec<String>,
    pub gained_rounds: Vec<String>,
}

/// Pure: what left and what entered.
pub fn delta(before: &Reach, after: &Reach) -> Delta {
    let minus = |a: &BTreeSet<String>, b: &BTreeSet<String>| a.difference(b).cloned().collect();
    Delta {
        lost_teams: minus(&before.teams, &after.teams),
        lost_rounds: minus(&before.rounds, &after.rounds),
        gained_teams: minus(&after.teams, &before.teams),
        gained_rounds: minus(&after.rounds, &before.rounds),
    }
}

/// The reaches of some users, taken before a change.
pub struct Watch {
    before: Vec<(String, Option<Reach>)>,
}

impl Watch {
    pub fn begin(conn: &mut DbConn, user_ids: &[String]) -> Result<Watch, DomainError> {
        let mut w = Watch { before: Vec::new() };
        w.add(conn, user_ids)?;
        Ok(w)
    }

    /// Adds users whose reach may change too (e.g. a team's new members).
    pub fn add(&mut self, conn: &mut DbConn, user_ids: &[String]) -> Result<(), DomainError> {
        for id in user_ids {
            if !self.before.iter().any(|(u, _)| u == id) {
                let reach = Reach::of(conn, id)?;
                self.before.push((id.clone(), reach));
            }
        }
        Ok(())
    }

    /// Records, for each watched user, what left (tombstones) and what entered (entries).
    pub fn finish(self, conn: &mut DbConn) -> Result<(), DomainError> {
        for (user, before) in self.before {
            let after = Reach::of(conn, &user)?;
            let d = match (&before, &after) {
                (Some(b), Some(a)) => delta(b, a),
                // From seeing everything to a reach (or the reverse): what is outside the
                // narrower reach is not this user's to keep; a fresh pull is the safe path,
                // and the role change that causes it signs the user in again anyway.
                _ => continue,
            };
            for t in &d.lost_teams {
                log::exit(conn, std::slice::from_ref(&user), "team", t)?;
            }
            for r in &d.lost_rounds {
                log::exit(conn, std::slice::from_ref(&user), "round", r)?;
            }
            let entries: Vec<(Option<&str>, Option<&str>)> = d
                .gained_teams
                .iter()
                .map(|t| (Some(t.as_str()), None))
                .chain(d.gained_rounds.iter().map(|r| (None, Some(r.as_str()))))
                .collect();
            enter(conn, &user, &entries)?;
        }
        Ok(())
    }
}

/// Records that rows keyed (team, round) entered `user`'s scope, at one new position.
pub fn enter(
    conn: &mut DbConn,
    user: &str,
    keys: &[(Option<&str>, Option<&str>)],
) -> Result<(), DomainError> {
    Ok(log::enter(conn, user, keys)?)
}

/// Every row that hangs on an inspection, itself included, as (entity, id).
pub fn rows_of_inspection(
    conn: &mut DbConn,
    inspection_id: &str,
) -> Result<Vec<(String, String)>, DomainError> {
    use crate::inspections::{service, store};
    let mut rows = vec![("inspection".to_owned(), inspection_id.to_owned())];
    for a in store::answer_rows(conn, inspection_id)? {
        rows.push((
            "answer".into(),
            service::answer_id(inspection_id, &a.item_id),
        ));
    }
    for r in store::recommendations_of(conn, inspection_id)? {
        rows.push(("recommendation".into(), r.id));
    }
    for c in store::comments_of(conn, inspection_id)? {
        rows.push(("comment".into(), c.id));
    }
    for e in crate::media::store::of_inspection(conn, inspection_id)? {
        rows.push(("evidence".into(), e.id));
    }
    let conflicts: Vec<String> = conflicts::table
        .filter(conflicts::inspection_id.eq(inspection_id))
        .select(conflicts::id)
        .load(conn)?;
    rows.extend(conflicts.into_iter().map(|c| ("conflict".to_owned(), c)));
    Ok(rows)
}

/// Conflict records carry their team for scoping: they move with their inspection.
pub fn retag_conflicts(
    conn: &mut DbConn,
    inspection_id: &str,
    team_id: &str,
) -> Result<(), DomainError> {
    diesel::update(conflicts::table.filter(conflicts::inspection_id.eq(inspection_id)))
        .set(conflicts::team_id.eq(team_id))
        .execute(conn)?;
    Ok(())
}

/// Moves these rows' heads to new positions under new scope keys: whoever now sees them gets
/// them on the next pull; whoever saw them under the old keys no longer does.
pub fn rekey(
    conn: &mut DbConn,
    rows: &[(String, String)],
    keys: log::Keys<'_>,
) -> Result<(), DomainError> {
    let changes: Vec<log::Change<'_>> = rows
        .iter()
        .map(|(entity, id)| log::Change {
            entity,
            entity_id: id,
            keys,
            deleted: false,
        })
        .collect();
    if !changes.is_empty() {
        log::record_many(conn, &changes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reach(teams: &[&str], rounds: &[&str]) -> Reach {
        Reach {
            teams: teams.iter().map(|s| s.to_string()).collect(),
            rounds: rounds.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_delta_names_what_left_and_what_entered() {
        let d = delta(
            &reach(&["a", "b"], &["r1"]),
            &reach(&["b", "c"], &["r1", "r2"]),
        );
        assert_eq!(d.lost_teams, vec!["a"]);
        assert_eq!(d.gained_teams, vec!["c"]);
        assert!(d.lost_rounds.is_empty());
        assert_eq!(d.gained_rounds, vec!["r2"]);
        assert_eq!(
            delta(&reach(&["a"], &["r"]), &reach(&["a"], &["r"])),
            Delta::default()
        );
    }
}
