//! PDFs: our own DOCX converted by LibreOffice, headless, at request time. The PDF is then
//! exactly the render the tests check (one layout to keep, not two); it runs with no network
//! and no desktop; and Liberation Serif (fonts-liberation2), metrically compatible with Times
//! New Roman, prints every Vietnamese letter.
//!
//! One conversion at a time (LibreOffice is heavy), each with its own throw-away profile
//! (`-env:UserInstallation`) so conversions never share or lock state, off the async workers,
//! and killed after a timeout.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

static ONE_AT_A_TIME: Semaphore = Semaphore::const_new(1);

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("LibreOffice `{0}` cannot be started: {1}")]
    Missing(String, std::io::Error),
    #[error("LibreOffice took longer than {0:?}")]
    Timeout(Duration),
    #[error("LibreOffice failed: {0}")]
    Failed(String),
    #[error("pdf: {0}")]
    Io(#[from] std::io::Error),
}

impl From<PdfError> for crate::error::ApiError {
    fn from(e: PdfError) -> Self {
        crate::error::ApiError::PdfUnavailable(e.to_string())
    }
}

/// Converts a DOCX to PDF with `program` (LibreOffice's `soffice`).
pub async fn from_docx(
    docx: Vec<u8>,
    program: &str,
    timeout: Duration,
) -> Result<Vec<u8>, PdfError> {
    let _turn = ONE_AT_A_TIME
        .acquire()
        .await
        .map_err(|e| PdfError::Failed(e.to_string()))?;
    let program = program.to_owned();
    tokio::task::spawn_blocking(move || match convert(&docx, &program, timeout) {
        // LibreOffice sometimes fails its first start on a fresh profile (it restarts itself
        // and exits 81, or loses the document); one more try, on a new profile, is what makes
        // it dependable under load. A timeout is not retried: the caller has waited enough.
        Err(PdfError::Failed(why)) => {
            tracing::warn!(%why, "LibreOffice failed; trying once more");
            convert(&docx, &program, timeout)
        }
        other => other,
    })
    .await
    .map_err(|e| PdfError::Failed(e.to_string()))?
}

fn convert(docx: &[u8], program: &str, timeout: Duration) -> Result<Vec<u8>, PdfError> {
    let dir = tempfile::Builder::new().prefix("kiemtra-pdf-").tempdir()?;
    let input = dir.path().join("document.docx");
    std::fs::write(&input, docx)?;
    let profile = dir.path().join("profile");
    let log = std::fs::File::create(dir.path().join("soffice.log"))?;
    let mut child = Command::new(program)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nolockcheck",
        ])
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .map_err(|e| PdfError::Missing(program.to_owned(), e))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > timeout {
            // Best effort: the process may have just ended.
            let _ = child.kill();
            let _ = child.wait();
            return Err(PdfError::Timeout(timeout));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = dir.path().join("document.pdf");
    if !status.success() || !output.exists() {
        return Err(PdfError::Failed(why(dir.path(), status)));
    }
    Ok(std::fs::read(output)?)
}

fn why(dir: &Path, status: std::process::ExitStatus) -> String {
    let log = std::fs::read_to_string(dir.join("soffice.log")).unwrap_or_default();
    let tail: String = log
        .chars()
        .rev()
        .take(400)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{status}; {}", tail.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_missing_program_is_told_apart() {
        let e = from_docx(
            vec![1, 2, 3],
            "/nonexistent/soffice",
            Duration::from_secs(5),
        )
        .await
        .unwrap_err();
        assert!(matches!(e, PdfError::Missing(..)), "{e}");
        let api: crate::error::ApiError = e.into();
        assert_eq!(api.code(), "pdf_unavailable");
        assert_eq!(api.status().as_u16(), 503);
    }
}
