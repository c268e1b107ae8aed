//! `/dot/{id}/so-sanh`: the round's comparison as a page (the API's `/comparison`, the same
//! figures): means by unit kind with a bar chart drawn as inline SVG, then the unit × section
//! table with each change since the previous round written out (▲/▼ and words, never colour
//! alone), filtered by unit kind in the address; `/dot/{id}/so-sanh/tai-ve` is its workbook.

pub mod chart;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::db::DbConn;
use crate::domain::parse_id;
use crate::reports::compare::{store, Comparison, Means, UnitRow};
use crate::reports::labels;
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

#[derive(Deserialize, Default)]
pub struct Query {
    /// A unit kind (`department`, `commune`, `ward`, `other`); empty: every kind.
    #[serde(default)]
    loai: Option<String>,
}

/// A change since the previous round, as read: `▲ tăng 5` (the arrow is not read aloud).
pub struct Delta {
    /// `up`, `down`, `same`, or empty when there is nothing to compare.
    pub dir: &'static str,
    pub arrow: &'static str,
    pub words: String,
}

fn delta(d: Option<f64>) -> Delta {
    let (dir, arrow, words) = match d {
        None => ("", "", String::new()),
        Some(x) if x > 0.0 => ("up", "▲", format!("tăng {}", labels::score(x))),
        Some(x) if x < 0.0 => ("down", "▼", format!("giảm {}", labels::score(-x))),
        Some(_) => ("same", "=", "không đổi".to_owned()),
    };
    Delta { dir, arrow, words }
}

pub struct CellLine {
    pub value: String,
    pub delta: Delta,
}

pub struct UnitLine {
    pub name: String,
    pub kind: &'static str,
    pub team: String,
    pub status_code: String,
    pub status: &'static str,
    pub cells: Vec<CellLine>,
    pub total: String,
    pub total_delta: Delta,
    pub band: String,
    /// The previous round's name and total, or empty.
    pub previous: String,
}

pub struct MeansLine {
    pub label: String,
    pub units: usize,
    pub counted: usize,
    pub sections: Vec<String>,
    pub total: String,
    pub total_delta: Delta,
}

/// A section's column: a short label in the header ("Phần 1"), the title in the legend and
/// for screen readers (the demo's titles run to a hundred characters).
pub struct ColumnLine {
    pub short: String,
    pub title: String,
}

pub struct KindOption {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "compare.html")]
pub struct ComparePage {
    pub layout: Layout,
    pub round_id: String,
    pub round_name: String,
    pub columns: Vec<ColumnLine>,
    pub kinds: Vec<MeansLine>,
    pub overall: MeansLine,
    pub options: Vec<KindOption>,
    pub units: Vec<UnitLine>,
    pub total: usize,
    pub chart: chart::Chart,
    pub chart_width: f64,
    /// The chart's text alternative: each bar's label and value.
    pub chart_text: String,
}

fn unit_line(u: &UnitRow) -> UnitLine {
    UnitLine {
        name: u.name.clone(),
        kind: labels::unit_kind(&u.kind),
        team: u.team_name.clone(),
        status: format::status(&u.status),
        status_code: u.status.clone(),
        cells: u
            .sections
            .iter()
            .map(|s| CellLine {
                value: format::score(s.percent),
                delta: delta(s.delta),
            })
            .collect(),
        total: format::score(u.total),
        total_delta: delta(u.total_delta),
        band: u.band_label.clone().unwrap_or_default(),
        previous: u.previous.as_ref().map_or(String::new(), |p| {
            format!("{}: {}", p.round_name, format::score(p.total))
        }),
    }
}

fn means_line(label: &str, m: &Means) -> MeansLine {
    MeansLine {
        label: label.to_owned(),
        units: m.units,
        counted: m.counted,
        sections: m.sections.iter().map(|s| format::score(*s)).collect(),
        total: format::score(m.total),
        total_delta: delta(m.total_delta),
    }
}

fn page(cmp: Comparison, q: &Query, layout: Layout) -> ComparePage {
    let kind = q.loai.as_deref().map(str::trim).filter(|k| !k.is_empty());
    let rows: Vec<(String, Option<f64>)> = cmp
        .kinds
        .iter()
        .map(|k| (k.label.clone(), k.means.total))
        .chain([("Chung".to_owned(), cmp.overall.total)])
        .collect();
    let chart = chart::bars(&rows, cmp.max_score);
    let chart_text = chart
        .bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.text))
        .collect::<Vec<_>>()
        .join("; ");
    ComparePage {
        layout,
        round_id: cmp.round_id.clone(),
        round_name: cmp.round_name.clone(),
        columns: cmp
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| ColumnLine {
                short: format!("Phần {}", i + 1),
                title: c.title.clone(),
            })
            .collect(),
        kinds: cmp
            .kinds
            .iter()
            .map(|k| means_line(&k.label, &k.means))
            .collect(),
        overall: means_line("Chung", &cmp.overall),
        options: cmp
            .kinds
            .iter()
            .map(|k| KindOption {
                code: k.kind.clone(),
                label: k.label.clone(),
                selected: kind == Some(k.kind.as_str()),
            })
            .collect(),
        total: cmp.units.len(),
        units: cmp
            .units
            .iter()
            .filter(|u| kind.is_none_or(|k| u.kind == k))
            .map(unit_line)
            .collect(),
        chart,
        chart_width: chart::WIDTH,
        chart_text,
    }
}

fn build(
    c: &mut DbConn,
    scope: &Scope,
    id: &str,
    q: Query,
    l: Layout,
) -> Result<ComparePage, WebError> {
    let cmp = store::comparison(c, Some(scope), id)?;
    Ok(page(cmp, &q, l))
}

pub async fn compare(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
    q: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let q = q.into_inner();
    render::scoped_page(
        &req,
        &state,
        &user,
        "So sánh kết quả",
        &id,
        move |c, s, id, l| build(c, s, id, q, l),
    )
    .await
}

/// `GET /dot/{id}/so-sanh/tai-ve`: the workbook, as the API's `/comparison/xlsx` serves it.
pub async fn download(
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id)?;
    let me = user.me;
    let cmp = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            store::comparison(c, Some(&scope), &id)
        })
        .await?;
    Ok(crate::reports::routes::comparison::xlsx_response(cmp).await?)
}
