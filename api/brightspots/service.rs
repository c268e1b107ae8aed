//! Bright spots: who reads them, the list, one with its reviews, and the writes (register,
//! edit, review in a round). Each function runs in the caller's transaction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::status::{after_edit, may_edit, may_review, Refusal, ReviewResult, Status};
use super::store::{self, Filter, Located, ReviewRow, SpotRow};
use crate::audit::{self, Actor};
use crate::db::schema::{bright_spots, units};
use crate::db::{self, DbConn};
use crate::domain::{nfc, DomainError, Faults};
use crate::role::Role;
use crate::scope::Scope;

/// A bright spot as lists and pages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = BrightSpot)]
pub struct BrightSpotView {
    pub id: String,
    pub unit_id: String,
    pub unit_code: String,
    pub unit_name: String,
    pub name: String,
    /// Lĩnh vực.
    pub field: String,
    pub description: String,
    /// Minh chứng: text and links (file attachments will hang off the bright spot's id).
    pub evidence: String,
    pub registered_on: NaiveDate,
    pub status: Status,
    /// Đã đăng ký, Đang xây dựng, Đã công nhận, Không đạt.
    pub status_vi: String,
    pub created_by: String,
    #[serde(serialize_with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

pub fn view(l: Located) -> BrightSpotView {
    let s = l.spot;
    // The database's CHECK keeps the status one of the four.
    let status = Status::parse(&s.status).unwrap_or(Status::Registered);
    BrightSpotView {
        id: s.id,
        unit_id: s.unit_id,
        unit_code: l.unit_code,
        unit_name: l.unit_name,
        name: s.name,
        field: s.field,
        description: s.description,
        evidence: s.evidence,
        registered_on: s.registered_on,
        status,
        status_vi: status.label_vi().to_owned(),
        created_by: s.created_by,
        created_at: s.created_at,
        updated_at: s.updated_at,
        version: s.version,
    }
}

/// The units whose bright spots the caller reads; `None`: all. A unit's representative reads
/// their own unit's; a lead or inspector those of units their teams are assigned to (in
/// rounds they see), as for recommendations.
pub fn reach(conn: &mut DbConn, scope: &Scope) -> Result<Option<Vec<String>>, DomainError> {
    // The same units as the recommendations a caller follows: one rule, kept there.
    crate::recommendations::service::reach(conn, scope)
}

#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub unit_id: Option<String>,
    pub status: Option<Status>,
    pub field: Option<String>,
    pub year: Option<i32>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &ListFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<BrightSpotView>, i64), DomainError> {
    let filter = Filter {
        units_in: reach(conn, scope)?,
        unit_id: f.unit_id.clone(),
        status: f.status.map(|s| s.code().to_owned()),
        field: f.field.clone(),
        year: f.year,
        id: None,
    };
    let rows = store::located(conn, &filter)?;
    let total = rows.len() as i64;
    let page = rows
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(0))
        .take(usize::try_from(limit).unwrap_or(0))
        .map(view)
        .collect();
    Ok((page, total))
}

/// One bright spot the caller may read; 404 otherwise.
pub fn visible(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Located, DomainError> {
    let filter = Filter {
        units_in: reach(conn, scope)?,
        id: Some(id.to_owned()),
        ..Filter::default()
    };
    store::located(conn, &filter)?
        .into_iter()
        .next()
        .ok_or(DomainError::NotFound)
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BrightSpotReviewView)]
pub struct ReviewView {
    #[serde(flatten)]
    pub review: ReviewRow,
    pub round_name: String,
    pub reviewer_name: String,
    /// Công nhận, Không đạt, Tiếp tục xây dựng.
    pub result_vi: String,
}

/// A round in which the caller may review the bright spot.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BrightSpotRound)]
pub struct RoundChoice {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BrightSpotDetail {
    #[serde(flatten)]
    pub spot: BrightSpotView,
    /// Evaluations, oldest first.
    pub reviews: Vec<ReviewView>,
    /// Whether the caller may edit it now.
    pub can_edit: bool,
    /// The rounds in which the caller may record a review (empty: none).
    pub review_rounds: Vec<RoundChoice>,
}

/// The rounds in which the caller may review a bright spot of `unit`.
fn review_rounds(
    conn: &mut DbConn,
    scope: &Scope,
    unit: &str,
) -> Result<Vec<RoundChoice>, DomainError> {
    let mut out: Vec<RoundChoice> = Vec::new();
    for (id, name, team) in store::rounds_of_unit(conn, unit)? {
        let team = [team];
        if may_review(scope.role, &scope.led_team_ids, &team)
            && !out.iter().any(|r| r.id == id)
            && super::review::round_writable(conn, scope, &id)?
        {
            out.push(RoundChoice { id, name });
        }
    }
    Ok(out)
}

pub fn detail(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<BrightSpotDetail, DomainError> {
    let l = visible(conn, scope, id)?;
    let reviews = store::reviews_of(conn, id)?
        .into_iter()
        .map(|(review, round_name, reviewer_name)| ReviewView {
            result_vi: ReviewResult::parse(&review.result)
                .map(|r| r.label_vi().to_owned())
                .unwrap_or_default(),
            review,
            round_name,
            reviewer_name,
        })
        .collect();
    let unit = l.spot.unit_id.clone();
    let editable = Status::parse(&l.spot.status).is_some_and(Status::editable);
    let can_edit = editable && may_edit(scope.role, scope.unit_id.as_deref(), &unit);
    Ok(BrightSpotDetail {
        spot: view(l),
        reviews,
        can_edit,
        review_rounds: review_rounds(conn, scope, &unit)?,
    })
}

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
    f.finish()?;
    Ok(Texts(name, field, description, evidence))
}

pub(super) fn json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
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
    if let Some(old) = store::find(conn, id)? {
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
    let now = db::now();
    diesel::insert_into(bright_spots::table)
        .values((
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
        ))
        .execute(conn)?;
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

fn refusal(r: Refusal) -> DomainError {
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
