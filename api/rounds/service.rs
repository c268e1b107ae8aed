//! Round rules: a round uses a published checklist version; dates are ordered; status moves
//! planned → open → closed (and an administrator may reopen a closed round); assignments map
//! each unit to one team, and cannot move once the unit's inspection has left draft. Audited.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::store::{self, RoundRow};
use crate::audit::{self, Actor};
use crate::db::schema::{assignments, inspections, rounds};
use crate::db::{self, DbConn};
use crate::domain::{DomainError, Faults};
use crate::scope::Scope;
use crate::sync::log::{self as changes, Keys};
use crate::sync::scope_change::Watch;

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
    /// The plan the round carries out (`125/KH-BCĐ`) and its date, cited by documents.
    pub plan_number: Option<String>,
    pub plan_date: Option<NaiveDate>,
}

fn check(conn: &mut DbConn, r: &RoundInput) -> Result<(), DomainError> {
    let mut f = Faults::default();
    f.text("/name", &r.name, 300);
    if let Some(n) = &r.plan_number {
        f.text("/plan_number", n, 50);
    }
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

fn plan_number(r: &RoundInput) -> Option<String> {
    r.plan_number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
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
            rounds::name.eq(crate::domain::nfc(r.name.trim())),
            rounds::kind.eq(&r.kind),
            rounds::template_version_id.eq(&r.template_version_id),
            rounds::starts_on.eq(r.starts_on),
            rounds::ends_on.eq(r.ends_on),
            rounds::due_on.eq(r.due_on),
            rounds::status.eq(&r.status),
            rounds::plan_number.eq(plan_number(r)),
            rounds::plan_date.eq(r.plan_date),
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
                "Đợt kiểm tra không thể chuyển từ \"{}\" sang \"{}\".",
                crate::domain::status_vi(&cur.status),
                crate::domain::status_vi(&r.status)
            ),
        ));
    }
    // Inspectors see open rounds only: opening brings the round's work to their devices,
    // closing takes it away.
    let people = people_of_round(conn, &cur.id)?;
    let watch = Watch::begin(conn, &people)?;
    diesel::update(rounds::table.find(&cur.id))
        .set((
            rounds::name.eq(crate::domain::nfc(r.name.trim())),
            rounds::kind.eq(&r.kind),
            rounds::template_version_id.eq(&r.template_version_id),
            rounds::starts_on.eq(r.starts_on),
            rounds::ends_on.eq(r.ends_on),
            rounds::due_on.eq(r.due_on),
            rounds::status.eq(&r.status),
            rounds::plan_number.eq(plan_number(r)),
            rounds::plan_date.eq(r.plan_date),
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
    watch.finish(conn)?;
    Ok(row)
}

/// The people of the teams assigned in a round.
pub(super) fn people_of_round(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<String>> {
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
    Ok(people)
}

/// Rounds the caller may see: all for administrators and viewers; the rounds of their teams
/// for leads; only open ones for inspectors.
pub fn visible_rounds(conn: &mut DbConn, scope: &Scope) -> Result<Vec<RoundRow>, DomainError> {
    let all = store::list(conn)?;
    if scope.sees_all() {
        return Ok(all);
    }
    let mine = store::round_ids_of_teams(conn, &scope.team_ids)?;
    Ok(all
        .into_iter()
        .filter(|r| mine.contains(&r.id) && (!scope.open_rounds_only() || r.status == "open"))
        .collect())
}

/// One round, if the caller may see it (`visible_rounds`); not found otherwise.
pub fn visible_round(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<RoundRow, DomainError> {
    let r = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    if scope.sees_all() {
        return Ok(r);
    }
    let mine = store::round_ids_of_teams(conn, &scope.team_ids)?;
    if mine.contains(&r.id) && (!scope.open_rounds_only() || r.status == "open") {
        Ok(r)
    } else {
        Err(DomainError::NotFound)
    }
}
