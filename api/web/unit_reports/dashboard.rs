//! `/bao-cao-don-vi`: units × obligations of a year, with status chips, dates, filters and
//! counts; administrators set the year's due dates in the form below the table.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::Cell;
use crate::obligations::dues::{self, DueSettings, SetDueDates};
use crate::obligations::kind::Kind;
use crate::obligations::routes::{self, ListQuery};
use crate::obligations::service::Counts;
use crate::role::Role;
use crate::state::AppState;
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

/// The filters as the form sends them: empty means "any".
#[derive(Debug, Default, Deserialize)]
pub struct Query {
    #[serde(default)]
    pub nam: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub unit_kind: String,
}

pub struct Row {
    pub unit_name: String,
    pub unit_code: String,
    pub cells: Vec<Cell>,
}

pub struct DueField {
    pub kind: &'static str,
    pub label: &'static str,
    /// YYYY-MM-DD for the date input.
    pub value: String,
    pub default: bool,
}

#[derive(Template)]
#[template(path = "unit_reports_dashboard.html")]
struct Dashboard {
    layout: Layout,
    year: i32,
    q: Query,
    kinds: Vec<(&'static str, &'static str)>,
    statuses: [(&'static str, &'static str); 4],
    unit_kinds: [(&'static str, &'static str); 4],
    columns: Vec<&'static str>,
    rows: Vec<Row>,
    counts: Counts,
    admin: bool,
    dues: Vec<DueField>,
}

const STATUSES: [(&str, &str); 4] = [
    ("not_submitted", "Chưa nộp"),
    ("overdue", "Quá hạn, chưa nộp"),
    ("on_time", "Nộp đúng hạn"),
    ("late", "Nộp muộn"),
];

const UNIT_KINDS: [(&str, &str); 4] = [
    ("department", "Sở, ban, ngành"),
    ("commune", "Xã"),
    ("ward", "Phường"),
    ("other", "Khác"),
];

fn due_fields(s: &DueSettings) -> Vec<DueField> {
    s.due_dates
        .iter()
        .map(|d| DueField {
            kind: d.kind.as_str(),
            label: d.kind.label(),
            value: d.due_on.format("%Y-%m-%d").to_string(),
            default: d.default,
        })
        .collect()
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    q: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let q = q.into_inner();
    let year = q.nam.trim().parse::<i32>().ok();
    let query = ListQuery {
        year,
        kind: Some(q.kind.clone()),
        status: Some(q.status.clone()),
        unit_kind: Some(q.unit_kind.clone()),
        unit_id: None,
    };
    let list = routes::list(&state, user.me.clone(), query).await?;
    let year = list.year;
    let settings = state.db.read(move |c| dues::settings(c, year)).await?;
    let mut rows: Vec<Row> = Vec::new();
    for o in &list.items {
        match rows.last_mut() {
            Some(r) if r.unit_code == o.unit_code => r.cells.push(Cell::of(o)),
            _ => rows.push(Row {
                unit_name: o.unit_name.clone(),
                unit_code: o.unit_code.clone(),
                cells: vec![Cell::of(o)],
            }),
        }
    }
    let columns = Kind::ALL
        .into_iter()
        .filter(|k| q.kind.is_empty() || q.kind == k.as_str())
        .map(Kind::label)
        .collect();
    let page = Dashboard {
        layout: Layout::new(&req, &user, "Báo cáo của đơn vị"),
        year,
        kinds: Kind::ALL
            .into_iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        statuses: STATUSES,
        unit_kinds: UNIT_KINDS,
        columns,
        rows,
        counts: list.counts,
        admin: user.me.role == Role::Admin,
        dues: due_fields(&settings),
        q,
    };
    Ok(render::page(&req, &page))
}

/// The due-date form: one date per kind, all sent at once.
#[derive(Debug, Deserialize)]
pub struct DueForm {
    nam: i32,
    #[serde(default)]
    programme: String,
    #[serde(default)]
    half_year: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    dan_van_article: String,
}

fn date(s: &str) -> Result<Option<NaiveDate>, WebError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            crate::domain::DomainError::invalid(
                "/due_on",
                "invalid_date",
                "A date is not a valid YYYY-MM-DD date.",
                "Ngày không hợp lệ.",
            )
            .into()
        })
}

/// Saves the year's due dates (administrators), as `PUT /unit-reports/due-dates/{year}`.
pub async fn save_dues(state: web::Data<AppState>, action: Action<DueForm>) -> HttpResponse {
    let Action { user, form } = action;
    let back = format!("/bao-cao-don-vi?nam={}", form.nam);
    let parsed = (|| {
        dues::check_settings_year(form.nam)?;
        Ok::<_, WebError>(SetDueDates {
            programme: date(&form.programme)?,
            half_year: date(&form.half_year)?,
            year: date(&form.year)?,
            dan_van_article: date(&form.dan_van_article)?,
        })
    })();
    let body = match parsed {
        Ok(b) => b,
        Err(e) => return flash::redirect(&back, Flash::err(e.message())),
    };
    let (actor, year) = (user.me.actor(), form.nam);
    let done = state
        .db
        .write(move |c| dues::set_year(c, &actor, year, &body))
        .await
        .map_err(WebError::from);
    match done {
        Ok(_) => flash::redirect(&back, Flash::ok(format!("Đã lưu hạn nộp năm {year}."))),
        Err(e) if e.needs_sign_in() => e.error_response(),
        Err(e) => flash::redirect(&back, Flash::err(e.message())),
    }
}

/// This year, for links.
pub fn this_year() -> i32 {
    crate::time::today_local().year()
}
