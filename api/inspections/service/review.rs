//! Review: submit, return, approve.

use diesel::prelude::*;
use serde_json::json;

use super::{bump, report, status_of, template_of, visible_for_write, writer};
use crate::audit::{self, Actor};
use crate::db::schema::{inspection_events, inspections};
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::inspections::record::findings_missing;
use crate::inspections::store::{self, InspectionRow};
use crate::inspections::workflow::{self, Action, Refusal, Status};
use crate::scope::Scope;
use crate::templates::answers::check_submission;

/// Moves the inspection through review. Submitting checks required items and evidence;
/// approving needs the team's lead (or an administrator).
pub fn act(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    action: Action,
    reason: Option<&str>,
) -> Result<InspectionRow, DomainError> {
    let (row, round_status) = visible_for_write(conn, scope, id)?;
    let standing = writer(scope, &row, &round_status)?;
    let from = status_of(&row);
    let to = workflow::transition(from, action, standing, reason).map_err(refusal)?;
    if action == Action::Approve && store::blocking_count(conn, id)? > 0 {
        return Err(DomainError::conflict(
            "unresolved_conflicts",
            "Resolve this inspection's sync conflicts before approving it.",
            "Hãy giải quyết các xung đột đồng bộ của phiếu trước khi duyệt.",
        ));
    }
    if action == Action::Submit {
        submittable(conn, &row)?;
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    record(conn, scope, &row, from, to, reason)?;
    let new = bump(conn, &row, None)?;
    crate::recommendations::sync::announce(conn, &row.unit_id, None)?;
    audit::append(
        conn,
        actor,
        "transition",
        "inspection",
        id,
        Some(&json!({"status": from.as_str()})),
        Some(&json!({"status": to.as_str(), "reason": reason})),
    )?;
    Ok(new)
}

fn refusal(r: Refusal) -> DomainError {
    match r {
        Refusal::NotAllowed => DomainError::Forbidden,
        Refusal::ReasonRequired => DomainError::invalid(
            "/reason",
            "reason_required",
            "Say why the inspection is returned.",
            "Hãy nêu lý do trả lại phiếu.",
        ),
        Refusal::InvalidTransition { from, action } => DomainError::conflict(
            "invalid_transition",
            format!(
                "An inspection that is {} cannot be {}.",
                from.as_str(),
                match action {
                    Action::Submit => "submitted",
                    Action::Return => "returned",
                    Action::Approve => "approved",
                }
            ),
            format!(
                "Phiếu {} không thể {}.",
                crate::domain::status_vi(from.as_str()),
                match action {
                    Action::Submit => "gửi duyệt",
                    Action::Return => "trả lại",
                    Action::Approve => "duyệt",
                }
            ),
        ),
    }
}

/// What a submission still lacks, as one 422 listing every fault.
fn submittable(conn: &mut DbConn, row: &InspectionRow) -> Result<(), DomainError> {
    let (answers, _) = report(conn, row)?;
    let template = template_of(conn, row)?;
    let photos = crate::media::store::photo_counts(conn, &row.id)?;
    let mut missing = check_submission(&template, &answers, &photos);
    missing.extend(findings_missing(
        row.strengths.as_deref(),
        row.shortcomings.as_deref(),
    ));
    if missing.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(missing))
    }
}

/// Writes the new state and its event in the inspection's history.
fn record(
    conn: &mut DbConn,
    scope: &Scope,
    row: &InspectionRow,
    from: Status,
    to: Status,
    reason: Option<&str>,
) -> Result<(), DomainError> {
    let now = db::now();
    diesel::update(inspections::table.find(&row.id))
        .set((
            inspections::status.eq(to.as_str()),
            inspections::return_reason.eq(if to == Status::Returned { reason } else { None }),
            inspections::submitted_at.eq(if to == Status::Submitted {
                Some(now)
            } else {
                row.submitted_at
            }),
            inspections::approved_at.eq(if to == Status::Approved {
                Some(now)
            } else {
                None
            }),
            inspections::approved_by.eq(if to == Status::Approved {
                Some(scope.user_id.clone())
            } else {
                None
            }),
        ))
        .execute(conn)?;
    diesel::insert_into(inspection_events::table)
        .values((
            inspection_events::id.eq(db::new_id()),
            inspection_events::inspection_id.eq(&row.id),
            inspection_events::from_status.eq(from.as_str()),
            inspection_events::to_status.eq(to.as_str()),
            inspection_events::actor_id.eq(&scope.user_id),
            inspection_events::reason.eq(reason),
            inspection_events::at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
