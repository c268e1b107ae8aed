//! `/kien-nghi`: the caller's recommendations, filtered by unit, round, status and overdue,
//! a page at a time (`trang`), as `GET /api/v1/recommendations` pages them.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::recommendations::routes::RecommendationQuery;
use crate::recommendations::service::{self, ListFilter, RecommendationItem};
use crate::recommendations::status::Status;
use crate::recommendations::store::{self, Filter, Located};
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::error::url_encode;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

/// The filters as the form sends them: empty means "any".
#[derive(Debug, Default, Deserialize)]
pub struct Query {
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub round_id: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub overdue: String,
    /// The page, from 1.
    #[serde(default)]
    pub trang: String,
}

/// Recommendations per page.
const PER_PAGE: i64 = 50;

impl Query {
    fn page(&self) -> i64 {
        crate::paging::page_number(Some(&self.trang))
    }

    /// This list, with the same filters, at `page`.
    fn link(&self, page: i64) -> String {
        let mut parts: Vec<String> = [
            ("unit_id", &self.unit_id),
            ("round_id", &self.round_id),
            ("status", &self.status),
            ("overdue", &self.overdue),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
        parts.push(format!("trang={page}"));
        format!("/kien-nghi?{}", parts.join("&"))
    }

    fn filter(&self) -> Result<ListFilter, WebError> {
        let some = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
        Ok(RecommendationQuery {
            unit_id: some(&self.unit_id),
            round_id: some(&self.round_id),
            status: some(&self.status),
            overdue: (self.overdue == "true").then_some(true),
        }
        .filter()?)
    }
}

pub struct Choice {
    pub id: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "recommendations_list.html")]
struct ListPage {
    layout: Layout,
    q: Query,
    units: Vec<Choice>,
    rounds: Vec<Choice>,
    statuses: Vec<(&'static str, &'static str)>,
    items: Vec<RecommendationItem>,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    /// A unit's representative: their own unit's list, to follow up themselves.
    unit: bool,
}

/// The choices a filter offers: those among all the caller's recommendations (not only this
/// page's), in order.
fn choices(all: &[Located]) -> (Vec<Choice>, Vec<Choice>) {
    let mut units: Vec<Choice> = Vec::new();
    let mut rounds: Vec<Choice> = Vec::new();
    for i in all {
        if !units.iter().any(|u| u.id == i.unit_id) {
            let label = format!("{} ({})", i.unit_name, i.unit_code);
            units.push(Choice {
                id: i.unit_id.clone(),
                label,
            });
        }
        if !rounds.iter().any(|r| r.id == i.round_id) {
            let label = i.round_name.clone();
            rounds.push(Choice {
                id: i.round_id.clone(),
                label,
            });
        }
    }
    units.sort_by(|a, b| a.label.cmp(&b.label));
    (units, rounds)
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    q: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let q = q.into_inner();
    let f = q.filter()?;
    let me = user.me.clone();
    let layout = Layout::new(&req, &user, "Kiến nghị");
    let unit = user.me.role == crate::role::Role::Unit;
    let page = q.page();
    let page = state
        .db
        .read(move |c| -> Result<_, WebError> {
            let scope = Scope::load(c, &me)?;
            let reach = Filter {
                units_in: service::reach(c, &scope)?,
                ..Filter::default()
            };
            let (units, rounds) = choices(&store::located(c, &reach)?);
            let offset = (page - 1) * PER_PAGE;
            let (items, total) = service::list(c, &scope, &f, PER_PAGE, offset)?;
            let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
            Ok(ListPage {
                layout,
                prev: (page > 1).then(|| q.link(page - 1)),
                next: (page < pages).then(|| q.link(page + 1)),
                q,
                units,
                rounds,
                statuses: Status::ALL
                    .iter()
                    .map(|s| (s.code(), s.label_vi()))
                    .collect(),
                items,
                total,
                page,
                pages,
                unit,
            })
        })
        .await?;
    Ok(render::page(&req, &page))
}
