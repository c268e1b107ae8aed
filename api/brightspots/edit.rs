//! Registering and editing a bright spot (its unit's representative, or an administrator).
//! Each function runs in the caller's transaction and audits what it changes.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::service::{json, view, visible, BrightSpotView};
use super::status::{after_edit, may_edit, Refusal, Status};
use super::store::{self, Filter, SpotRow};
use crate::audit::{self, Actor};
use crate::db::schema::{bright_spots, units};
use crate::db::{self, DbConn};
use crate::domain::{nfc, DomainError, Faults};
use crate::role::Role;
use crate::scope::Scope;

/// What a registration or an edit says; `None` keeps the stored value (an edit) or takes the
/// default (a registration: empty texts, today).
#[derive(Debug, Default, Clone)]
pub struct SpotInput {
    pub name: Option<String>,
    pub field: Option<String>,
    pub description: Option<String>,
    pub evidence: Option<String>,
    pub registered_on: Option<NaiveDate>,
}

/// Checked texts: name, field, description, evidence.
struct Texts(String, String, String, String);

fn check(i: &SpotInput, cur: Option<&SpotRow>) -> Result<Texts, DomainError> {
    let mut f = Faults::default();
    let pick = |v: &Option<String>, old: Option<&String>| {
        v.clone().or_else(|| old.cloned()).unwrap_or_default()
    };
    let name = f.text("/name", &pick(&i.name, cur.map(|c| &c.name)), 300);
    let field = f.text("/field", &pick(&i.field, cur.map(|c| &c.field)), 200);
    let mut free = |p: &str, v: String| {
        let v = nfc(v.trim());
        if v.chars().count() > 20_000 {
            f.push(
                p,
                "invalid_text",
                "At most 20000 characters.",
                "Tối đa 20000 ký tự.",
            );
        }
        v
    };
    let description = free(
        "/description",
        pick(&i.description, cur.map(|c| &c.description)),
    );
    let evidence = free("/evidence", pick(&i.evidence, cur.map(|c| &c.evidence)));
    // PostgreSQL's dates end where chrono's do not (year 200000 was a 500 there, stored on
    // SQLite): a registration date outside any plan's years is a mistake either way.
    if i.registered_on
        .is_some_and(|d| !(1900..=2200).contains(&d.year()))
    {
        f.push(
            "/registered_on",
            "invalid_date",
            "A date from 1900 to 2200.",
            "Ngày từ năm 1900 đến năm 2200.",
        );
    }
    f.finish()?;
    Ok(Texts(name, field, description, evidence))
}

fn located(conn: &mut DbConn, id: &str) -> Result<BrightSpotView, DomainError> {
    let f = Filter {
        id: Some(id.to_owned()),
        ..Filter::default()
    };
    let l = store::located(conn, &f)?.into_iter().next();
    l.map(view).ok_or(DomainError::NotFound)
}

/// Registers a bright spot of `unit_id` (a unit's representative: their own unit, which is
/// also the default). Idempotent by `id`: the same id with the same content returns the first
/// (`false`: nothing created); with other content it is 409 `id_taken`.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    unit_id: Option<String>,
    i: &SpotInput,
) -> Result<(BrightSpotView, bool), DomainError> {
    if !matches!(scope.role, Role::Admin | Role::Unit) {
        return Err(DomainError::Forbidden);
    }
    let unit = match (unit_id, &scope.unit_id) {
        (Some(u), _) => u,
        (None, Some(own)) => own.clone(),
        (None, None) => {
            return Err(DomainError::invalid(
                "/unit_id",
                "required",
                "Which unit's bright spot.",
                "Cần chọn đơn vị.",
            ))
        }
    };
    // Another unit's is none of a unit's business: as if it did not exist.
    let exists = units::table
        .find(&unit)
        .select(units::id)
        .first::<String>(conn)
        .optional()?
        .is_some();
    if !exists || !may_edit(scope.role, scope.unit_id.as_deref(), &unit) {
        return Err(DomainError::NotFound);
    }
    let Texts(name, field, description, evidence) = check(i, None)?;
    let registered_on = i.registered_on.unwrap_or_else(crate::time::today_local);
    let now = db::now();
    let row = (
        bright_spots::id.eq(id),
        bright_spots::unit_id.eq(&unit),
        bright_spots::name.eq(&name),
        bright_spots::field.eq(&field),
        bright_spots::description.eq(&description),
        bright_spots::evidence.eq(&evidence),
        bright_spots::registered_on.eq(registered_on),
        bright_spots::status.eq(Status::Registered.code()),
        bright_spots::created_by.eq(&scope.user_id),
        bright_spots::created_at.eq(now),
        bright_spots::updated_at.eq(now),
        bright_spots::version.eq(1_i64),
    );
    // Insert first, compare after: a phone's retry racing its first send waits for it on
    // PostgreSQL and then finds it, where find-then-insert hit the key (a 500).
    let made = crate::per_engine!(conn, c => diesel::insert_into(bright_spots::table)
        .values(row)
        .on_conflict(bright_spots::id)
        .do_nothing()
        .execute(c))?;
    if made == 0 {
        let old = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
        let same = old.unit_id == unit
            && old.name == name
            && old.field == field
            && old.description == description
            && old.evidence == evidence
            && (i.registered_on.is_none() || old.registered_on == registered_on);
        return if same {
            Ok((located(conn, id)?, false))
        } else {
            Err(DomainError::id_taken())
        };
    }
    let row = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "bright_spot",
        id,
        None,
        Some(&json(&row)),
    )?;
    Ok((located(conn, id)?, true))
}

pub(crate) fn refusal(r: Refusal) -> DomainError {
    match r {
        Refusal::Decided => DomainError::conflict(
            "bright_spot_decided",
            "Already evaluated (recognised or not achieved): it is no longer edited.",
            "Điểm sáng đã được đánh giá (công nhận hoặc không đạt): không sửa được nữa.",
        ),
        Refusal::ReviewOnly => DomainError::invalid(
            "/status",
            "invalid_status",
            "The unit sets registered or building; a review decides the rest.",
            "Đơn vị chỉ chọn: đã đăng ký hoặc đang xây dựng; kết quả công nhận do đoàn kiểm tra đánh giá.",
        ),
    }
}

/// Edits a bright spot while it is registered or building (its unit's representative, or an
/// administrator); `status` may move it between those two.
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    i: &SpotInput,
    wanted: Option<&str>,
    version: Option<i64>,
) -> Result<BrightSpotView, DomainError> {
    // Lock the row first: concurrent edits of one queue up (PostgreSQL).
    diesel::update(bright_spots::table.find(id))
        .set(bright_spots::version.eq(bright_spots::version))
        .execute(conn)?;
    let l = visible(conn, scope, id)?;
    if !may_edit(scope.role, scope.unit_id.as_deref(), &l.spot.unit_id) {
        return Err(DomainError::Forbidden);
    }
    let wanted = match wanted.filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Status::parse(s).ok_or_else(|| refusal(Refusal::ReviewOnly))?),
    };
    let current = Status::parse(&l.spot.status).unwrap_or(Status::Registered);
    let next = after_edit(current, wanted).map_err(refusal)?;
    let Texts(name, field, description, evidence) = check(i, Some(&l.spot))?;
    DomainError::check_version(version, l.spot.version)?;
    let before = l.spot;
    diesel::update(bright_spots::table.find(id))
        .set((
            bright_spots::name.eq(&name),
            bright_spots::field.eq(&field),
            bright_spots::description.eq(&description),
            bright_spots::evidence.eq(&evidence),
            bright_spots::registered_on.eq(i.registered_on.unwrap_or(before.registered_on)),
            bright_spots::status.eq(next.code()),
            bright_spots::version.eq(before.version + 1),
            bright_spots::updated_at.eq(db::now()),
        ))
        .execute(conn)?;
    let after = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "update",
        "bright_spot",
        id,
        Some(&json(&before)),
        Some(&json(&after)),
    )?;
    located(conn, id)
}
