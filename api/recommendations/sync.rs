//! Earlier recommendations on devices. A device inspecting unit U in round R needs U's
//! recommendations from rounds before R that are not done, though they belong to another
//! round (and maybe another team) the device never syncs. So each one is a row of its own,
//! entity `earlier_recommendation`, id `<assignment id>/<recommendation id>`, keyed by the
//! assignment's team and round: it reaches exactly the people of the assignment, through the
//! ordinary change log, scope rules and scope changes. It is live while the recommendation is
//! not done, and a tombstone once it is. See docs/sync.md.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;

use super::status::earlier;
use super::store::{self, Filter};
use crate::db::schema::{assignments, change_heads, rounds};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::sync::log::{self as changes, Change, Keys};

pub const ENTITY: &str = "earlier_recommendation";

type Assignment = (String, String, String, NaiveDate, NaiveDateTime);

fn assignments_of_unit(conn: &mut DbConn, unit_id: &str) -> QueryResult<Vec<Assignment>> {
    assignments::table
        .inner_join(rounds::table)
        .filter(assignments::unit_id.eq(unit_id))
        .select((
            assignments::id,
            assignments::team_id,
            assignments::round_id,
            rounds::starts_on,
            rounds::created_at,
        ))
        .load(conn)
}

/// Logs the unit's earlier-recommendation rows (only those of recommendation `only`, when
/// given) for every assignment of the unit: after an approval, an assignment, a remedy.
pub fn announce(conn: &mut DbConn, unit_id: &str, only: Option<&str>) -> Result<(), DomainError> {
    let recs = store::located(
        conn,
        &Filter {
            unit_id: Some(unit_id.to_owned()),
            id: only.map(str::to_owned),
            ..Filter::default()
        },
    )?;
    if recs.is_empty() {
        return Ok(());
    }
    let mut rows: Vec<(String, String, String, bool)> = Vec::new();
    for (aid, team, round, starts, created) in assignments_of_unit(conn, unit_id)? {
        for l in recs.iter() {
            if earlier(l.round_key(), (starts, created, &round)) {
                let done = l.rec.follow_up == "done";
                rows.push((
                    format!("{aid}/{}", l.rec.id),
                    team.clone(),
                    round.clone(),
                    done,
                ));
            }
        }
    }
    let list: Vec<Change<'_>> = rows
        .iter()
        .map(|(id, team, round, done)| Change {
            entity: ENTITY,
            entity_id: id,
            keys: Keys {
                team_id: Some(team),
                round_id: Some(round),
            },
            deleted: *done,
        })
        .collect();
    if !list.is_empty() {
        changes::record_many(conn, &list)?;
    }
    Ok(())
}

/// The live earlier-recommendation rows sent for an assignment, as (entity, id): what moves
/// with the assignment when its unit goes to another team (its old team's people drop them).
pub fn rows_of_assignment(
    conn: &mut DbConn,
    assignment_id: &str,
) -> Result<Vec<(String, String)>, DomainError> {
    let ids: Vec<String> = change_heads::table
        .filter(change_heads::entity.eq(ENTITY))
        .filter(change_heads::entity_id.like(format!("{assignment_id}/%")))
        .filter(change_heads::deleted.eq(false))
        .order(change_heads::entity_id.asc())
        .select(change_heads::entity_id)
        .load(conn)?;
    Ok(ids.into_iter().map(|id| (ENTITY.to_owned(), id)).collect())
}

/// Tombstones the earlier-recommendation rows of a removed assignment (`load` has none for
/// it any more): its team's people delete them at their next pull.
pub fn forget_assignment(
    conn: &mut DbConn,
    assignment_id: &str,
    team_id: &str,
    round_id: &str,
) -> Result<(), DomainError> {
    let rows = rows_of_assignment(conn, assignment_id)?;
    let list: Vec<Change<'_>> = rows
        .iter()
        .map(|(_, id)| Change {
            entity: ENTITY,
            entity_id: id,
            keys: Keys {
                team_id: Some(team_id),
                round_id: Some(round_id),
            },
            deleted: true,
        })
        .collect();
    if !list.is_empty() {
        changes::record_many(conn, &list)?;
    }
    Ok(())
}

/// The row's state: the recommendation as the follow-up list shows it, with the assignment
/// it was sent for; `None` (a tombstone) once it is done or the assignment is gone.
pub fn load(conn: &mut DbConn, id: &str) -> Result<Option<Value>, DomainError> {
    let Some((aid, rid)) = id.split_once('/') else {
        return Ok(None);
    };
    let Some((_, _, round, starts, created)) = assignments::table
        .inner_join(rounds::table)
        .filter(assignments::id.eq(aid))
        .select((
            assignments::id,
            assignments::team_id,
            assignments::round_id,
            rounds::starts_on,
            rounds::created_at,
        ))
        .get_result::<Assignment>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let filter = Filter {
        id: Some(rid.to_owned()),
        ..Filter::default()
    };
    let Some(l) = store::located(conn, &filter)?.into_iter().next() else {
        return Ok(None);
    };
    if l.rec.follow_up == "done" || !earlier(l.round_key(), (starts, created, &round)) {
        return Ok(None);
    }
    let item = super::service::items(conn, vec![l])?;
    let mut v = serde_json::to_value(&item[0]).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("recommendation_id".into(), o["id"].clone());
        o.insert("id".into(), Value::from(id));
        o.insert("assignment_id".into(), Value::from(aid));
        o.insert("for_round_id".into(), Value::from(round));
    }
    Ok(Some(v))
}
