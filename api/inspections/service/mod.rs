//! Inspection rules, tying the pure parts together: scope, the review state machine, answer
//! validation and scoring. Each function runs inside the caller's transaction and audits
//! what it changes. This file holds the access rules every change goes through; each job
//! (creating, answering, findings, review, recommendations, comments) has its own file.

use diesel::prelude::*;

use super::store::{self, InspectionRow};
use super::workflow::{Standing, Status};
use crate::db::schema::inspections;
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::role::Role;
use crate::scope::Scope;
use crate::sync::log::{self as changes, Keys};
use crate::templates::model::{Answers, Template};
use crate::templates::scoring::{score, ScoreReport};

mod answers;
mod comments;
mod create;
mod findings;
mod recommendations;
mod review;

pub use answers::{answer_id, save_answers, save_answers_stamped, write_answer};
pub use comments::add_comment;
pub use create::{create, create_checked, Created};
pub(crate) use findings::apply as apply_fields;
pub use findings::{
    checked, field_meta, finding, set_findings_field, update_findings, write_findings, Findings,
    FINDINGS_FIELDS,
};
pub(crate) use recommendations::insert as insert_recommendation;
pub use recommendations::{add_recommendation, update_recommendation, RecommendationInput};
pub use review::act;

/// The inspection if the caller may see it; "not found" otherwise, so that nobody learns
/// what exists outside their scope.
pub fn visible(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<(InspectionRow, String), DomainError> {
    let row = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    let round_status = store::round_status(conn, &row.round_id)?;
    if !scope.sees(&row.team_id, &round_status) {
        return Err(DomainError::NotFound);
    }
    Ok((row, round_status))
}

/// Locks the inspection for the rest of the transaction, then reads it: every change to an
/// inspection (its answers, findings, state) starts here, so concurrent writers of one
/// inspection queue up instead of racing (PostgreSQL; SQLite writers are serialized anyway).
pub fn visible_for_write(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<(InspectionRow, String), DomainError> {
    // The lock and the read in one statement.
    let row = crate::per_engine!(conn, c => diesel::update(inspections::table.find(id))
        .set(inspections::version.eq(inspections::version))
        .returning(InspectionRow::as_returning())
        .get_result(c))
    .optional()?
    .ok_or(DomainError::NotFound)?;
    let round_status = store::round_status(conn, &row.round_id)?;
    if !scope.sees(&row.team_id, &round_status) {
        return Err(DomainError::NotFound);
    }
    Ok((row, round_status))
}

/// The caller's standing for changing this inspection: viewers are refused (403), and only
/// administrators change inspections of rounds that are not open.
pub fn writer(
    scope: &Scope,
    row: &InspectionRow,
    round_status: &str,
) -> Result<Standing, DomainError> {
    let standing = scope
        .standing(&row.team_id)
        .ok_or(if scope.role == Role::Viewer {
            DomainError::Forbidden
        } else {
            DomainError::NotFound
        })?;
    if round_status != "open" && standing != Standing::Admin {
        return Err(DomainError::conflict(
            "round_not_open",
            "The round is not open; its inspections cannot change.",
            "Đợt kiểm tra không ở trạng thái mở; không thể thay đổi phiếu.",
        ));
    }
    Ok(standing)
}

fn status_of(row: &InspectionRow) -> Status {
    Status::parse(&row.status).unwrap_or(Status::Draft)
}

pub fn editable(row: &InspectionRow) -> Result<(), DomainError> {
    match status_of(row) {
        s if s.editable() => Ok(()),
        Status::Approved => Err(DomainError::conflict("inspection_read_only", "The inspection is approved and can no longer change.", "Phiếu kiểm tra đã được duyệt, không thể sửa.")),
        _ => Err(DomainError::conflict("inspection_submitted", "The inspection is submitted for review; it can change again only if the lead returns it.", "Phiếu đã gửi duyệt; chỉ sửa được khi trưởng đoàn trả lại.")),
    }
}

/// The inspection's pinned checklist. Published versions never change, so each is parsed once
/// per process and shared.
pub fn template_of(
    conn: &mut DbConn,
    row: &InspectionRow,
) -> Result<std::sync::Arc<Template>, DomainError> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static PARSED: OnceLock<Mutex<HashMap<String, Arc<Template>>>> = OnceLock::new();
    let cache = PARSED.get_or_init(Default::default);
    if let Some(t) = cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&row.template_version_id)
    {
        return Ok(t.clone());
    }
    let (_, t) = crate::templates::service::published_template(conn, &row.template_version_id)?;
    let t = Arc::new(t);
    cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(row.template_version_id.clone(), t.clone());
    Ok(t)
}

pub fn report(
    conn: &mut DbConn,
    row: &InspectionRow,
) -> Result<(Answers, ScoreReport), DomainError> {
    let t = template_of(conn, row)?;
    let a = store::answers_of(&store::answer_rows(conn, &row.id)?);
    let r = score(&t, &a);
    Ok((a, r))
}

pub(super) fn bump(
    conn: &mut DbConn,
    row: &InspectionRow,
    report: Option<&ScoreReport>,
) -> Result<InspectionRow, DomainError> {
    let now = db::now();
    let q = diesel::update(inspections::table.find(&row.id));
    let band = report.map(|r| r.band.as_ref().map(|b| b.code.clone()));
    // The row as updated comes back from the update itself.
    let updated = crate::per_engine!(conn, c => match (report, band) {
        (Some(r), Some(band)) => q
            .set((
                inspections::score.eq(r.score),
                inspections::band.eq(band),
                inspections::version.eq(row.version + 1),
                inspections::updated_at.eq(now),
            ))
            .returning(InspectionRow::as_returning())
            .get_result(c),
        _ => q
            .set((
                inspections::version.eq(row.version + 1),
                inspections::updated_at.eq(now),
            ))
            .returning(InspectionRow::as_returning())
            .get_result(c),
    })
    .optional()?
    .ok_or(DomainError::NotFound)?;
    changes::record(conn, "inspection", &row.id, keys(row), false)?;
    Ok(updated)
}

/// The sync scope of everything that belongs to an inspection.
pub fn keys(row: &InspectionRow) -> Keys<'_> {
    Keys {
        team_id: Some(&row.team_id),
        round_id: Some(&row.round_id),
    }
}
