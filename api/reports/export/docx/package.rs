//! The package as written: docx-rs's parts, re-packed.

use std::io::Cursor;

use super::super::ExportError;

/// The same package with every part deflated: docx-rs stores them as they are, which makes a
/// province's report ten times the size it needs to be for a mail attachment.
pub(super) fn deflated(stored: &[u8]) -> Result<Vec<u8>, ExportError> {
    use zip::write::SimpleFileOptions;
    let fail = |e: zip::result::ZipError| ExportError::Docx(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(stored)).map_err(fail)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(fail)?;
        let name = part.name().map_err(fail)?.into_owned();
        if part.is_dir() {
            continue;
        }
        out.start_file(name, options).map_err(fail)?;
        std::io::copy(&mut part, &mut out).map_err(|e| ExportError::Docx(e.to_string()))?;
    }
    Ok(out.finish().map_err(fail)?.into_inner())
}
