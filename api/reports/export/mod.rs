//! Exports generated from the summary: one file per format, each a pure function of a
//! [`Report`] to bytes; the evidence ZIP alone streams originals from the blob store instead
//! (`media::archive`), so callers route it there.

pub mod chart;
pub mod csv;
pub mod docx;
pub mod pdf;
pub mod tables;
pub mod xlsx;

use serde::Deserialize;
use utoipa::ToSchema;

use super::service::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// The committee's report (Nghị định 30/2020/NĐ-CP format), chart included.
    Docx,
    /// The same report converted to PDF by LibreOffice (`docs/operations.md`).
    Pdf,
    /// Units, every answer, and recommendations: one sheet each.
    Xlsx,
    /// One of the XLSX's tables (`table`), for Excel in Vietnamese settings or, with
    /// `dialect=machine`, for programs.
    Csv,
    /// The rating distribution and the weakest items.
    ChartPng,
    ChartSvg,
    /// Every evidence original of the round, by unit and item, with a manifest; streamed
    /// (see `media::archive`), not rendered from the summary.
    Zip,
}

/// Which table a CSV export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum CsvTable {
    #[default]
    Units,
    Answers,
    Recommendations,
    Findings,
    Conclusions,
}

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            ExportFormat::Pdf => "application/pdf",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::ChartPng => "image/png",
            ExportFormat::ChartSvg => "image/svg+xml",
            ExportFormat::Zip => "application/zip",
        }
    }

    /// A file name without diacritics, so every browser and mail client keeps it.
    pub fn file_name(self, table: CsvTable) -> String {
        match self {
            ExportFormat::Docx => "bao-cao-ket-qua-kiem-tra.docx".into(),
            ExportFormat::Pdf => "bao-cao-ket-qua-kiem-tra.pdf".into(),
            ExportFormat::Xlsx => "ket-qua-kiem-tra.xlsx".into(),
            ExportFormat::Csv => format!("ket-qua-kiem-tra-{}.csv", tables::slug(table)),
            ExportFormat::ChartPng => "bieu-do-ket-qua.png".into(),
            ExportFormat::ChartSvg => "bieu-do-ket-qua.svg".into(),
            ExportFormat::Zip => "minh-chung.zip".into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("docx: {0}")]
    Docx(String),
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("csv: {0}")]
    Csv(String),
    #[error("chart: {0}")]
    Chart(String),
    #[error("the evidence archive is streamed from the blob store, not rendered")]
    Streamed,
    #[error("a PDF is converted from the DOCX by LibreOffice, not rendered")]
    Converted,
}

impl From<ExportError> for crate::error::ApiError {
    fn from(e: ExportError) -> Self {
        crate::error::ApiError::Internal(e.to_string())
    }
}

/// Renders the report in `format` (`table` and `dialect` only matter for CSV).
pub fn render(
    format: ExportFormat,
    table: CsvTable,
    dialect: csv::CsvDialect,
    report: &Report,
) -> Result<Vec<u8>, ExportError> {
    match format {
        ExportFormat::Docx => docx::render(report),
        ExportFormat::Xlsx => xlsx::render(report),
        ExportFormat::Csv => csv::render(&tables::table(table, report), dialect),
        ExportFormat::ChartPng => chart::png(&report.summary),
        ExportFormat::ChartSvg => chart::svg(&report.summary).map(String::into_bytes),
        ExportFormat::Zip => Err(ExportError::Streamed),
        ExportFormat::Pdf => Err(ExportError::Converted),
    }
}
