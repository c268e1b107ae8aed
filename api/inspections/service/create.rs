//! Starting an inspection of a unit in a round.

use diesel::prelude::*;
use serde_json::json;

use super::{bump, report};
use crate::audit::{self, Actor};
use crate::db::schema::inspections;
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::inspections::store::{self, InspectionRow};
use crate::inspections::workflow::{Standing, Status};
use crate::scope::Scope;

/// Starts the inspection of a unit in a round. Idempotent by id: creating the same id again
/// returns it (`false`: not created now), so an offline device can retry safely.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    round_id: &str,
    unit_id: &str,
) -> Result<(InspectionRow, bool), DomainError> {
    if let Some(existing) = store::find(conn, id)? {
        let round_status = store::round_status(conn, &existing.round_id)?;
        // Only one who could have made it gets it back: a retry by its maker's team.
        if existing.round_id == round_id
            && existing.unit_id == unit_id
            && scope.sees(&existing.team_id, &round_status)
        {
            scope
                .standing(&existing.team_id)
                .ok_or(DomainError::Forbidden)?;
            return Ok((existing, false));
        }
        return Err(DomainError::conflict(
            "id_taken",
            "This id is already used for another inspection.",
            "Mã này đã được dùng cho phiếu kiểm tra khác.",
        ));
    }
    let round = crate::rounds::store::find(conn, round_id)?.ok_or(DomainError::NotFound)?;
    let assignment =
        crate::rounds::store::assignment(conn, round_id, unit_id)?.ok_or(DomainError::NotFound)?;
    if !scope.sees(&assignment.team_id, &round.status) {
        return Err(DomainError::NotFound);
    }
    let standing = scope
        .standing(&assignment.team_id)
        .ok_or(DomainError::Forbidden)?;
    if round.status != "open" && standing != Standing::Admin {
        return Err(DomainError::conflict(
            "round_not_open",
            "The round is not open.",
            "Đợt kiểm tra chưa mở hoặc đã đóng.",
        ));
    }
    if let Some(other) = store::find_for_unit(conn, round_id, unit_id)? {
        return Err(DomainError::conflict(
            "inspection_exists",
            format!(
                "This unit already has an inspection in this round: {}.",
                other.id
            ),
            format!("Đơn vị đã có phiếu kiểm tra trong đợt này: {}.", other.id),
        ));
    }
    let now = db::now();
    diesel::insert_into(inspections::table)
        .values((
            inspections::id.eq(id),
            inspections::round_id.eq(round_id),
            inspections::unit_id.eq(unit_id),
            inspections::team_id.eq(&assignment.team_id),
            inspections::template_version_id.eq(&round.template_version_id),
            inspections::status.eq(Status::Draft.as_str()),
            inspections::created_by.eq(&scope.user_id),
            inspections::version.eq(1),
            inspections::created_at.eq(now),
            inspections::updated_at.eq(now),
        ))
        .execute(conn)?;
    let row = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    let (_, r) = report(conn, &row)?;
    let row = bump(conn, &row, Some(&r))?;
    audit::append(
        conn,
        actor,
        "create",
        "inspection",
        id,
        None,
        Some(&json!({"round_id": round_id, "unit_id": unit_id, "team_id": row.team_id})),
    )?;
    Ok((row, true))
}
