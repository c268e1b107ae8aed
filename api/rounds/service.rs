//! Round rules: a round uses a published checklist version; dates are ordered; status moves
//! planned → open → closed (and an administrator may reopen a closed round); assignments map
//! each unit to one team, and cannot move once the unit's inspection has left draft. Audited.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use super::store::{self, AssignmentRow, RoundRow};
use crate::audit::{self, Actor};
use crate::db::schema::{assignments, inspections, rounds};
use crate::db::{self, DbConn};
use crate::domain::{DomainError, Faults};
use crate::sync::log::{self as changes, Keys};

pub const KINDS: [&str; 3] = ["half_year", "year", "thematic"];
pub const STATUSES: [&str; 3] = ["planned", "open", "closed"];

#[derive(Debug, Clone)]
pub struct RoundInput {
    pub name: String,
    pub kind: String,
    pub template_version_id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status: String,
}

fn check(conn: &mut DbConn, r: &RoundInput) -> Result<(), DomainError> {
    let mut f = Faults::default();
    f.text("/name", &r.name, 300);
    if !KINDS.contains(&r.kind.as_str()) {
        f.push(
            "/kind",
            "invalid_kind",
            "One of half_year, year, thematic.",
            "Một trong: half_year (sơ kết 6 tháng), year (tổng kết năm), thematic (chuyên đề).",
        );
    }
    if !STATUSES.contains(&r.status.as_str()) {
        f.push(
            "/status",
            "invalid_status",
            "One of planned, open, closed.",
            "Một trong: planned, open, closed.",
        );
    }
    if r.ends_on < r.starts_on {
        f.push(
            "/ends_on",
            "dates_out_of_order",
            "The round ends before it starts.",
            "Ngày kết thúc trước ngày bắt đầu.",
        );
    }
    if r.due_on < r.starts_on {
        f.push(
            "/due_on",
            "dates_out_of_order",
            "Results are due before the round starts.",
            "Hạn báo cáo trước ngày bắt đầu.",
        );
    }
    let published = crate::templates::store::find_version(conn, &r.template_version_id)?
        .is_some_and(|v| v.status == "published");
    if !published {
        f.push(
            "/template_version_id",
            "not_published",
            "Name a published checklist version.",
            "Hãy chọn một phiên bản phiếu kiểm tra đã ban hành.",
        );
    }
    f.finish()
}

fn snapshot(r: &RoundRow) -> serde_json::Value {
    serde_json::to_value(r).unwrap_or_default()
}

pub fn create(conn: &mut DbConn, actor: &Actor, r: &RoundInput) -> Result<RoundRow, DomainError> {
    check(conn, r)?;
    let (id, now) = (db::new_id(), db::now());
    diesel::insert_into(rounds::table)
        .values((
            rounds::id.eq(&id),
            rounds::name.eq(r.name.trim()),
            rounds::kind.eq(&r.kind),
            rounds::template_version_id.eq(&r.template_version_id),
            rounds::starts_on.eq(r.starts_on),
            rounds::ends_on.eq(r.ends_on),
            rounds::due_on.eq(r.due_on),
            rounds::status.eq(&r.status),
            rounds::version.eq(1),
            rounds::created_at.eq(now),
            rounds::updated_at.eq(now),
        ))
        .execute(conn)?;
    let row = store::find(conn, &id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "round",
        &id,
        None,
        Some(&snapshot(&row)),
    )?;
    changes::record(
        conn,
        "round",
        &id,
        Keys {
            team_id: None,
            round_id: Some(&id),
        },
        false,
    )?;
    Ok(row)
}

pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    cur: &RoundRow,
    r: &RoundInput,
    expected_version: Option<i64>,
) -> Result<RoundRow, DomainError> {
    DomainError::check_version(expected_version, cur.version)?;
    check(conn, r)?;
    if r.template_version_id != cur.template_version_id {
        let started: i64 = inspections::table
            .filter(inspections::round_id.eq(&cur.id))
            .count()
            .get_result(conn)?;
        if started > 0 {
            return Err(DomainError::conflict(
                "round_in_progress",
                "Inspections have started; the checklist version can no longer change.",
                "Đã có phiếu kiểm tra được lập; không thể đổi phiên bản phiếu.",
            ));
        }
    }
    let allowed = cur.status == r.status
        || matches!(
            (cur.status.as_str(), r.status.as_str()),
            ("planned", "open") | ("open", "closed") | ("closed", "open")
        );
    if !allowed {
        return Err(DomainError::conflict(
            "invalid_round_status",
            format!("A round cannot go from {} to {}.", cur.status, r.status),
            format!(
                "Đợt kiểm tra không thể chuyển từ {} sang {}.",
                cur.status, r.status
            ),
        ));
    }
    diesel::update(rounds::table.find(&cur.id))
        .set((
            rounds::name.eq(r.name.trim()),
            rounds::kind.eq(&r.kind),
            rounds::template_version_id.eq(&r.template_version_id),
            rounds::starts_on.eq(r.starts_on),
            rounds::ends_on.eq(r.ends_on),
            rounds::due_on.eq(r.due_on),
            rounds::status.eq(&r.status),
            rounds::version.eq(cur.version + 1),
            rounds::updated_at.eq(db::now()),
        ))
        .execute(conn)?;
    let row = store::find(conn, &cur.id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "update",
        "round",
        &cur.id,
        Some(&snapshot(cur)),
        Some(&snapshot(&row)),
    )?;
    changes::record(
        conn,
        "round",
        &cur.id,
        Keys {
            team_id: None,
            round_id: Some(&cur.id),
        },
        false,
    )?;
    if cur.status == "open" && row.status != "open" {
        // Inspectors see open rounds only: theirs leaves their devices, with all it holds.
        let inspectors = inspectors_of_round(conn, &cur.id)?;
        changes::exit(conn, &inspectors, "round", &cur.id)?;
    }
    Ok(row)
}

/// Assigns each unit to a team in this round (creating or moving the assignment).
pub fn assign(
    conn: &mut DbConn,
    actor: &Actor,
    round_id: &str,
    pairs: &[(String, String)],
) -> Result<Vec<AssignmentRow>, DomainError> {
    store::find(conn, round_id)?.ok_or(DomainError::NotFound)?;
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
    f.finish()?;
    let now = db::now();
    for (unit, team) in pairs {
        match store::assignment(conn, round_id, unit)? {
            Some(a) if &a.team_id == team => {}
            Some(a) => {
                let moved_inspection: Option<(String, String)> = inspections::table
                    .filter(inspections::round_id.eq(round_id))
                    .filter(inspections::unit_id.eq(unit))
                    .select((inspections::id, inspections::status))
                    .first(conn)
                    .optional()?;
                if let Some((iid, status)) = &moved_inspection {
                    if status != "draft" {
                        return Err(DomainError::conflict("assignment_locked", "The unit's inspection has been submitted; it cannot move to another team.", "Phiếu kiểm tra của đơn vị đã được gửi; không thể chuyển sang đoàn khác."));
                    }
                    diesel::update(inspections::table.find(iid))
                        .set((
                            inspections::team_id.eq(team),
                            inspections::version.eq(inspections::version + 1),
                            inspections::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                }
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
                    Some(&json!({"unit_id": unit, "team_id": a.team_id})),
                    Some(&json!({"unit_id": unit, "team_id": team})),
                )?;
                changes::record(
                    conn,
                    "assignment",
                    &a.id,
                    Keys {
                        team_id: Some(team),
                        round_id: Some(round_id),
                    },
                    false,
                )?;
                // The old team's people lose the unit's work in this round.
                let old_people = changes::people_of_team(conn, &a.team_id)?;
                changes::exit(conn, &old_people, "assignment", &a.id)?;
                leave_round_if_done(conn, round_id, &a.team_id, &old_people)?;
                if let Some((iid, _)) = &moved_inspection {
                    changes::record(
                        conn,
                        "inspection",
                        iid,
                        Keys {
                            team_id: Some(team),
                            round_id: Some(round_id),
                        },
                        false,
                    )?;
                    changes::exit(conn, &old_people, "inspection", iid)?;
                }
            }
            None => {
                let id = db::new_id();
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
            }
        }
    }
    Ok(store::assignments_of(conn, round_id)?)
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
    // If that was the team's last unit in the round, the round leaves its people's scope
    // (and with it this assignment's tombstone, which they could no longer see).
    let people = changes::people_of_team(conn, &a.team_id)?;
    leave_round_if_done(conn, round_id, &a.team_id, &people)?;
    Ok(())
}

/// Inspectors of the teams assigned in a round: the people who see it only while it is open.
fn inspectors_of_round(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<String>> {
    use crate::db::schema::users;
    let mut teams: Vec<String> = assignments::table
        .filter(assignments::round_id.eq(round_id))
        .select(assignments::team_id)
        .load(conn)?;
    teams.sort();
    teams.dedup();
    let mut people = Vec::new();
    for t in teams {
        people.extend(changes::people_of_team(conn, &t)?);
    }
    people.sort();
    people.dedup();
    let inspectors: Vec<String> = users::table
        .filter(users::id.eq_any(people))
        .filter(users::role.eq("inspector"))
        .select(users::id)
        .load(conn)?;
    Ok(inspectors)
}

/// When a team has no unit left in a round, the round leaves its people's scope.
fn leave_round_if_done(
    conn: &mut DbConn,
    round_id: &str,
    team_id: &str,
    people: &[String],
) -> QueryResult<()> {
    let left: i64 = assignments::table
        .filter(assignments::round_id.eq(round_id))
        .filter(assignments::team_id.eq(team_id))
        .count()
        .get_result(conn)?;
    if left == 0 {
        changes::exit(conn, people, "round", round_id)?;
    }
    Ok(())
}
