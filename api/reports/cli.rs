//! `kiemtra export`: a round's report written to a file, as the command line sees it (every
//! team), with the time each step took.

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;

use super::documents::service as documents;
use super::documents::Issuer;
use super::export::csv::CsvDialect;
use super::export::{self, docx, pdf, CsvTable, ExportFormat};
use super::service;
use crate::config::Settings;
use crate::startup::open_database;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The round's id.
    #[arg(long)]
    pub round: String,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// For `csv`: which table.
    #[arg(long, value_enum, default_value = "units")]
    pub table: CsvTable,
    /// For `csv`: `people` (Excel in Vietnamese settings) or `machine`.
    #[arg(long, value_enum, default_value = "people")]
    pub dialect: CsvDialect,
    /// The file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// The date printed on the report (YYYY-MM-DD); by default the issuer's stored date, or
    /// today.
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// For `docx` and `pdf`: who issues it, `snv` (default), `bcd` or `team:<team id>`.
    #[arg(long)]
    pub issuer: Option<String>,
}

pub async fn run(a: ExportArgs, settings: Settings) -> Result<(), Box<dyn std::error::Error>> {
    let db = open_database(&settings).await?;
    let round = crate::domain::parse_id(&a.round).map_err(|_| "no such round")?;
    if a.format == ExportFormat::Zip {
        return evidence_zip(&db, &settings, round, a.out).await;
    }
    let issuer = match a.issuer.as_deref() {
        Some(raw) => Some(Issuer::parse(raw).ok_or("--issuer: snv, bcd or team:<team id>")?),
        None => None,
    };
    let date = a.date;
    let started = Instant::now();
    let d = db
        .read(move |c| {
            let mut d = documents::round_document(c, None, &round, issuer, service::today())?;
            if let Some(date) = date {
                d.letterhead.date = date;
                d.report.issued_on = date;
            }
            Ok::<_, crate::domain::DomainError>(d)
        })
        .await
        .map_err(|e| match e {
            crate::domain::DomainError::NotFound => "no such round".to_string(),
            other => other.to_string(),
        })?;
    let compiled = started.elapsed();
    let rendering = Instant::now();
    let report = &d.report;
    let bytes = match a.format {
        ExportFormat::Docx => docx::render_with(&d.letterhead, &d.plan, report)?,
        ExportFormat::Pdf => {
            let docx = docx::render_with(&d.letterhead, &d.plan, report)?;
            let timeout = std::time::Duration::from_secs(settings.soffice_timeout_secs);
            pdf::from_docx(docx, &settings.soffice, timeout).await?
        }
        other => export::render(other, a.table, a.dialect, report)?,
    };
    let rendered = rendering.elapsed();
    std::fs::write(&a.out, &bytes)?;
    println!(
        "wrote {} ({} bytes; {} units, {} approved): summary {} ms, rendering {} ms",
        a.out.display(),
        bytes.len(),
        report.summary.counts.assigned,
        report.summary.counts.approved,
        compiled.as_millis(),
        rendered.as_millis()
    );
    Ok(())
}

/// The round's evidence originals, every team's, streamed into a ZIP file.
async fn evidence_zip(
    db: &crate::db::Db,
    settings: &Settings,
    round: String,
    out: PathBuf,
) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let limits = settings.media.check_limits();
    let entries = db
        .read(move |c| crate::media::archive::entries(c, None, &round, limits))
        .await
        .map_err(|e| match e {
            crate::domain::DomainError::NotFound => "no such round".to_string(),
            other => other.to_string(),
        })?;
    let store = crate::media::blob::open(settings)?;
    let rt = tokio::runtime::Handle::current();
    let n = entries.len();
    let path = out.clone();
    tokio::task::spawn_blocking(move || {
        let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        crate::media::archive::write(file, &entries, |e| {
            crate::media::archive::open(&rt, store.as_ref(), e)
        })
    })
    .await??;
    println!(
        "wrote {} ({} photos, {} bytes) in {} ms",
        out.display(),
        n,
        std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0),
        started.elapsed().as_millis()
    );
    Ok(())
}
