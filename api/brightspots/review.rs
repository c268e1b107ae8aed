//! Evaluating a bright spot in a round (a review): who may, and recording it.

use diesel::prelude::*;

use super::service::{json, visible};
use super::status::{may_review, ReviewResult};
use super::store::{self, ReviewRow};
use crate::audit::{self, Actor};
use crate::db::schema::{bright_spot_reviews, bright_spots};
use crate::db::{self, DbConn};
use crate::domain::{nfc, DomainError, Faults};
use crate::role::Role;
use crate::scope::Scope;

pub struct ReviewInput {
    pub round_id: String,
    pub result: String,
    pub comment: String,
    /// The bright spot's version the reviewer saw, if they say.
    pub version: Option<i64>,
}

fn check_review(r: &ReviewInput) -> Result<(ReviewResult, String), DomainError> {
    let mut f = Faults::default();
    let result = ReviewResult::parse(&r.result);
    if result.is_none() {
        f.push(
            "/result",
            "invalid_result",
            "One of recognised, not_achieved, building.",
            "Một trong: recognised, not_achieved, building.",
        );
    }
    let comment = nfc(r.comment.trim());
    if comment.chars().count() > 10_000 {
        f.push(
            "/comment",
            "invalid_text",
            "At most 10000 characters.",
            "Tối đa 10000 ký tự.",
        );
    }
    f.finish()?;
    Ok((result.unwrap_or(ReviewResult::Building), comment))
}

/// Records an evaluation of a bright spot in a round, which sets its status. Administrators,
/// and the lead of a team the unit is assigned to in that round. Idempotent by `id` as
/// [`super::service::create`] is.
pub fn review(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    spot_id: &str,
    id: &str,
    r: &ReviewInput,
) -> Result<(ReviewRow, bool), DomainError> {
    diesel::update(bright_spots::table.find(spot_id))
        .set(bright_spots::version.eq(bright_spots::version))
        .execute(conn)?;
    let l = visible(conn, scope, spot_id)?;
    if !matches!(scope.role, Role::Admin | Role::Lead) {
        return Err(DomainError::Forbidden);
    }
    // A round that does not exist has no assignment either.
    let assigned = store::teams_assigned(conn, &l.spot.unit_id, &r.round_id)?;
    if assigned.is_empty() {
        return Err(DomainError::invalid(
            "/round_id",
            "unit_not_in_round",
            "The unit is not inspected in this round.",
            "Đơn vị không thuộc đợt kiểm tra này.",
        ));
    }
    if !may_review(scope.role, &scope.led_team_ids, &assigned) {
        return Err(DomainError::Forbidden);
    }
    if !round_writable(conn, scope, &r.round_id)? {
        return Err(DomainError::conflict(
            "round_not_open",
            "The round is not open: a lead evaluates bright spots only in an open round.",
            "Đợt kiểm tra không ở trạng thái mở: trưởng đoàn chỉ đánh giá điểm sáng trong đợt đang mở.",
        ));
    }
    let (result, comment) = check_review(r)?;
    if let Some(old) = store::find_review(conn, id)? {
        let same = old.bright_spot_id == spot_id
            && old.round_id == r.round_id
            && old.result == result.code()
            && old.comment == comment;
        return if same {
            Ok((old, false))
        } else {
            Err(DomainError::id_taken())
        };
    }
    DomainError::check_version(r.version, l.spot.version)?;
    let now = db::now();
    diesel::insert_into(bright_spot_reviews::table)
        .values((
            bright_spot_reviews::id.eq(id),
            bright_spot_reviews::bright_spot_id.eq(spot_id),
            bright_spot_reviews::round_id.eq(&r.round_id),
            bright_spot_reviews::reviewer.eq(&scope.user_id),
            bright_spot_reviews::result.eq(result.code()),
            bright_spot_reviews::comment.eq(&comment),
            bright_spot_reviews::reviewed_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(bright_spots::table.find(spot_id))
        .set((
            bright_spots::status.eq(result.status().code()),
            bright_spots::version.eq(l.spot.version + 1),
            bright_spots::updated_at.eq(now),
        ))
        .execute(conn)?;
    let row = store::find_review(conn, id)?.ok_or(DomainError::NotFound)?;
    let after = store::find(conn, spot_id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "bright_spot_review",
        id,
        None,
        Some(&json(&row)),
    )?;
    audit::append(
        conn,
        actor,
        "update",
        "bright_spot",
        spot_id,
        Some(&json(&l.spot)),
        Some(&json(&after)),
    )?;
    Ok((row, true))
}

/// Whether the caller may still write a round's evaluations: a lead only while it is open
/// (a closed round's report must not change under it, as inspections do not), Sở Nội vụ in
/// any round (to correct a record).
pub(super) fn round_writable(
    conn: &mut DbConn,
    scope: &Scope,
    round_id: &str,
) -> Result<bool, DomainError> {
    if scope.role == Role::Admin {
        return Ok(true);
    }
    let round = crate::rounds::store::find(conn, round_id)?;
    Ok(round.is_some_and(|r| r.status == "open"))
}
