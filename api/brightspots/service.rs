//! Bright spots: who reads them, the list, and one with its reviews and files. The writes are
//! `edit` (register, edit), `review` (a round's evaluation) and `files` (attachments). Each
//! function runs in the caller's transaction.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

pub use super::edit::{create, update, SpotInput};
use super::status::{may_edit, may_review, ReviewResult, Status};
use super::store::{self, Filter, Located, ReviewRow};
use crate::attachments::listing::FileView;
use crate::db::DbConn;
use crate::domain::DomainError;
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
    /// Minh chứng: text and links; files are listed in the detail (`files`).
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
    /// Its files (documents, photos), oldest first.
    pub files: Vec<FileView>,
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
        files: crate::attachments::listing::of(
            conn,
            crate::attachments::OwnerKind::BrightSpot,
            id,
        )?,
    })
}

pub(super) fn json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}
