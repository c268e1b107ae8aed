//! `/dot/{id}`: the round dashboard. What is still missing before the deadline: every unit's
//! state, score, who is filling it and when they last synced, missing evidence, open
//! conflicts and lateness, with a progress bar per team; filters and orders in the address
//! (plain GET forms, so they work without script and can be bookmarked).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::reports::board::{self, Filter, Sort};
use crate::reports::service as reports;
use crate::rounds::service as rounds;
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

#[derive(Deserialize, Default)]
pub struct Query {
    #[serde(default)]
    doan: Option<String>,
    #[serde(rename = "trang-thai", default)]
    status: Option<String>,
    #[serde(rename = "qua-han", default)]
    overdue: Option<String>,
    #[serde(rename = "can-xu-ly", default)]
    attention: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(rename = "sap-xep", default)]
    sort: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

impl Query {
    pub fn sel_team(&self, id: &str) -> bool {
        self.doan.as_deref() == Some(id)
    }

    pub fn sel_status(&self, code: impl AsRef<str>) -> bool {
        self.status.as_deref() == Some(code.as_ref())
    }

    pub fn sel_sort(&self, code: impl AsRef<str>) -> bool {
        self.sort.as_deref().unwrap_or("") == code.as_ref()
    }

    fn filter(&self) -> Filter {
        Filter {
            team_id: nonempty(&self.doan),
            status: nonempty(&self.status),
            overdue_only: self.overdue.is_some(),
            attention_only: self.attention.is_some(),
            query: nonempty(&self.q),
            sort: Sort::parse(self.sort.as_deref().unwrap_or("")),
        }
    }
}

pub struct TeamLine {
    pub id: String,
    pub name: String,
    pub assigned: usize,
    pub approved: usize,
    pub submitted: usize,
    pub returned: usize,
    pub not_started: usize,
    pub overdue: usize,
    pub open_conflicts: usize,
    pub missing_evidence: usize,
}

pub struct UnitLine {
    pub name: String,
    pub code: String,
    pub team: String,
    pub inspection_id: Option<String>,
    pub status_code: String,
    pub status: &'static str,
    pub score: String,
    /// The score is not official yet (not approved).
    pub provisional: bool,
    pub band: String,
    pub who: String,
    pub last_sync: String,
    pub device: String,
    pub missing_evidence: usize,
    pub open_conflicts: usize,
    pub overdue: bool,
    pub submitted_late: bool,
    pub approved_late: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub layout: Layout,
    pub round_id: String,
    pub round_name: String,
    pub period: String,
    pub due: String,
    pub as_of: String,
    pub past_due: bool,
    pub teams: Vec<TeamLine>,
    pub units: Vec<UnitLine>,
    pub total: usize,
    pub q: Query,
    pub can_review: bool,
}

fn unit_line(r: board::BoardRow) -> UnitLine {
    let last = r.last.as_ref();
    UnitLine {
        status: format::status(&r.unit.status),
        score: format::score(r.unit.score.or(r.provisional_score)),
        provisional: r.unit.score.is_none() && r.provisional_score.is_some(),
        band: r.unit.band_label.clone().unwrap_or_default(),
        who: last.map(|a| a.user_name.clone()).unwrap_or_default(),
        last_sync: last.map(|a| format::datetime(a.at)).unwrap_or_default(),
        device: last.and_then(|a| a.device.clone()).unwrap_or_default(),
        missing_evidence: r.missing_evidence,
        open_conflicts: r.open_conflicts,
        overdue: r.overdue,
        submitted_late: r.unit.submitted_late,
        approved_late: r.unit.approved_late,
        inspection_id: r.inspection_id,
        name: r.unit.name,
        code: r.unit.code,
        team: r.unit.team_name,
        status_code: r.unit.status,
    }
}

/// The page's content, without the layout: also what the benchmark renders.
pub fn build(
    conn: &mut crate::db::DbConn,
    scope: &Scope,
    round_id: &str,
    q: Query,
    layout: Layout,
) -> Result<DashboardPage, WebError> {
    let round = rounds::visible_round(conn, scope, round_id)?;
    let b = reports::board(conn, Some(scope), round_id, crate::time::today_local())?;
    let total = b.rows.len();
    let rows = board::apply(&b.rows, &q.filter());
    let teams = b
        .progress
        .teams
        .iter()
        .map(|t| TeamLine {
            id: t.team_id.clone(),
            name: t.team_name.clone(),
            assigned: t.tally.assigned,
            approved: t.tally.approved,
            submitted: t.tally.submitted,
            returned: t.tally.returned,
            not_started: t.tally.not_started,
            overdue: t.tally.overdue,
            open_conflicts: t.tally.open_conflicts,
            missing_evidence: t.tally.missing_evidence,
        })
        .collect();
    Ok(DashboardPage {
        layout,
        round_id: round.id,
        round_name: round.name,
        period: format!(
            "{} – {}",
            format::date(round.starts_on),
            format::date(round.ends_on)
        ),
        due: format::date(round.due_on),
        as_of: format::date(b.progress.as_of),
        past_due: b.progress.past_due,
        teams,
        units: rows.into_iter().map(unit_line).collect(),
        total,
        q,
        can_review: scope.role != crate::role::Role::Viewer,
    })
}

pub async fn dashboard(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
    q: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let q = q.into_inner();
    let title = "Bảng theo dõi đợt kiểm tra";
    render::scoped_page(&req, &state, &user, title, &id, move |c, s, id, l| {
        build(c, s, id, q, l)
    })
    .await
}
