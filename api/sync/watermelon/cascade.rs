//! What a team, round or inspection that left the device takes with it (its assignments,
//! inspections and what they hold, down to remedies, earlier recommendations and
//! self-assessments). WatermelonDB deletes only the records a pull names, so the pull names
//! them, but only rows the caller could read: closing a round must not hand a team-1
//! inspector the ids of team 2's work.
//!
//! Whether the caller could read a row is judged by its change head, which holds the team
//! and round of the row's last change:
//! - administrators and viewers read everything;
//! - otherwise the row's team must be one of the caller's, or, for a team the caller has just
//!   left, the row must have last changed there before they left (so the device can hold it);
//! - inspectors see open rounds only: the row's round must be open, or be the round that
//!   just closed.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::followup;
use crate::db::schema::{assignments, change_heads, inspections as insp, rounds};
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::inspections::service as inspections;
use crate::inspections::store as istore;
use crate::scope::Scope;

/// A team, round or inspection the pull deletes, at its change-log position.
pub(super) struct Tombstone {
    pub entity: String,
    pub id: String,
    pub seq: i64,
}

/// A row's change head: the team and round of its last change, and its position.
struct Head {
    team_id: Option<String>,
    round_id: Option<String>,
    seq: i64,
}

/// The rows that belong to these tombstones and that the caller could read, as (table, id).
pub(super) fn dependents(
    conn: &mut DbConn,
    scope: &Scope,
    tombstones: &[Tombstone],
) -> Result<Vec<(&'static str, String)>, DomainError> {
    let mut out = Vec::new();
    if tombstones.is_empty() {
        return Ok(out);
    }
    let open = open_rounds(conn, scope)?;
    for t in tombstones {
        let may = |h: &Head| may_list(scope, t, &open, h);
        let (assignment_ids, inspection_ids) = holdings(conn, t)?;
        let assignment_ids = readable(conn, "assignment", assignment_ids, &may)?;
        let mut inspection_ids = readable(conn, "inspection", inspection_ids, &may)?;
        out.extend(assignment_ids.into_iter().map(|a| ("assignments", a)));
        out.extend(inspection_ids.iter().map(|i| ("inspections", i.clone())));
        if t.entity == "inspection" {
            inspection_ids.push(t.id.clone());
        }
        for i in &inspection_ids {
            out.extend(contents(conn, i, &may)?);
        }
        out.extend(assignment_rows(conn, t, &may)?);
    }
    Ok(out)
}

fn may_list(scope: &Scope, t: &Tombstone, open: &HashSet<String>, h: &Head) -> bool {
    if scope.sees_all() {
        return true;
    }
    let team = h.team_id.as_deref();
    let team_ok = team.is_some_and(|x| scope.team_ids.iter().any(|m| m == x))
        || (t.entity == "team" && team == Some(t.id.as_str()) && h.seq <= t.seq);
    let round_ok = !scope.open_rounds_only()
        || match h.round_id.as_deref() {
            None => true,
            Some(r) => (t.entity == "round" && r == t.id) || open.contains(r),
        };
    team_ok && round_ok
}

/// Open rounds, for callers who see only those (inspectors); empty for everyone else.
fn open_rounds(conn: &mut DbConn, scope: &Scope) -> Result<HashSet<String>, DomainError> {
    if !scope.open_rounds_only() {
        return Ok(HashSet::new());
    }
    Ok(rounds::table
        .filter(rounds::status.eq("open"))
        .select(rounds::id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// The assignments and inspections of a round or team (none for an inspection).
fn holdings(conn: &mut DbConn, t: &Tombstone) -> Result<(Vec<String>, Vec<String>), DomainError> {
    let id = t.id.as_str();
    Ok(match t.entity.as_str() {
        "round" => (
            assignments::table
                .filter(assignments::round_id.eq(id))
                .select(assignments::id)
                .load(conn)?,
            insp::table
                .filter(insp::round_id.eq(id))
                .select(insp::id)
                .load(conn)?,
        ),
        "team" => (
            assignments::table
                .filter(assignments::team_id.eq(id))
                .select(assignments::id)
                .load(conn)?,
            insp::table
                .filter(insp::team_id.eq(id))
                .select(insp::id)
                .load(conn)?,
        ),
        _ => (Vec::new(), Vec::new()),
    })
}

/// The earlier recommendations and self-assessments of a team's or round's assignments
/// that the caller could read.
fn assignment_rows(
    conn: &mut DbConn,
    t: &Tombstone,
    may: &dyn Fn(&Head) -> bool,
) -> Result<Vec<(&'static str, String)>, DomainError> {
    let keyed = followup::keyed_to(conn, &t.entity, &t.id)?;
    let mut out = Vec::new();
    for (entity, table) in [
        ("earlier_recommendation", "earlier_recommendations"),
        ("self_assessment", "self_assessments"),
    ] {
        let ids = keyed.iter().filter(|(e, _)| e == entity);
        let ids = ids.map(|(_, id)| id.clone()).collect();
        out.extend(
            readable(conn, entity, ids, may)?
                .into_iter()
                .map(|id| (table, id)),
        );
    }
    Ok(out)
}

/// What an inspection holds that the caller could read: answers, recommendations, remedies,
/// comments, evidence.
fn contents(
    conn: &mut DbConn,
    inspection_id: &str,
    may: &dyn Fn(&Head) -> bool,
) -> Result<Vec<(&'static str, String)>, DomainError> {
    let answers = istore::answer_rows(conn, inspection_id)?
        .into_iter()
        .map(|a| inspections::answer_id(inspection_id, &a.item_id))
        .collect();
    let recommendations = istore::recommendations_of(conn, inspection_id)?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let comments = istore::comments_of(conn, inspection_id)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let evidence = crate::media::store::of_inspection(conn, inspection_id)?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let remedies = followup::remedies_of(conn, inspection_id)?;
    let mut out = Vec::new();
    for (entity, table, ids) in [
        ("answer", "answers", answers),
        ("recommendation", "recommendations", recommendations),
        ("remedy", "remedies", remedies),
        ("comment", "comments", comments),
        ("evidence", "evidence", evidence),
    ] {
        out.extend(
            readable(conn, entity, ids, may)?
                .into_iter()
                .map(|id| (table, id)),
        );
    }
    Ok(out)
}

/// Those of `ids` (rows of `entity`) whose change head passes `may`, in order.
fn readable(
    conn: &mut DbConn,
    entity: &str,
    ids: Vec<String>,
    may: &dyn Fn(&Head) -> bool,
) -> Result<Vec<String>, DomainError> {
    let mut heads: HashMap<String, Head> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(db::ROWS_PER_INSERT) {
        let rows: Vec<(String, Option<String>, Option<String>, i64)> = change_heads::table
            .filter(change_heads::entity.eq(entity))
            .filter(change_heads::entity_id.eq_any(chunk))
            .select((
                change_heads::entity_id,
                change_heads::team_id,
                change_heads::round_id,
                change_heads::seq,
            ))
            .load(conn)?;
        heads.extend(rows.into_iter().map(|(id, team_id, round_id, seq)| {
            (
                id,
                Head {
                    team_id,
                    round_id,
                    seq,
                },
            )
        }));
    }
    Ok(ids
        .into_iter()
        .filter(|id| heads.get(id).is_some_and(may))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    fn scope(role: Role, teams: &[&str]) -> Scope {
        Scope {
            role,
            user_id: "u".into(),
            team_ids: teams.iter().map(|t| (*t).to_owned()).collect(),
            led_team_ids: Vec::new(),
            unit_id: None,
        }
    }

    fn tomb(entity: &str, id: &str, seq: i64) -> Tombstone {
        Tombstone {
            entity: entity.into(),
            id: id.into(),
            seq,
        }
    }

    fn head(team: &str, round: &str, seq: i64) -> Head {
        Head {
            team_id: Some(team.into()),
            round_id: Some(round.into()),
            seq,
        }
    }

    #[test]
    fn a_closed_round_takes_only_the_callers_teams_rows() {
        let me = scope(Role::Inspector, &["t1"]);
        let closed = tomb("round", "r1", 50);
        let open = HashSet::new();
        assert!(may_list(&me, &closed, &open, &head("t1", "r1", 40)));
        assert!(!may_list(&me, &closed, &open, &head("t2", "r1", 40)));
        // Another round of the team that is not open: the inspector never saw it.
        assert!(!may_list(&me, &closed, &open, &head("t1", "r0", 40)));
    }

    #[test]
    fn a_team_left_takes_what_it_held_when_the_caller_left() {
        let me = scope(Role::Inspector, &["t2"]);
        let left = tomb("team", "t1", 50);
        let open: HashSet<String> = ["r1".to_owned()].into();
        assert!(may_list(&me, &left, &open, &head("t1", "r1", 50)));
        assert!(!may_list(&me, &left, &open, &head("t1", "r1", 51)));
        assert!(!may_list(&me, &left, &open, &head("t3", "r1", 10)));
    }

    #[test]
    fn readers_of_everything_are_told_everything() {
        let admin = scope(Role::Admin, &[]);
        let t = tomb("inspection", "i", 5);
        assert!(may_list(&admin, &t, &HashSet::new(), &head("t9", "r9", 99)));
        let lead = scope(Role::Lead, &["t1"]);
        assert!(may_list(&lead, &t, &HashSet::new(), &head("t1", "r9", 99)));
        assert!(!may_list(&lead, &t, &HashSet::new(), &head("t2", "r9", 1)));
    }
}
