//! Recommendations across rounds: who may read and follow them up, the list, one with its
//! remedies, and adding a remedy (khắc phục). Each function runs in the caller's transaction.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::status::{status_now, Status};
use super::store::{self, Filter, Located, RemedyRow};
use crate::audit::{self, Actor};
use crate::db::schema::{recommendations, remedies};
use crate::db::{self, DbConn};
use crate::domain::{nfc, DomainError, Faults};
use crate::role::Role;
use crate::scope::Scope;
use crate::sync::log as changes;

/// A recommendation as the follow-up lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecommendationItem {
    pub id: String,
    pub inspection_id: String,
    pub round_id: String,
    pub round_name: String,
    pub unit_id: String,
    pub unit_code: String,
    pub unit_name: String,
    /// Kiến nghị.
    pub content: String,
    pub responsible_unit_id: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// As stored: `open`, `in_progress` or `done`.
    pub follow_up: String,
    pub version: i64,
    /// `new`, `in_progress`, `done` or `overdue` (the due day has ended and it is not done).
    pub status: Status,
    /// The status in Vietnamese: Mới, Đang thực hiện, Đã thực hiện, Quá hạn.
    pub status_vi: String,
    pub latest_remedy: Option<RemedyRow>,
}

pub fn item(l: Located, latest: Option<RemedyRow>) -> RecommendationItem {
    let status = status_now(&l.rec.follow_up, l.rec.due_on);
    RecommendationItem {
        id: l.rec.id,
        inspection_id: l.rec.inspection_id,
        round_id: l.round_id,
        round_name: l.round_name,
        unit_id: l.unit_id,
        unit_code: l.unit_code,
        unit_name: l.unit_name,
        content: l.rec.content,
        responsible_unit_id: l.rec.responsible_unit_id,
        responsible: l.rec.responsible,
        due_on: l.rec.due_on,
        follow_up: l.rec.follow_up,
        version: l.rec.version,
        status,
        status_vi: status.label_vi().to_owned(),
        latest_remedy: latest,
    }
}

/// Items for located rows, each with its latest remedy.
pub fn items(
    conn: &mut DbConn,
    rows: Vec<Located>,
) -> Result<Vec<RecommendationItem>, DomainError> {
    let ids: Vec<&str> = rows.iter().map(|l| l.rec.id.as_str()).collect();
    let mut latest = store::latest_remedies(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|l| {
            let r = latest.remove(&l.rec.id);
            item(l, r)
        })
        .collect())
}

/// The units whose recommendations the caller reads; `None`: all. A lead or inspector reads
/// those of units their teams are assigned to in rounds they see, from every round (so an
/// earlier round's recommendations reach whoever inspects the unit again), and no others. A
/// unit's representative reads their own unit's, from every round: the plan has units carry
/// out the recommendations of earlier inspections themselves.
pub fn reach(conn: &mut DbConn, scope: &Scope) -> Result<Option<Vec<String>>, DomainError> {
    if scope.sees_all() {
        return Ok(None);
    }
    if scope.role == Role::Unit {
        return Ok(Some(scope.unit_id.iter().cloned().collect()));
    }
    Ok(Some(store::units_of_teams(
        conn,
        &scope.team_ids,
        scope.open_rounds_only(),
    )?))
}

/// Who may follow up (write remedies for) a unit's recommendations: administrators, leads of
/// a team the unit is assigned to, and the unit's own representative (who reports what the
/// unit did; the lead checks it on the next visit).
pub fn may_follow_up(conn: &mut DbConn, scope: &Scope, unit_id: &str) -> Result<bool, DomainError> {
    Ok(match scope.role {
        Role::Admin => true,
        Role::Lead => store::units_of_teams(conn, &scope.led_team_ids, false)?
            .iter()
            .any(|u| u == unit_id),
        Role::Unit => scope.unit_id.as_deref() == Some(unit_id),
        Role::Viewer | Role::Inspector => false,
    })
}

#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub unit_id: Option<String>,
    pub round_id: Option<String>,
    pub status: Option<Status>,
    pub overdue: Option<bool>,
}

/// The caller's recommendations matching `f`, and how many match, paged. Status depends on
/// the clock, so it is filtered here rather than in SQL; a province has hundreds of
/// recommendations a year, not millions.
pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &ListFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<RecommendationItem>, i64), DomainError> {
    let filter = Filter {
        units_in: reach(conn, scope)?,
        unit_id: f.unit_id.clone(),
        round_id: f.round_id.clone(),
        ..Filter::default()
    };
    let rows: Vec<Located> = store::located(conn, &filter)?
        .into_iter()
        .filter(|l| {
            let s = status_now(&l.rec.follow_up, l.rec.due_on);
            f.status.is_none_or(|want| want == s)
                && f.overdue.is_none_or(|o| o == (s == Status::Overdue))
        })
        .collect();
    let total = rows.len() as i64;
    let page = rows
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(0))
        .take(usize::try_from(limit).unwrap_or(0))
        .collect();
    Ok((items(conn, page)?, total))
}

/// One recommendation the caller may read; 404 otherwise. One of an approved inspection is
/// read by the unit's reach (every round); one not approved yet only by whoever reads its
/// inspection, as on the inspection itself.
pub fn visible(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Located, DomainError> {
    let filter = Filter {
        units_in: reach(conn, scope)?,
        id: Some(id.to_owned()),
        ..Filter::default()
    };
    if let Some(l) = store::located(conn, &filter)?.into_iter().next() {
        return Ok(l);
    }
    let filter = Filter {
        id: Some(id.to_owned()),
        any_status: true,
        ..Filter::default()
    };
    let l = store::located(conn, &filter)?
        .into_iter()
        .next()
        .filter(|l| l.inspection_status != "approved")
        .ok_or(DomainError::NotFound)?;
    crate::inspections::service::visible(conn, scope, &l.rec.inspection_id)?;
    Ok(l)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationDetail {
    #[serde(flatten)]
    pub item: RecommendationItem,
    /// Khắc phục notes, oldest first, each with its files.
    pub remedies: Vec<RemedyView>,
    /// Whether the caller may add a remedy.
    pub can_follow_up: bool,
}

/// A khắc phục note with its files (documents, photos), oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemedyView {
    #[serde(flatten)]
    pub remedy: RemedyRow,
    pub files: Vec<crate::attachments::listing::FileView>,
}

pub fn detail(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<RecommendationDetail, DomainError> {
    let l = visible(conn, scope, id)?;
    let remedies = store::remedies_of(conn, id)?;
    let can_follow_up =
        l.inspection_status == "approved" && may_follow_up(conn, scope, &l.unit_id)?;
    let ids: Vec<String> = remedies.iter().map(|r| r.id.clone()).collect();
    let mut files =
        crate::attachments::listing::by_owner(conn, crate::attachments::OwnerKind::Remedy, &ids)?;
    let latest = remedies.last().cloned();
    let remedies = remedies
        .into_iter()
        .map(|r| RemedyView {
            files: files.remove(&r.id).unwrap_or_default(),
            remedy: r,
        })
        .collect();
    Ok(RecommendationDetail {
        item: item(l, latest),
        remedies,
        can_follow_up,
    })
}

pub struct RemedyInput {
    pub note: String,
    /// `open`, `in_progress` or `done`.
    pub follow_up: String,
    /// The recommendation's version the writer saw, if they say.
    pub version: Option<i64>,
    pub device_id: Option<String>,
}

const FOLLOW_UP: [&str; 3] = ["open", "in_progress", "done"];

fn check(r: &RemedyInput) -> Result<String, DomainError> {
    let mut f = Faults::default();
    let note = f.text("/note", &r.note, 10_000);
    if !FOLLOW_UP.contains(&r.follow_up.as_str()) {
        f.push(
            "/follow_up",
            "invalid_follow_up",
            "One of open, in_progress, done.",
            "Một trong: open, in_progress, done.",
        );
    }
    f.finish()?;
    Ok(nfc(note.trim()))
}

/// Adds a remedy to a recommendation and sets its follow-up. Idempotent by `id`: the same id
/// with the same content returns the first (`false`: nothing created); with other content it
/// is 409 `id_taken`.
pub fn add_remedy(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    rec_id: &str,
    id: &str,
    r: &RemedyInput,
) -> Result<(RemedyRow, bool), DomainError> {
    // Lock the recommendation first: concurrent remedies of one queue up (PostgreSQL).
    diesel::update(recommendations::table.find(rec_id))
        .set(recommendations::version.eq(recommendations::version))
        .execute(conn)?;
    let l = visible(conn, scope, rec_id)?;
    if !may_follow_up(conn, scope, &l.unit_id)? {
        return Err(DomainError::Forbidden);
    }
    if l.inspection_status != "approved" {
        return Err(DomainError::conflict(
            "recommendation_not_official",
            "The inspection is not approved yet: its recommendations are followed up after approval.",
            "Phiếu kiểm tra chưa được duyệt: kiến nghị chỉ được theo dõi khắc phục sau khi duyệt.",
        ));
    }
    let note = check(r)?;
    if let Some(existing) = store::find_remedy(conn, id)? {
        let same = existing.recommendation_id == rec_id
            && existing.note == note
            && existing.follow_up == r.follow_up;
        return if same {
            Ok((existing, false))
        } else {
            Err(DomainError::id_taken())
        };
    }
    DomainError::check_version(r.version, l.rec.version)?;
    let now = db::now();
    diesel::insert_into(remedies::table)
        .values((
            remedies::id.eq(id),
            remedies::recommendation_id.eq(rec_id),
            remedies::note.eq(&note),
            remedies::follow_up.eq(&r.follow_up),
            remedies::created_by.eq(&scope.user_id),
            remedies::device_id.eq(&r.device_id),
            remedies::created_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(recommendations::table.find(rec_id))
        .set((
            recommendations::follow_up.eq(&r.follow_up),
            recommendations::version.eq(l.rec.version + 1),
            recommendations::updated_at.eq(now),
        ))
        .execute(conn)?;
    let remedy = store::find_remedy(conn, id)?.ok_or(DomainError::NotFound)?;
    let after = crate::inspections::store::find_recommendation(conn, rec_id)?
        .ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "remedy",
        id,
        None,
        Some(&json(&remedy)),
    )?;
    audit::append(
        conn,
        actor,
        "update",
        "recommendation",
        rec_id,
        Some(&json(&l.rec)),
        Some(&json(&after)),
    )?;
    let inspection = crate::inspections::store::find(conn, &l.rec.inspection_id)?
        .ok_or(DomainError::NotFound)?;
    let keys = || crate::inspections::service::keys(&inspection);
    changes::record(conn, "recommendation", rec_id, keys(), false)?;
    changes::record(conn, "remedy", id, keys(), false)?;
    super::sync::announce(conn, &l.unit_id, Some(rec_id))?;
    Ok((remedy, true))
}

fn json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}
