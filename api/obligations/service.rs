//! Unit-report rules: whose obligations the caller sees (scope), each obligation's due date
//! and status, receiving a unit's document, and Sở Nội vụ's due dates. Each function runs in
//! the caller's transaction and audits what it changes.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::kind::Kind;
use super::status::{self, Status};
use super::store::{self, ReportRow};
use crate::attachments::service::{self as files, Received, Recorded};
use crate::attachments::store::AttachmentRow;
use crate::attachments::{AttachmentError, OwnerKind};
use crate::audit::{self, Actor};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::role::Role;
use crate::scope::Scope;

/// One document a unit sent.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = UnitReportSubmission)]
pub struct Submission {
    /// The submission's id; its file is the attachment of the same id.
    pub id: String,
    #[serde(serialize_with = "crate::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub submitted_at: NaiveDateTime,
    pub submitted_by: String,
    pub filename: String,
    pub media_type: String,
    pub size_bytes: i64,
    /// `GET` it for the file.
    pub download: String,
}

/// One unit's obligation for a kind and year, as read now.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = UnitReportObligation)]
pub struct Obligation {
    pub unit_id: String,
    pub unit_code: String,
    pub unit_name: String,
    /// `department`, `commune`, `ward` or `other`.
    pub unit_kind: String,
    pub year: i32,
    pub kind: Kind,
    pub kind_label: String,
    /// Local date, inclusive.
    pub due_on: NaiveDate,
    /// The unit has its own due date for this kind and year.
    pub due_overridden: bool,
    pub status: Status,
    /// Chưa nộp, Nộp đúng hạn, Nộp muộn.
    pub status_label: String,
    /// Not sent and past its due day.
    pub overdue: bool,
    /// The first submission: it decides `on_time` or `late`, and is the date received.
    #[serde(serialize_with = "crate::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub first_submitted_at: Option<NaiveDateTime>,
    /// Every document sent, oldest first; the last is the one that counts.
    pub submissions: Vec<Submission>,
}

impl Obligation {
    /// The document that counts: the latest sent.
    pub fn latest(&self) -> Option<&Submission> {
        self.submissions.last()
    }
}

#[derive(Debug, Default, Clone, Serialize, ToSchema)]
#[schema(as = UnitReportCounts)]
pub struct Counts {
    pub total: usize,
    pub not_submitted: usize,
    pub on_time: usize,
    pub late: usize,
    pub overdue: usize,
}

impl Counts {
    pub fn of(list: &[Obligation]) -> Counts {
        let mut c = Counts {
            total: list.len(),
            ..Counts::default()
        };
        for o in list {
            match o.status {
                Status::NotSubmitted => c.not_submitted += 1,
                Status::OnTime => c.on_time += 1,
                Status::Late => c.late += 1,
            }
            c.overdue += usize::from(o.overdue);
        }
        c
    }
}

/// What a list is narrowed to. `status` also takes `overdue`.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub kind: Option<Kind>,
    pub status: Option<String>,
    pub unit_kind: Option<String>,
    pub unit_id: Option<String>,
}

/// The units whose obligations the caller reads; `None`: all. Administrators and viewers:
/// all; leads and inspectors: the units their teams are assigned to (inspectors: in open
/// rounds), as recommendations are followed; a unit's representative: their own.
pub fn reach(conn: &mut DbConn, scope: &Scope) -> Result<Option<Vec<String>>, DomainError> {
    // The same units as the recommendations a caller follows: one rule, kept there.
    crate::recommendations::service::reach(conn, scope)
}

fn reaches(reach: &Option<Vec<String>>, unit_id: &str) -> bool {
    reach
        .as_ref()
        .is_none_or(|u| u.iter().any(|x| x == unit_id))
}

/// Whether the caller may read submission `report_id` (and its file).
pub fn may_read_report(
    conn: &mut DbConn,
    scope: &Scope,
    report_id: &str,
) -> Result<bool, DomainError> {
    let Some(r) = store::find(conn, report_id)? else {
        return Ok(false);
    };
    Ok(reaches(&reach(conn, scope)?, &r.unit_id))
}

/// The due dates of a year: Sở Nội vụ's where set, the defaults otherwise, and units' own.
pub struct Dues {
    pub year: i32,
    pub set: HashMap<Kind, NaiveDate>,
    pub own: HashMap<(String, Kind), NaiveDate>,
}

impl Dues {
    pub fn load(conn: &mut DbConn, year: i32) -> Result<Dues, DomainError> {
        let set = store::due_dates(conn, year)?
            .into_iter()
            .filter_map(|(k, d)| Some((Kind::parse(&k)?, d)))
            .collect();
        let own = store::overrides(conn, year)?
            .into_iter()
            .filter_map(|(u, k, d)| Some(((u, Kind::parse(&k)?), d)))
            .collect();
        Ok(Dues { year, set, own })
    }

    /// The year's due date for a kind (no unit's own).
    pub fn of_year(&self, kind: Kind) -> Option<NaiveDate> {
        self.set.get(&kind).copied().or(kind.default_due(self.year))
    }

    /// A unit's due date, and whether it is the unit's own.
    pub fn of(&self, unit_id: &str, kind: Kind) -> Option<(NaiveDate, bool)> {
        match self.own.get(&(unit_id.to_owned(), kind)) {
            Some(d) => Some((*d, true)),
            None => self.of_year(kind).map(|d| (d, false)),
        }
    }
}

/// `(id, code, name, kind)` of the units in reach, by name.
fn units(
    conn: &mut DbConn,
    reach: &Option<Vec<String>>,
    f: &Filter,
) -> Result<Vec<(String, String, String, String)>, DomainError> {
    use crate::db::schema::units as u;
    let mut q = u::table
        .select((u::id, u::code, u::name, u::kind))
        .order((u::name_folded.asc(), u::id.asc()))
        .into_boxed();
    if let Some(ids) = reach {
        q = q.filter(u::id.eq_any(ids.clone()));
    }
    if let Some(k) = &f.unit_kind {
        q = q.filter(u::kind.eq(k.clone()));
    }
    if let Some(id) = &f.unit_id {
        q = q.filter(u::id.eq(id.clone()));
    }
    Ok(q.load(conn)?)
}

fn submission(r: &ReportRow, file: Option<&AttachmentRow>) -> Submission {
    Submission {
        id: r.id.clone(),
        submitted_at: r.submitted_at,
        submitted_by: r.submitted_by.clone(),
        filename: file.map(|f| f.filename.clone()).unwrap_or_default(),
        media_type: file.map(|f| f.media_type.clone()).unwrap_or_default(),
        size_bytes: file.map_or(0, |f| f.size_bytes),
        download: format!("/api/v1/attachments/{}", r.id),
    }
}

/// The caller's obligations for `year` matching `f`, by unit name then kind.
pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    year: i32,
    f: &Filter,
    today: NaiveDate,
) -> Result<Vec<Obligation>, DomainError> {
    let reach = reach(conn, scope)?;
    let units = units(conn, &reach, f)?;
    let ids: Vec<String> = units.iter().map(|u| u.0.clone()).collect();
    let dues = Dues::load(conn, year)?;
    let reports = store::reports(conn, year, Some(&ids))?;
    let report_ids: Vec<String> = reports.iter().map(|r| r.id.clone()).collect();
    let files: HashMap<String, AttachmentRow> =
        crate::attachments::store::of_owner(conn, OwnerKind::UnitReport.as_str(), &report_ids)?
            .into_iter()
            .map(|a| (a.owner_id.clone(), a))
            .collect();
    let mut sent: BTreeMap<(String, Kind), Vec<Submission>> = BTreeMap::new();
    for r in &reports {
        if let Some(k) = Kind::parse(&r.kind) {
            sent.entry((r.unit_id.clone(), k))
                .or_default()
                .push(submission(r, files.get(&r.id)));
        }
    }
    let mut out = Vec::new();
    for (id, code, name, unit_kind) in units {
        for kind in Kind::ALL
            .into_iter()
            .filter(|k| f.kind.is_none_or(|w| w == *k))
        {
            let Some((due_on, own)) = dues.of(&id, kind) else {
                continue;
            };
            let submissions = sent.remove(&(id.clone(), kind)).unwrap_or_default();
            let first = submissions.first().map(|s| s.submitted_at);
            let st = status::status(first, due_on);
            let o = Obligation {
                unit_id: id.clone(),
                unit_code: code.clone(),
                unit_name: name.clone(),
                unit_kind: unit_kind.clone(),
                year,
                kind,
                kind_label: kind.label().to_owned(),
                due_on,
                due_overridden: own,
                status: st,
                status_label: st.label().to_owned(),
                overdue: status::overdue(st, due_on, today),
                first_submitted_at: first,
                submissions,
            };
            let keep = match f.status.as_deref() {
                None | Some("") => true,
                Some("overdue") => o.overdue,
                Some(s) => o.status.as_str() == s,
            };
            if keep {
                out.push(o);
            }
        }
    }
    Ok(out)
}

/// One unit's obligation (no scope check: callers check it).
pub fn one(
    conn: &mut DbConn,
    unit_id: &str,
    year: i32,
    kind: Kind,
    today: NaiveDate,
) -> Result<Option<Obligation>, DomainError> {
    let f = Filter {
        kind: Some(kind),
        unit_id: Some(unit_id.to_owned()),
        ..Filter::default()
    };
    Ok(list(conn, &everyone(), year, &f, today)?.into_iter().next())
}

/// A scope reaching every unit, for callers that checked the caller's reach themselves (one
/// obligation above; the round report, over the units of its own teams).
pub(crate) fn everyone() -> Scope {
    Scope {
        role: Role::Admin,
        user_id: String::new(),
        team_ids: Vec::new(),
        led_team_ids: Vec::new(),
        unit_id: None,
    }
}

/// The years a unit may send for: last year's (a year report due in January) to next year's.
pub fn check_year(year: i32, today: NaiveDate) -> Result<(), DomainError> {
    if (today.year() - 1..=today.year() + 1).contains(&year) {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "/year",
            "year_out_of_range",
            "Reports are received for last year, this year and next year only.",
            "Chỉ nhận báo cáo của năm trước, năm nay và năm sau.",
        ))
    }
}

/// Records a document the caller's unit sent for `kind` in `year`, as submission (and
/// attachment) `id`. Unit representatives only, for their own unit. The same id and bytes
/// again change nothing (`Same`).
#[allow(clippy::too_many_arguments)]
pub fn submit(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    year: i32,
    kind: Kind,
    id: &str,
    filename: &str,
    file: &Received,
) -> Result<(Obligation, Recorded), AttachmentError> {
    let unit = match (scope.role, &scope.unit_id) {
        (Role::Unit, Some(u)) => u.clone(),
        _ => return Err(DomainError::Forbidden.into()),
    };
    let user = actor.user_id.clone().unwrap_or_default();
    let row = ReportRow {
        id: id.to_owned(),
        unit_id: unit.clone(),
        year,
        kind: kind.as_str().to_owned(),
        submitted_by: user.clone(),
        submitted_at: crate::db::now(),
    };
    if store::insert(conn, &row)? == 0 {
        let r = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
        if r.unit_id != unit || r.year != year || r.kind != kind.as_str() {
            return Err(DomainError::id_taken().into());
        }
    }
    let (row, recorded) =
        files::record(conn, id, OwnerKind::UnitReport, id, filename, file, &user)?;
    if recorded == Recorded::New {
        audit::append(
            conn,
            actor,
            "submit",
            "unit_report",
            id,
            None,
            Some(
                &json!({"unit_id": unit, "year": year, "kind": kind.as_str(),
                "filename": row.filename, "sha256": row.sha256, "size_bytes": row.size_bytes}),
            ),
        )?;
    }
    let o =
        one(conn, &unit, year, kind, crate::time::today_local())?.ok_or(DomainError::NotFound)?;
    Ok((o, recorded))
}
