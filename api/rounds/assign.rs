//! Assignments of units to teams in a round: made, moved and removed, with the sync scope of
//! everyone involved kept right (see `sync::scope_change`). A unit whose inspection has left
//! draft cannot move.

use diesel::prelude::*;
use serde_json::json;

use super::store::{self, AssignmentRow};
use crate::audit::{self, Actor};
use crate::db::schema::{assignments, inspections};
use crate::db::{self, DbConn};
use crate::domain::{DomainError, Faults};
use crate::sync::log::{self as changes, Keys};
use crate::sync::scope_change::{self, Watch};

fn check(conn: &mut DbConn, pairs: &[(String, String)]) -> Result<(), DomainError> {
    let mut f = Faults::default();
    for (i, (unit, team)) in pairs.iter().enumerate() {
        if crate::units::store::find(conn, unit)?.is_none() {
            f.push(
                &format!("/assignments/{i}/unit_id"),
                "unknown_unit",
                "No such unit.",
                "Không có đơn vị này.",
            );
        }
        if crate::teams::store::find(conn, team)?.is_none() {
            f.push(
                &format!("/assignments/{i}/team_id"),
                "unknown_team",
                "No such team.",
                "Không có đoàn kiểm tra này.",
            );
        }
    }
    f.finish()
}

/// Assigns each unit to a team in this round (creating or moving the assignment).
pub fn assign(
    conn: &mut DbConn,
    actor: &Actor,
    round_id: &str,
    pairs: &[(String, String)],
) -> Result<Vec<AssignmentRow>, DomainError> {
    store::find(conn, round_id)?.ok_or(DomainError::NotFound)?;
    check(conn, pairs)?;
    // Everyone whose reach may change: the round's teams now, and the teams units go to.
    let people = super::service::people_of_round(conn, round_id)?;
    let mut watch = Watch::begin(conn, &people)?;
    for (_, team) in pairs {
        let people = changes::people_of_team(conn, team)?;
        watch.add(conn, &people)?;
    }
    for (unit, team) in pairs {
        match store::assignment(conn, round_id, unit)? {
            Some(a) if &a.team_id == team => {}
            Some(a) => move_unit(conn, actor, &a, team)?,
            None => create(conn, actor, round_id, unit, team)?,
        }
    }
    for (unit, _) in pairs {
        crate::recommendations::sync::announce(conn, unit, None)?;
        crate::selfcheck::sync::announce(conn, round_id, unit)?;
    }
    watch.finish(conn)?;
    Ok(store::assignments_of(conn, round_id)?)
}

fn create(
    conn: &mut DbConn,
    actor: &Actor,
    round_id: &str,
    unit: &str,
    team: &str,
) -> Result<(), DomainError> {
    let id = db::new_id();
    let now = db::now();
    diesel::insert_into(assignments::table)
        .values((
            assignments::id.eq(&id),
            assignments::round_id.eq(round_id),
            assignments::unit_id.eq(unit),
            assignments::team_id.eq(team),
            assignments::version.eq(1),
            assignments::created_at.eq(now),
            assignments::updated_at.eq(now),
        ))
        .execute(conn)?;
    audit::append(
        conn,
        actor,
        "create",
        "assignment",
        &id,
        None,
        Some(&json!({"round_id": round_id, "unit_id": unit, "team_id": team})),
    )?;
    changes::record(
        conn,
        "assignment",
        &id,
        Keys {
            team_id: Some(team),
            round_id: Some(round_id),
        },
        false,
    )?;
    Ok(())
}

/// Moves a unit's assignment (and its draft inspection, with all it holds) to another team.
/// The old team's people get tombstones for every row of it; the new team's get the rows.
fn move_unit(
    conn: &mut DbConn,
    actor: &Actor,
    a: &AssignmentRow,
    team: &str,
) -> Result<(), DomainError> {
    let moved: Option<(String, String)> = inspections::table
        .filter(inspections::round_id.eq(&a.round_id))
        .filter(inspections::unit_id.eq(&a.unit_id))
        .select((inspections::id, inspections::status))
        .first(conn)
        .optional()?;
    if let Some((_, status)) = &moved {
        if status != "draft" {
            return Err(DomainError::conflict(
                "assignment_locked",
                "The unit's inspection has been submitted; it cannot move to another team.",
                "Phiếu kiểm tra của đơn vị đã được gửi; không thể chuyển sang đoàn khác.",
            ));
        }
    }
    let now = db::now();
    diesel::update(assignments::table.find(&a.id))
        .set((
            assignments::team_id.eq(team),
            assignments::version.eq(a.version + 1),
            assignments::updated_at.eq(now),
        ))
        .execute(conn)?;
    audit::append(
        conn,
        actor,
        "reassign",
        "assignment",
        &a.id,
        Some(&json!({"unit_id": a.unit_id, "team_id": a.team_id})),
        Some(&json!({"unit_id": a.unit_id, "team_id": team})),
    )?;
    // The old team's people lose the unit's work, unless they are in the new team too.
    let new_people = changes::people_of_team(conn, team)?;
    let old_people: Vec<String> = changes::people_of_team(conn, &a.team_id)?
        .into_iter()
        .filter(|p| !new_people.contains(p))
        .collect();
    let mut rows = vec![("assignment".to_owned(), a.id.clone())];
    if let Some((iid, _)) = &moved {
        diesel::update(inspections::table.find(iid))
            .set((
                inspections::team_id.eq(team),
                inspections::version.eq(inspections::version + 1),
                inspections::updated_at.eq(now),
            ))
            .execute(conn)?;
        rows.extend(scope_change::rows_of_inspection(conn, iid)?);
        scope_change::retag_conflicts(conn, iid, team)?;
    }
    rows.extend(crate::selfcheck::sync::rows_of(
        conn,
        &a.round_id,
        &a.unit_id,
    )?);
    rows.extend(crate::recommendations::sync::rows_of_assignment(
        conn, &a.id,
    )?);
    let keys = Keys {
        team_id: Some(team),
        round_id: Some(&a.round_id),
    };
    scope_change::rekey(conn, &rows, keys)?;
    changes::exit_many(conn, &old_people, &rows)?;
    Ok(())
}

pub fn unassign(
    conn: &mut DbConn,
    actor: &Actor,
    round_id: &str,
    unit_id: &str,
) -> Result<(), DomainError> {
    let a = store::assignment(conn, round_id, unit_id)?.ok_or(DomainError::NotFound)?;
    let started: i64 = inspections::table
        .filter(inspections::round_id.eq(round_id))
        .filter(inspections::unit_id.eq(unit_id))
        .count()
        .get_result(conn)?;
    if started > 0 {
        return Err(DomainError::conflict(
            "assignment_locked",
            "The unit's inspection has started; the assignment cannot be removed.",
            "Đơn vị đã có phiếu kiểm tra; không thể bỏ phân công.",
        ));
    }
    let people = changes::people_of_team(conn, &a.team_id)?;
    let watch = Watch::begin(conn, &people)?;
    diesel::delete(assignments::table.find(&a.id)).execute(conn)?;
    audit::append(
        conn,
        actor,
        "delete",
        "assignment",
        &a.id,
        Some(&json!({"round_id": round_id, "unit_id": unit_id, "team_id": a.team_id})),
        None,
    )?;
    changes::record(
        conn,
        "assignment",
        &a.id,
        Keys {
            team_id: Some(&a.team_id),
            round_id: Some(round_id),
        },
        true,
    )?;
    crate::selfcheck::sync::announce(conn, round_id, unit_id)?;
    crate::recommendations::sync::forget_assignment(conn, &a.id, &a.team_id, round_id)?;
    // If that was the team's last unit in the round, the round leaves its people's scope.
    watch.finish(conn)?;
    Ok(())
}

/// Sets (or, with `None`, clears) the unit's own deadline in this round; the round's `due_on`
/// counts when it has none. `version`, when given, must be the assignment's current one.
pub fn set_due(
    conn: &mut DbConn,
    actor: &Actor,
    round_id: &str,
    unit_id: &str,
    due_on: Option<chrono::NaiveDate>,
    version: Option<i64>,
) -> Result<AssignmentRow, DomainError> {
    let round = store::find(conn, round_id)?.ok_or(DomainError::NotFound)?;
    let a = store::assignment(conn, round_id, unit_id)?.ok_or(DomainError::NotFound)?;
    DomainError::check_version(version, a.version)?;
    if due_on.is_some_and(|d| d < round.starts_on) {
        return Err(DomainError::invalid(
            "/due_on",
            "due_before_start",
            "The deadline is before the round starts.",
            "Hạn hoàn thành trước ngày bắt đầu đợt kiểm tra.",
        ));
    }
    if a.due_on == due_on {
        return Ok(a);
    }
    diesel::update(assignments::table.find(&a.id))
        .set((
            assignments::due_on.eq(due_on),
            assignments::version.eq(a.version + 1),
            assignments::updated_at.eq(db::now()),
        ))
        .execute(conn)?;
    audit::append(
        conn,
        actor,
        "update",
        "assignment",
        &a.id,
        Some(&json!({"due_on": a.due_on})),
        Some(&json!({"due_on": due_on})),
    )?;
    changes::record(
        conn,
        "assignment",
        &a.id,
        Keys {
            team_id: Some(&a.team_id),
            round_id: Some(round_id),
        },
        false,
    )?;
    store::assignment(conn, round_id, unit_id)?.ok_or(DomainError::NotFound)
}
