//! `/kien-nghi`: the caller's recommendations, filtered by unit, round, status and overdue.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::recommendations::routes::RecommendationQuery;
use crate::recommendations::service::{self, ListFilter, RecommendationItem};
use crate::recommendations::status::Status;
use crate::scope::Scope;
use crate::state::AppState;
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
}

impl Query {
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
}

/// The choices a filter offers: those among the caller's recommendations, in order.
fn choices(all: &[RecommendationItem]) -> (Vec<Choice>, Vec<Choice>) {
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
    let page = state
        .db
        .read(move |c| -> Result<_, WebError> {
            let scope = Scope::load(c, &me)?;
            let max = crate::paging::MAX_LIMIT;
            let (all, _) = service::list(c, &scope, &ListFilter::default(), max, 0)?;
            let (units, rounds) = choices(&all);
            let (items, total) = service::list(c, &scope, &f, max, 0)?;
            Ok(ListPage {
                layout,
                q,
                units,
                rounds,
                statuses: Status::ALL
                    .iter()
                    .map(|s| (s.code(), s.label_vi()))
                    .collect(),
                items,
                total,
            })
        })
        .await?;
    Ok(render::page(&req, &page))
}
