//! `/phieu/{id}`: one inspection as its team's lead reviews it. Everything the API's
//! `GET /api/v1/inspections/{id}` carries (answers on the pinned checklist, the score, the
//! recommendations, the review history), with the photos, the comment thread and the
//! findings beside it, and the lead's actions when the inspection's state allows them.
//!
//! Reached only through `inspections::service::visible`, the API's own check: another team's
//! inspection is "not found" here as it is there.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::sheet::{self, SectionView};
use super::words;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::record::people_of;
use crate::inspections::service as inspections;
use crate::inspections::store::{self, CommentRow, EventView, InspectionRow, RecommendationRow};
use crate::inspections::workflow::Standing;
use crate::scope::Scope;
use crate::state::AppState;
use crate::templates::model::Template as Checklist;
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

pub struct Header {
    pub unit: String,
    pub unit_code: String,
    pub team: String,
    pub round_id: String,
    pub round: String,
    pub status_code: String,
    pub status: &'static str,
    pub score: String,
    pub band: String,
    /// A critical item failed and lowered the band.
    pub capped: bool,
    pub submitted: String,
    pub approved: String,
    pub approved_by: String,
    pub return_reason: Option<String>,
}

/// The biên bản record, when the team wrote it.
pub struct Record {
    pub place: String,
    pub held_at: String,
    pub members: Vec<String>,
    pub attendees: Vec<String>,
}

impl Record {
    pub fn is_empty(&self) -> bool {
        self.place.is_empty()
            && self.held_at.is_empty()
            && self.members.is_empty()
            && self.attendees.is_empty()
    }
}

pub struct Findings {
    pub strengths: String,
    pub shortcomings: String,
    pub causes: String,
}

pub struct CommentView {
    pub author: String,
    pub at: String,
    pub body: String,
    /// The item's text, for a comment on one item.
    pub item: Option<String>,
}

pub struct RecommendationView {
    pub content: String,
    pub responsible: String,
    pub due: String,
    pub follow_up: &'static str,
    pub follow_up_code: String,
}

pub struct EventLine {
    pub who: String,
    pub what: &'static str,
    pub at: String,
    pub reason: Option<String>,
}

pub struct ItemChoice {
    pub id: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "review_inspection.html")]
pub struct ReviewPage {
    pub layout: Layout,
    pub id: String,
    pub head: Header,
    pub record: Record,
    pub findings: Findings,
    pub sections: Vec<SectionView>,
    pub comments: Vec<CommentView>,
    pub recommendations: Vec<RecommendationView>,
    /// The unit's recommendations from earlier rounds not done yet (web/recommendations).
    pub earlier: Vec<crate::recommendations::service::RecommendationItem>,
    pub events: Vec<EventLine>,
    /// Open concurrent-edit conflicts, which block approval.
    pub open_conflicts: i64,
    /// Return and approve are possible now, for this caller.
    pub can_review: bool,
    pub can_comment: bool,
    /// A fresh id for the comment form, so a form sent twice adds one comment.
    pub comment_id: String,
    pub items: Vec<ItemChoice>,
    /// 1×1 transparent GIF: the photo dialog's image before one is opened.
    pub blank_gif: &'static str,
    /// The unit's self-assessment beside this inspection (web/selfcheck).
    pub self_check: crate::web::selfcheck::review::SelfCheckView,
}

fn header(
    c: &mut DbConn,
    row: &InspectionRow,
    t: &Checklist,
    report: &crate::templates::scoring::ScoreReport,
    names: &HashMap<String, String>,
) -> Result<Header, DomainError> {
    let unit = crate::units::store::find(c, &row.unit_id)?;
    let team = crate::teams::store::find(c, &row.team_id)?;
    let round = crate::rounds::store::find(c, &row.round_id)?;
    // The band as scored now; the stored code's label if the checklist has no scoring.
    let band = report.band.as_ref().map(|b| b.label.clone()).or_else(|| {
        let code = row.band.as_deref()?;
        let bands = &t.scoring.as_ref()?.bands;
        bands
            .iter()
            .find(|b| b.code == code)
            .map(|b| b.label.clone())
    });
    Ok(Header {
        unit: unit.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
        unit_code: unit.map(|u| u.code).unwrap_or_default(),
        team: team.map(|t| t.name).unwrap_or_default(),
        round_id: row.round_id.clone(),
        round: round.map(|r| r.name).unwrap_or_default(),
        status_code: row.status.clone(),
        status: format::status(&row.status),
        score: report
            .score
            .or(row.score)
            .map(|s| format!("{}/{}", words::number(s), words::number(report.max_score)))
            .unwrap_or_default(),
        band: band.unwrap_or_default(),
        capped: report.capped,
        submitted: format::datetime_opt(row.submitted_at),
        approved: format::datetime_opt(row.approved_at),
        approved_by: row
            .approved_by
            .as_deref()
            .map(|id| words::name_in(names, Some(id)))
            .unwrap_or_default(),
        return_reason: (row.status == "returned")
            .then(|| row.return_reason.clone())
            .flatten(),
    })
}

fn record(row: &InspectionRow) -> Record {
    let person = |p: crate::inspections::record::Person| match p.title {
        Some(t) if !t.is_empty() => format!("{} – {t}", p.name),
        _ => p.name,
    };
    Record {
        place: row.place.clone().unwrap_or_default(),
        held_at: format::datetime_opt(row.held_at),
        members: people_of(row.members.as_deref())
            .into_iter()
            .map(person)
            .collect(),
        attendees: people_of(row.attendees.as_deref())
            .into_iter()
            .map(person)
            .collect(),
    }
}

fn comments(
    rows: Vec<CommentRow>,
    t: &Checklist,
    names: &HashMap<String, String>,
) -> Vec<CommentView> {
    rows.into_iter()
        .map(|r| CommentView {
            author: words::name_in(names, Some(&r.author_id)),
            at: format::datetime(r.created_at),
            item: r.item_id.as_deref().map(|i| {
                t.item(i)
                    .map_or_else(|| i.to_owned(), |it| it.label.clone())
            }),
            body: r.body,
        })
        .collect()
}

fn recommendations(
    c: &mut DbConn,
    rows: Vec<RecommendationRow>,
) -> Result<Vec<RecommendationView>, DomainError> {
    let ids: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.responsible_unit_id.as_deref())
        .collect();
    let units = store::unit_names(c, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| RecommendationView {
            responsible: r
                .responsible_unit_id
                .as_ref()
                .and_then(|u| units.get(u).map(|(_, name)| name.clone()))
                .or(r.responsible)
                .unwrap_or_default(),
            due: r.due_on.map(format::date).unwrap_or_default(),
            follow_up: crate::reports::labels::follow_up(&r.follow_up),
            follow_up_code: r.follow_up,
            content: r.content,
        })
        .collect())
}

fn events(rows: Vec<EventView>) -> Vec<EventLine> {
    rows.into_iter()
        .map(|e| EventLine {
            who: e.actor_name.unwrap_or_else(|| "Người dùng đã xoá".into()),
            what: match (e.event.from_status.as_str(), e.event.to_status.as_str()) {
                ("returned", "submitted") => "Gửi duyệt lại",
                (_, "submitted") => "Gửi duyệt",
                (_, "returned") => "Trả lại cho đoàn",
                (_, "approved") => "Duyệt phiếu",
                _ => "Đổi trạng thái",
            },
            at: format::datetime(e.event.at),
            reason: e.event.reason,
        })
        .collect()
}

/// The page's content for `scope`, or the API's "not found".
pub fn build(
    c: &mut DbConn,
    scope: &Scope,
    id: &str,
    layout: Layout,
    limits: crate::media::checks::Limits,
) -> Result<ReviewPage, WebError> {
    let (row, round_status) = inspections::visible(c, scope, id)?;
    let t = inspections::template_of(c, &row)?;
    let (answers, report) = inspections::report(c, &row)?;
    let evidence = crate::media::store::of_inspection(c, &row.id)?;
    let evidence = crate::media::flagged::flag_all(c, evidence, limits)?;
    let comment_rows = store::comments_of(c, &row.id)?;
    let mut people: Vec<&str> = comment_rows.iter().map(|r| r.author_id.as_str()).collect();
    people.extend(evidence.iter().map(|e| e.evidence.created_by.as_str()));
    people.extend(row.approved_by.as_deref());
    let names = words::names(c, &people)?;
    let standing = scope.standing(&row.team_id);
    let reviewer = matches!(standing, Some(Standing::Lead | Standing::Admin))
        && (round_status == "open" || standing == Some(Standing::Admin));
    let recs = store::recommendations_of(c, &row.id)?;
    let mut layout = layout;
    let head = header(c, &row, &t, &report, &names)?;
    layout.title = format!("Phiếu kiểm tra: {}", head.unit);
    Ok(ReviewPage {
        layout,
        id: row.id.clone(),
        record: record(&row),
        findings: Findings {
            strengths: row.strengths.clone().unwrap_or_default(),
            shortcomings: row.shortcomings.clone().unwrap_or_default(),
            causes: row.causes.clone().unwrap_or_default(),
        },
        sections: sheet::sections(&t, &answers, &report, &evidence, &names),
        comments: comments(comment_rows, &t, &names),
        recommendations: recommendations(c, recs)?,
        earlier: crate::recommendations::earlier::for_inspection(c, scope, &row.id)?,
        events: events(store::events_of(c, &row.id)?),
        open_conflicts: store::blocking_count(c, &row.id)?,
        can_review: reviewer && row.status == "submitted",
        can_comment: standing.is_some(),
        comment_id: crate::db::new_id(),
        items: t
            .items()
            .map(|i| ItemChoice {
                id: i.id.clone(),
                label: i.label.clone(),
            })
            .collect(),
        blank_gif: "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
        self_check: crate::web::selfcheck::review::build(c, scope, &row, &t)?,
        head,
    })
}

pub async fn inspection(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let limits = state.settings.media.check_limits();
    render::scoped_page(
        &req,
        &state,
        &user,
        "Phiếu kiểm tra",
        &id,
        move |c, s, id, l| build(c, s, id, l, limits),
    )
    .await
}
