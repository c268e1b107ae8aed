//! `/diem-sang`: the caller's bright spots, filtered by unit, status, field and year.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::brightspots::routes::BrightSpotQuery;
use crate::brightspots::service::{self, BrightSpotView, ListFilter};
use crate::brightspots::status::Status;
use crate::role::Role;
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::recommendations::list::Choice;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

/// The filters as the form sends them: empty means "any".
#[derive(Debug, Default, Deserialize)]
pub struct Query {
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub year: String,
}

impl Query {
    fn filter(&self) -> Result<ListFilter, WebError> {
        let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(BrightSpotQuery {
            unit_id: some(&self.unit_id),
            status: some(&self.status),
            field: some(&self.field),
            year: self.year.trim().parse().ok(),
        }
        .filter()?)
    }
}

#[derive(Template)]
#[template(path = "brightspots_list.html")]
struct ListPage {
    layout: Layout,
    q: Query,
    units: Vec<Choice>,
    fields: Vec<String>,
    statuses: Vec<(&'static str, &'static str)>,
    items: Vec<BrightSpotView>,
    total: i64,
    /// A unit's representative or an administrator: the link to register one.
    can_register: bool,
}

/// The units and fields a filter offers: those among the caller's bright spots.
fn choices(all: &[BrightSpotView]) -> (Vec<Choice>, Vec<String>) {
    let mut units: Vec<Choice> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    for s in all {
        if !units.iter().any(|u| u.id == s.unit_id) {
            units.push(Choice {
                id: s.unit_id.clone(),
                label: format!("{} ({})", s.unit_name, s.unit_code),
            });
        }
        if !fields.contains(&s.field) {
            fields.push(s.field.clone());
        }
    }
    units.sort_by(|a, b| a.label.cmp(&b.label));
    fields.sort();
    (units, fields)
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
    let can_register = matches!(me.role, Role::Admin | Role::Unit);
    let layout = Layout::new(&req, &user, "Điểm sáng");
    let page = state
        .db
        .read(move |c| -> Result<_, WebError> {
            let scope = Scope::load(c, &me)?;
            let max = crate::paging::MAX_LIMIT;
            let (all, _) = service::list(c, &scope, &ListFilter::default(), max, 0)?;
            let (units, fields) = choices(&all);
            let (items, total) = service::list(c, &scope, &f, max, 0)?;
            Ok(ListPage {
                layout,
                q,
                units,
                fields,
                statuses: Status::ALL
                    .iter()
                    .map(|s| (s.code(), s.label_vi()))
                    .collect(),
                items,
                total,
                can_register,
            })
        })
        .await?;
    Ok(render::page(&req, &page))
}
