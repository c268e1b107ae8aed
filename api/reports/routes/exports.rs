//! `GET /rounds/{id}/exports/{format}`: the report files, generated from the summary.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::ApiError;
use crate::reports::export::csv::CsvDialect;
use crate::reports::export::{self, CsvTable, ExportFormat};
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
}

/// Download the round's report as `docx`, `xlsx`, `csv`, `chart-png` or `chart-svg`, or its
/// evidence as `zip` (every original the caller may see, by unit and item, with a manifest of
/// SHA-256, capture time and GPS; streamed). The figures are the summary's, over the teams of
/// the caller's scope.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Round id"),
        ("format" = inline(ExportFormat), Path, description = "docx, xlsx, csv, chart-png, chart-svg or zip"),
        ExportQuery,
    ),
    responses((status = 200, description = "The file", content(
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
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
    if format == ExportFormat::Zip {
        return crate::media::routes::archive::respond(&state, me, id).await;
    }
    let query = query.into_inner();
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
    let bytes = web::block(move || export::render(format, table, dialect, &report))
        .await
        .map_err(|_| ApiError::Internal("export task failed".into()))??;
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format.file_name(table))],
        })
        .body(bytes))
}
