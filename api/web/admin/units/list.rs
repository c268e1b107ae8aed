//! `/quan-tri/don-vi`: every unit, found by name or code without diacritics or case (`nghi
//! loc` finds "Xã Nghi Lộc", through the same folded column the API searches), filtered by
//! kind, fifty to a page; with the form for a new unit and the CSV import.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{kind_vi, KINDS};
use crate::state::AppState;
use crate::units::fold::fold;
use crate::units::model::UnitKind;
use crate::units::store::{self, UnitFilter};
use crate::web::error::url_encode;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct Query {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    loai: Option<String>,
    #[serde(default)]
    trang: Option<String>,
}

impl Query {
    fn text(&self) -> &str {
        self.q.as_deref().map(str::trim).unwrap_or("")
    }

    fn kind(&self) -> Option<UnitKind> {
        self.loai.as_deref().and_then(UnitKind::parse)
    }

    /// 1-based; anything unreadable is the first page.
    fn page(&self) -> i64 {
        crate::paging::page_number(self.trang.as_deref())
    }

    pub fn sel_kind(&self, code: &str) -> bool {
        self.kind().map(UnitKind::as_str) == Some(code)
    }

    /// The address of another page of the same search.
    fn link(&self, page: i64) -> String {
        let mut parts = Vec::new();
        if !self.text().is_empty() {
            parts.push(format!("q={}", url_encode(self.text())));
        }
        if let Some(k) = self.kind() {
            parts.push(format!("loai={}", k.as_str()));
        }
        parts.push(format!("trang={page}"));
        format!("/quan-tri/don-vi?{}", parts.join("&"))
    }
}

pub struct UnitLine {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub parent: String,
    pub address: String,
}

pub struct KindOption {
    pub code: &'static str,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "admin_units.html")]
struct UnitsPage {
    layout: Layout,
    units: Vec<UnitLine>,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    q: Query,
    kinds: Vec<KindOption>,
}

pub fn kind_options() -> Vec<KindOption> {
    KINDS
        .iter()
        .map(|(k, label)| KindOption {
            code: k.as_str(),
            label,
        })
        .collect()
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    q: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    user.me.require_admin()?;
    let q = q.into_inner();
    let page = q.page();
    let filter = UnitFilter {
        q: Some(fold(q.text())).filter(|s| !s.is_empty()),
        kind: q.kind().map(|k| k.as_str().to_owned()),
        parent_id: None,
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
    };
    let (units, total) = state
        .db
        .read(move |c| -> Result<_, WebError> {
            let (rows, total) = store::list(c, &filter)?;
            let parent_ids: Vec<String> = rows.iter().filter_map(|r| r.parent_id.clone()).collect();
            let parents = store::find_many(c, &parent_ids)?;
            let name_of = |id: &Option<String>| {
                id.as_ref()
                    .and_then(|id| parents.iter().find(|p| &p.id == id))
                    .map(|p| p.name.clone())
                    .unwrap_or_default()
            };
            let lines = rows
                .iter()
                .map(|r| UnitLine {
                    id: r.id.clone(),
                    code: r.code.clone(),
                    name: r.name.clone(),
                    kind: kind_vi(&r.kind),
                    parent: name_of(&r.parent_id),
                    address: r.address.clone().unwrap_or_default(),
                })
                .collect::<Vec<_>>();
            Ok((lines, total))
        })
        .await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page_view = UnitsPage {
        layout: Layout::new(&req, &user, "Đơn vị"),
        units,
        total,
        page,
        pages,
        prev: (page > 1).then(|| q.link(page - 1)),
        next: (page < pages).then(|| q.link(page + 1)),
        q,
        kinds: kind_options(),
    };
    Ok(render::page(&req, &page_view))
}
