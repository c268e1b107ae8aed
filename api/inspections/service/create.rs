//! Starting an inspection of a unit in a round.

use diesel::prelude::*;
use serde_json::json;

use super::{bump, report};
use crate::audit::{self, Actor};
use crate::db::schema::inspections;
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::inspections::late::{self, LateInspections, Warning};
use crate::inspections::store::{self, InspectionRow};
use crate::inspections::workflow::{Standing, Status};
use crate::scope::Scope;

/// An inspection started (or found again), and what the caller should know.
pub struct Created {
    pub row: InspectionRow,
    /// `false`: it existed already with this id (a retry).
    pub created: bool,
    /// E.g. `round_ended` when the round's end date has passed.
    pub warnings: Vec<Warning>,
}

/// Starts the inspection of a unit in a round, taking a round past its end date with a
/// warning (see [`create_checked`]); `false`: it existed already with this id.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    round_id: &str,
    unit_id: &str,
) -> Result<(InspectionRow, bool), DomainError> {
    let c = create_checked(
        conn,
        actor,
        scope,
        id,
        round_id,
        unit_id,
        LateInspections::Warn,
    )?;
    Ok((c.row, c.created))
}

/// Starts the inspection of a unit in a round. Idempotent by id: creating the same id again
/// returns it (`created: false`), so an offline device can retry safely. A round past its end
/// date warns or refuses, as `late` says.
pub fn create_checked(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    round_id: &str,
    unit_id: &str,
    late: LateInspections,
) -> Result<Created, DomainError> {
    if let Some(existing) = store::find(conn, id)? {
        return found_again(conn, scope, existing, round_id, unit_id);
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
    let warning = late::check(round.ends_on, late::today(), late)?;
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
    Ok(Created {
        row,
        created: true,
        warnings: warning.into_iter().collect(),
    })
}

/// The same id again: the inspection back to whoever could have made it (a retry by its
/// maker's team), told what the first answer told; `id_taken` for anything else.
fn found_again(
    conn: &mut DbConn,
    scope: &Scope,
    existing: InspectionRow,
    round_id: &str,
    unit_id: &str,
) -> Result<Created, DomainError> {
    let round_status = store::round_status(conn, &existing.round_id)?;
    // Only one who could have made it gets it back: a retry by its maker's team.
    if existing.round_id == round_id
        && existing.unit_id == unit_id
        && scope.sees(&existing.team_id, &round_status)
    {
        scope
            .standing(&existing.team_id)
            .ok_or(DomainError::Forbidden)?;
        // A retry is told what the first answer told.
        let warnings = match crate::rounds::store::find(conn, round_id)? {
            Some(r) => late::check(r.ends_on, late::today(), LateInspections::Warn)?,
            None => None,
        };
        return Ok(Created {
            row: existing,
            created: false,
            warnings: warnings.into_iter().collect(),
        });
    }
    Err(DomainError::conflict(
        "id_taken",
        "This id is already used for another inspection.",
        "Mã này đã được dùng cho phiếu kiểm tra khác.",
    ))
}
