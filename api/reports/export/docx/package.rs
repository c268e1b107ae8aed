//! The package as written: docx-rs's parts, re-packed deflated, with the two things docx-rs
//! cannot write put in: repeating table headers and true core properties.

use std::io::{Cursor, Read};

use docx_rs::Docx;

use super::super::ExportError;
use super::tables::HEADER_MARK;

fn fail<E: std::fmt::Display>(e: E) -> ExportError {
    ExportError::Docx(e.to_string())
}

/// Builds `doc` and re-packs it (see [`repack`]) with `author` and `title` and the time now.
pub(super) fn finish(doc: Docx, author: &str, title: &str) -> Result<Vec<u8>, ExportError> {
    let mut out = Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(fail)?;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    repack(&out.into_inner(), &core_xml(author, title, &now))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// docProps/core.xml: docx-rs writes 1970 and "unknown" unless told, and has no way to name
/// the author; the issuer is the author, created and modified now (UTC).
fn core_xml(author: &str, title: &str, now: &str) -> String {
    let (a, t) = (escape(author), escape(title));
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{t}</dc:title><dc:creator>{a}</dc:creator><cp:lastModifiedBy>{a}</cp:lastModifiedBy>",
            "<cp:revision>1</cp:revision>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>"#,
            "</cp:coreProperties>"
        ),
        t = t,
        a = a,
        now = now
    )
}

/// The same package with every part deflated (docx-rs stores them as they are, which makes a
/// province's report ten times the size it needs to be for a mail attachment), header rows
/// marked to repeat, and `core` as its core properties.
fn repack(stored: &[u8], core: &str) -> Result<Vec<u8>, ExportError> {
    use zip::write::SimpleFileOptions;
    let mut archive = zip::ZipArchive::new(Cursor::new(stored)).map_err(fail)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(fail)?;
        let name = part.name().map_err(fail)?.into_owned();
        if part.is_dir() {
            continue;
        }
        out.start_file(name.as_str(), options).map_err(fail)?;
        match name.as_str() {
            "docProps/core.xml" => std::io::Write::write_all(&mut out, core.as_bytes()),
            "word/document.xml" => {
                let mut xml = String::new();
                part.read_to_string(&mut xml).map_err(fail)?;
                let xml = xml.replace(HEADER_MARK, "<w:tblHeader />");
                std::io::Write::write_all(&mut out, xml.as_bytes())
            }
            _ => std::io::copy(&mut part, &mut out).map(|_| ()),
        }
        .map_err(fail)?;
    }
    Ok(out.finish().map_err(fail)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_properties_name_the_issuer_and_the_time() {
        let x = core_xml(
            "ĐOÀN KIỂM TRA SỐ 1",
            "Báo cáo <năm 2026>",
            "2026-12-02T05:21:00Z",
        );
        assert!(x.contains("<dc:creator>ĐOÀN KIỂM TRA SỐ 1</dc:creator>"));
        assert!(x.contains("<dc:title>Báo cáo &lt;năm 2026&gt;</dc:title>"));
        assert!(x.contains(">2026-12-02T05:21:00Z</dcterms:created>"));
        assert!(!x.contains("1970"));
    }
}
