//! The files: `GET /dot/{id}/tai-ve?dinh-dang=docx|pdf|xlsx|csv|zip&noi-ban-hanh=…` (the
//! round's report, spreadsheet, table, evidence) and `GET /phieu/{id}/bien-ban?dinh-dang=
//! docx|pdf` (an inspection's biên bản). Both run the API's own handler bodies
//! (`GET /rounds/{id}/exports/{format}`, `GET /inspections/{id}/bien-ban`): the same scope,
//! file names and `Content-Disposition`. A refusal or a missing LibreOffice is an error page
//! whose message carries `data-error`, which `app.js` shows beside the link.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::settings::{allowed, issuers, label};
use crate::db::DbConn;
use crate::domain::{parse_id, DomainError};
use crate::error::ApiError;
use crate::reports::documents::service::Use;
use crate::reports::export::{CsvTable, ExportFormat};
use crate::reports::routes::bien_ban::{bien_ban, RecordFormat};
use crate::reports::routes::exports::{export, ExportQuery};
use crate::reports::store::Loaded;
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::format;
use crate::web::{WebError, WebUser};

/// The round report as one issuer signs it.
pub struct ReportLink {
    /// `snv`, `bcd` or `team:{id}`.
    pub issuer: String,
    pub label: String,
}

/// A submitted or approved inspection, whose biên bản may be printed.
pub struct RecordLink {
    pub inspection_id: String,
    pub unit: String,
    pub team: String,
    pub status_code: String,
    pub status: &'static str,
}

pub struct Links {
    pub reports: Vec<ReportLink>,
    pub records: Vec<RecordLink>,
}

/// The reports the caller may download (per issuer, the service's export rule) and the
/// biên bản of the inspections in view.
pub fn links(
    c: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    teams: &[(String, String)],
    l: &Loaded,
) -> Result<Links, DomainError> {
    let mut reports = Vec::new();
    for issuer in issuers(teams) {
        if allowed(c, scope, round_id, &issuer, Use::Export)? {
            reports.push(ReportLink {
                issuer: issuer.key(),
                label: label(&issuer, teams),
            });
        }
    }
    let mut records: Vec<RecordLink> = l
        .units
        .iter()
        .filter_map(|u| {
            let x = u.inspection.as_ref()?;
            matches!(x.status.as_str(), "approved" | "submitted").then(|| RecordLink {
                inspection_id: x.id.clone(),
                unit: u.name.clone(),
                team: u.team_name.clone(),
                status_code: x.status.clone(),
                status: format::status(&x.status),
            })
        })
        .collect();
    records.sort_by(|a, b| (&a.team, &a.unit).cmp(&(&b.team, &b.unit)));
    Ok(Links { reports, records })
}

#[derive(Deserialize, Default)]
pub struct RoundQuery {
    #[serde(rename = "dinh-dang", default)]
    format: String,
    /// The API's `issuer`: `snv`, `bcd` or `team:{id}`.
    #[serde(rename = "noi-ban-hanh", default)]
    issuer: Option<String>,
    /// The API's `table`, for CSV: `units` (default), `answers`, `recommendations`,
    /// `findings` or `conclusions`.
    #[serde(default)]
    bang: Option<String>,
}

fn bad(what: &str) -> WebError {
    WebError::Api(ApiError::InvalidQuery(what.to_owned()))
}

fn round_format(raw: &str) -> Result<ExportFormat, WebError> {
    Ok(match raw {
        "docx" => ExportFormat::Docx,
        "pdf" => ExportFormat::Pdf,
        "xlsx" => ExportFormat::Xlsx,
        "csv" => ExportFormat::Csv,
        "zip" => ExportFormat::Zip,
        _ => return Err(bad("dinh-dang: docx, pdf, xlsx, csv hoặc zip")),
    })
}

fn nonblank(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `GET /dot/{id}/tai-ve`.
pub async fn round(
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
    q: web::Query<RoundQuery>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id)?;
    let q = q.into_inner();
    let format = round_format(&q.format)?;
    let table = match nonblank(q.bang) {
        None => None,
        Some(t) => Some(
            serde_json::from_value::<CsvTable>(serde_json::Value::String(t)).map_err(|_| {
                bad("bang: units, answers, recommendations, findings hoặc conclusions")
            })?,
        ),
    };
    let query = ExportQuery {
        table,
        dialect: None,
        issuer: nonblank(q.issuer),
    };
    Ok(export(&state, user.me, id, format, query).await?)
}

#[derive(Deserialize, Default)]
pub struct RecordQuery {
    #[serde(rename = "dinh-dang", default)]
    format: String,
}

/// `GET /phieu/{id}/bien-ban`.
pub async fn record(
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
    q: web::Query<RecordQuery>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id)?;
    let format = match q.format.as_str() {
        "" | "docx" => RecordFormat::Docx,
        "pdf" => RecordFormat::Pdf,
        _ => return Err(bad("dinh-dang: docx hoặc pdf")),
    };
    Ok(bien_ban(&state, user.me, id, format).await?)
}
