//! `GET /rounds/{id}/exports/{format}`: the report files, generated from the summary.

use std::time::Duration;

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::ApiError;
use crate::reports::documents::service::{self as documents, RoundDocument};
use crate::reports::documents::Issuer;
use crate::reports::export::csv::CsvDialect;
use crate::reports::export::{self, docx, pdf, CsvTable, ExportFormat};
use crate::reports::service;
use crate::scope::Scope;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// For `csv`: `units` (default), `answers` or `recommendations`.
    #[param(inline)]
    pub table: Option<CsvTable>,
    /// For `csv`: `people` (default: `;`, decimal comma, dd/mm/yyyy, UTF-8 with BOM, for
    /// Excel in Vietnamese settings) or `machine` (`,`, decimal point, ISO dates, no BOM).
    #[param(inline)]
    pub dialect: Option<CsvDialect>,
    /// For `docx` and `pdf`: who issues the report, `snv` (Sở Nội vụ), `bcd` (the steering
    /// committee) or `team:{team_id}` (a team's own report, over its units). Default: `snv`
    /// for administrators and viewers, else the caller's team.
    pub issuer: Option<String>,
}

/// Parses an `issuer` named in a query.
pub fn issuer_of(raw: Option<&str>) -> Result<Option<Issuer>, ApiError> {
    raw.map(|r| {
        Issuer::parse(r).ok_or_else(|| {
            ApiError::InvalidQuery(format!("issuer `{r}`: snv, bcd or team:<team id>"))
        })
    })
    .transpose()
}

/// Renders the DOCX off the actix worker, then converts it when a PDF is asked for.
pub async fn document_bytes(
    state: &AppState,
    format: ExportFormat,
    render: impl FnOnce() -> Result<Vec<u8>, export::ExportError> + Send + 'static,
) -> Result<Vec<u8>, ApiError> {
    let docx = web::block(render).await??;
    if format != ExportFormat::Pdf {
        return Ok(docx);
    }
    let timeout = Duration::from_secs(state.settings.soffice_timeout_secs);
    Ok(pdf::from_docx(docx, &state.settings.soffice, timeout).await?)
}

/// Download the round's report as `docx` or `pdf` (issued by `issuer`: Nghị định 30/2020
/// layout), `xlsx`, `csv`, `chart-png` or `chart-svg`, or its evidence as `zip` (every
/// original the caller may see, by unit and item, with a manifest of SHA-256, capture time
/// and GPS; streamed). The figures are the summary's, over the teams of the caller's scope.
/// `pdf` answers 503 `pdf_unavailable` when the server has no LibreOffice.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Round id"),
        ("format" = inline(ExportFormat), Path, description = "docx, pdf, xlsx, csv, chart-png, chart-svg or zip"),
        ExportQuery,
    ),
    responses((status = 200, description = "The file", content(
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("application/pdf"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("text/csv"),
        ("image/png"),
        ("image/svg+xml"),
        ("application/zip"),
    )))
)]
#[get("/rounds/{id}/exports/{format}")]
pub async fn export_round(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, ExportFormat)>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, format) = path.into_inner();
    let id = parse_id(&id)?;
    export(&state, me, id, format, query.into_inner()).await
}

/// The body of `GET /rounds/{id}/exports/{format}`, shared with the web app's download link
/// (`/dot/{id}/tai-ve`): the same scope, file and `Content-Disposition`. `id` is parsed.
pub async fn export(
    state: &AppState,
    me: CurrentUser,
    id: String,
    format: ExportFormat,
    query: ExportQuery,
) -> Result<HttpResponse, ApiError> {
    let bytes = match format {
        ExportFormat::Zip => return crate::media::routes::archive::respond(state, me, id).await,
        ExportFormat::Docx | ExportFormat::Pdf => {
            let issuer = issuer_of(query.issuer.as_deref())?;
            let d: RoundDocument = state
                .db
                .read(move |c| {
                    let scope = Scope::load(c, &me)?;
                    documents::round_document(c, Some(&scope), &id, issuer, service::today())
                })
                .await?;
            document_bytes(state, format, move || {
                docx::render_with(&d.letterhead, &d.plan, &d.report)
            })
            .await?
        }
        _ => {
            let (table, dialect) = (
                query.table.unwrap_or_default(),
                query.dialect.unwrap_or_default(),
            );
            let report = state
                .db
                .read(move |c| {
                    let scope = Scope::load(c, &me)?;
                    service::report(c, Some(&scope), &id, service::today())
                })
                .await?;
            // Rendering is CPU work of up to a second for a province: off the actix worker.
            web::block(move || export::render(format, table, dialect, &report)).await??
        }
    };
    let table = query.table.unwrap_or_default();
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format.file_name(table))],
        })
        .body(bytes))
}
