//! Team rules: the lead must be a lead (or administrator) account, members must exist and be
//! active, and a team with assignments cannot be deleted. Audited.

use diesel::prelude::*;

use super::store::{self, TeamRow, TeamView};
use crate::audit::{self, Actor};
use crate::db::schema::assignments;
use crate::db::{self, DbConn};
use crate::domain::{DomainError, Faults};
use crate::role::Role;
use crate::sync::log::{self as changes, Keys};
use crate::sync::scope_change::Watch;
use crate::users::store as users;

pub struct TeamInput {
    pub name: String,
    pub lead_id: String,
    pub member_ids: Vec<String>,
}

fn check(conn: &mut DbConn, input: &TeamInput) -> Result<Vec<String>, DomainError> {
    let mut faults = Faults::default();
    faults.text("/name", &input.name, 200);
    match users::find_by_id(conn, &input.lead_id)? {
        Some(u) if !u.disabled && matches!(u.role(), Role::Lead | Role::Admin) => {}
        _ => faults.push(
            "/lead_id",
            "invalid_lead",
            "The lead must be an active user with the lead (or admin) role.",
            "Trưởng đoàn phải là người dùng đang hoạt động có vai trò trưởng đoàn (hoặc quản trị).",
        ),
    }
    let mut members = input.member_ids.clone();
    members.sort();
    members.dedup();
    for (i, m) in members.iter().enumerate() {
        match users::find_by_id(conn, m)? {
            Some(u) if !u.disabled && !matches!(u.role(), Role::Viewer | Role::Unit) => {}
            _ => faults.push(&format!("/member_ids/{i}"), "invalid_member", "Members must be active users who inspect (not viewers).", "Thành viên phải là người dùng đang hoạt động tham gia kiểm tra (không phải người xem)."),
        }
    }
    faults.finish()?;
    Ok(members)
}

fn snapshot(v: &TeamView) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: &TeamInput,
) -> Result<TeamView, DomainError> {
    let members = check(conn, input)?;
    let id = db::new_id();
    let watch = Watch::begin(conn, &people_of(input, &members))?;
    store::insert(
        conn,
        &id,
        &crate::domain::nfc(input.name.trim()),
        &input.lead_id,
    )?;
    store::set_members(conn, &id, &members)?;
    let row = store::find(conn, &id)?.ok_or(DomainError::NotFound)?;
    let view = store::view(conn, &row)?;
    audit::append(
        conn,
        actor,
        "create",
        "team",
        &id,
        None,
        Some(&snapshot(&view)),
    )?;
    changes::record(
        conn,
        "team",
        &id,
        Keys {
            team_id: Some(&id),
            round_id: None,
        },
        false,
    )?;
    watch.finish(conn)?;
    Ok(view)
}

/// The lead and members an input names.
fn people_of(input: &TeamInput, members: &[String]) -> Vec<String> {
    let mut people = members.to_vec();
    people.push(input.lead_id.clone());
    people
}

pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    row: &TeamRow,
    input: &TeamInput,
    expected_version: Option<i64>,
) -> Result<TeamView, DomainError> {
    DomainError::check_version(expected_version, row.version)?;
    let members = check(conn, input)?;
    let before = store::view(conn, row)?;
    // Whoever leaves the team leaves its work; whoever joins gets all of it on the next pull.
    let people = changes::people_of_team(conn, &row.id)?;
    let mut watch = Watch::begin(conn, &people)?;
    watch.add(conn, &people_of(input, &members))?;
    store::update(
        conn,
        row,
        &crate::domain::nfc(input.name.trim()),
        &input.lead_id,
    )?;
    store::set_members(conn, &row.id, &members)?;
    let new = store::find(conn, &row.id)?.ok_or(DomainError::NotFound)?;
    let view = store::view(conn, &new)?;
    audit::append(
        conn,
        actor,
        "update",
        "team",
        &row.id,
        Some(&snapshot(&before)),
        Some(&snapshot(&view)),
    )?;
    changes::record(
        conn,
        "team",
        &row.id,
        Keys {
            team_id: Some(&row.id),
            round_id: None,
        },
        false,
    )?;
    watch.finish(conn)?;
    Ok(view)
}

pub fn delete(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<(), DomainError> {
    let row = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    let assigned: i64 = assignments::table
        .filter(assignments::team_id.eq(id))
        .count()
        .get_result(conn)?;
    if assigned > 0 {
        return Err(DomainError::conflict(
            "team_in_use",
            "The team has assignments in a round; reassign them first.",
            "Đoàn đang được phân công trong đợt kiểm tra; hãy phân công lại trước.",
        ));
    }
    let before = store::view(conn, &row)?;
    let people = changes::people_of_team(conn, id)?;
    let watch = Watch::begin(conn, &people)?;
    store::set_members(conn, id, &[])?;
    store::delete(conn, id)?;
    audit::append(
        conn,
        actor,
        "delete",
        "team",
        id,
        Some(&snapshot(&before)),
        None,
    )?;
    changes::record(
        conn,
        "team",
        id,
        Keys {
            team_id: Some(id),
            round_id: None,
        },
        true,
    )?;
    watch.finish(conn)?;
    Ok(())
}
