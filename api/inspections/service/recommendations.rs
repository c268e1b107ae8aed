//! Recommendations (kiến nghị): what the unit must do, by whom, by when, and their follow-up.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::{bump, editable, keys, status_of, visible_for_write, writer};
use crate::audit::{self, Actor};
use crate::db::schema::recommendations;
use crate::db::{self, DbConn};
use crate::domain::{nfc, nfc_opt, DomainError, Faults};
use crate::inspections::store::{self, InspectionRow, RecommendationRow};
use crate::inspections::workflow::Standing;
use crate::scope::Scope;
use crate::sync::log as changes;

pub struct RecommendationInput {
    pub content: Option<String>,
    pub responsible_unit_id: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub follow_up: Option<String>,
}

const FOLLOW_UP: [&str; 3] = ["open", "in_progress", "done"];

fn check_recommendation(
    conn: &mut DbConn,
    r: &RecommendationInput,
    creating: bool,
) -> Result<(), DomainError> {
    let mut f = Faults::default();
    if creating || r.content.is_some() {
        f.text("/content", r.content.as_deref().unwrap_or(""), 10_000);
    }
    if let Some(u) = &r.responsible_unit_id {
        if crate::units::store::find(conn, u)?.is_none() {
            f.push(
                "/responsible_unit_id",
                "unknown_unit",
                "No such unit.",
                "Không có đơn vị này.",
            );
        }
    }
    if r.follow_up
        .as_ref()
        .is_some_and(|s| !FOLLOW_UP.contains(&s.as_str()))
    {
        f.push(
            "/follow_up",
            "invalid_follow_up",
            "One of open, in_progress, done.",
            "Một trong: open, in_progress, done.",
        );
    }
    f.finish()
}

/// Adds a recommendation (kiến nghị) while the inspection is editable. Idempotent by id.
pub fn add_recommendation(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    inspection_id: &str,
    id: &str,
    r: &RecommendationInput,
) -> Result<RecommendationRow, DomainError> {
    let (row, round_status) = visible_for_write(conn, scope, inspection_id)?;
    writer(scope, &row, &round_status)?;
    if let Some(existing) = store::find_recommendation(conn, id)? {
        return if existing.inspection_id == inspection_id {
            Ok(existing)
        } else {
            Err(DomainError::id_taken())
        };
    }
    editable(&row)?;
    check_recommendation(conn, r, true)?;
    insert(conn, actor, &row, id, r, &scope.user_id)
}

/// Writes a new recommendation row, after the caller's checks.
pub(crate) fn insert(
    conn: &mut DbConn,
    actor: &Actor,
    row: &InspectionRow,
    id: &str,
    r: &RecommendationInput,
    created_by: &str,
) -> Result<RecommendationRow, DomainError> {
    let now = db::now();
    diesel::insert_into(recommendations::table)
        .values((
            recommendations::id.eq(id),
            recommendations::inspection_id.eq(&row.id),
            recommendations::content.eq(nfc(r.content.as_deref().unwrap_or("").trim())),
            recommendations::responsible_unit_id.eq(&r.responsible_unit_id),
            recommendations::responsible.eq(nfc_opt(r.responsible.as_deref().map(str::trim))),
            recommendations::due_on.eq(r.due_on),
            recommendations::follow_up.eq(r.follow_up.as_deref().unwrap_or("open")),
            recommendations::version.eq(1),
            recommendations::created_by.eq(created_by),
            recommendations::created_at.eq(now),
            recommendations::updated_at.eq(now),
        ))
        .execute(conn)?;
    bump(conn, row, None)?;
    let rec = store::find_recommendation(conn, id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "recommendation",
        id,
        None,
        Some(&serde_json::to_value(&rec).unwrap_or_default()),
    )?;
    changes::record(conn, "recommendation", id, keys(row), false)?;
    Ok(rec)
}

/// Changes a recommendation. Its content only while the inspection is editable; its
/// follow-up status at any time, by the team's lead or an administrator (follow-up happens
/// after approval).
pub fn update_recommendation(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    r: &RecommendationInput,
    expected_version: Option<i64>,
) -> Result<RecommendationRow, DomainError> {
    let rec = store::find_recommendation(conn, id)?.ok_or(DomainError::NotFound)?;
    let (row, round_status) = visible_for_write(conn, scope, &rec.inspection_id)?;
    let standing = writer(scope, &row, &round_status)?;
    DomainError::check_version(expected_version, rec.version)?;
    let only_follow_up = r.content.is_none()
        && r.responsible_unit_id.is_none()
        && r.responsible.is_none()
        && r.due_on.is_none();
    if only_follow_up {
        if standing == Standing::Member && !status_of(&row).editable() {
            return Err(DomainError::Forbidden);
        }
    } else {
        editable(&row)?;
    }
    check_recommendation(conn, r, false)?;
    diesel::update(recommendations::table.find(id))
        .set((
            recommendations::content.eq(r
                .content
                .as_deref()
                .map(|c| nfc(c.trim()))
                .unwrap_or(rec.content.clone())),
            recommendations::responsible_unit_id.eq(r
                .responsible_unit_id
                .clone()
                .or(rec.responsible_unit_id.clone())),
            recommendations::responsible
                .eq(nfc_opt(r.responsible.as_deref().map(str::trim)).or(rec.responsible.clone())),
            recommendations::due_on.eq(r.due_on.or(rec.due_on)),
            recommendations::follow_up.eq(r.follow_up.as_deref().unwrap_or(&rec.follow_up)),
            recommendations::version.eq(rec.version + 1),
            recommendations::updated_at.eq(db::now()),
        ))
        .execute(conn)?;
    let new = store::find_recommendation(conn, id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "update",
        "recommendation",
        id,
        Some(&serde_json::to_value(&rec).unwrap_or_default()),
        Some(&serde_json::to_value(&new).unwrap_or_default()),
    )?;
    changes::record(conn, "recommendation", id, keys(&row), false)?;
    Ok(new)
}
