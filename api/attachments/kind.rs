//! What a file is, by its bytes: PDF (`%PDF-` at the start and `%%EOF` near the end), DOCX (a
//! readable zip holding `[Content_Types].xml` and `word/document.xml`), or a JPEG, PNG or WebP
//! photo (the evidence pipeline's magic-byte sniffing). Anything else is refused. Also the
//! name a download is offered under (RFC 6266 `filename*`).

use std::io::{Read, Seek, SeekFrom};

use serde::Serialize;
use utoipa::ToSchema;

/// The kinds of file an attachment may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = AttachmentFileKind)]
pub enum FileKind {
    Pdf,
    Docx,
    Jpeg,
    Png,
    Webp,
}

impl FileKind {
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
        }
    }

    /// A photo: decoded before it is kept, as evidence is.
    pub fn is_photo(self) -> bool {
        matches!(self, FileKind::Jpeg | FileKind::Png | FileKind::Webp)
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
        }
    }
}

/// How far from the end `%%EOF` may sit: writers add a line end or a little padding after it.
const EOF_WINDOW: u64 = 2048;

/// The file's kind, or `None` when it is none of the accepted ones. Reads the head, the tail,
/// and for a zip only its central directory (never inflates an entry, so a zip bomb costs
/// nothing).
pub fn detect<R: Read + Seek>(mut f: R) -> std::io::Result<Option<FileKind>> {
    let mut head = [0u8; 32];
    let n = read_up_to(&mut f, &mut head)?;
    let head = &head[..n];
    if head.starts_with(b"%PDF-") {
        return Ok(pdf_ends(&mut f)?.then_some(FileKind::Pdf));
    }
    if head.starts_with(b"PK\x03\x04") {
        f.seek(SeekFrom::Start(0))?;
        return Ok(is_docx(f).then_some(FileKind::Docx));
    }
    Ok(match crate::media::inspect::sniff(head) {
        Ok(crate::media::inspect::Format::Jpeg) => Some(FileKind::Jpeg),
        Ok(crate::media::inspect::Format::Png) => Some(FileKind::Png),
        Ok(crate::media::inspect::Format::WebP) => Some(FileKind::Webp),
        Err(_) => None,
    })
}

fn read_up_to<R: Read>(f: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn pdf_ends<R: Read + Seek>(f: &mut R) -> std::io::Result<bool> {
    let len = f.seek(SeekFrom::End(0))?;
    let start = len.saturating_sub(EOF_WINDOW);
    f.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::new();
    f.take(EOF_WINDOW).read_to_end(&mut tail)?;
    Ok(tail.windows(5).any(|w| w == b"%%EOF"))
}

fn is_docx<R: Read + Seek>(f: R) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(f) else {
        return false;
    };
    zip.by_name("[Content_Types].xml").is_ok() && zip.by_name("word/document.xml").is_ok()
}

/// The name kept for a file: the last path part of what the client sent, without control
/// characters, NFC, at most 200 characters; `tep.<ext>` when nothing is left.
pub fn clean_filename(raw: &str, kind: FileKind) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = crate::domain::nfc(last)
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let name = name.trim().trim_start_matches('.').to_owned();
    if name.is_empty() {
        format!("tep.{}", kind.extension())
    } else {
        name
    }
}

/// `Content-Disposition` for a download (RFC 6266): an ASCII `filename` for old clients and
/// the exact name as `filename*=UTF-8''…` (RFC 8187 percent-encoding).
pub fn content_disposition(filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in filename.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b);
        if keep {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_of(names: &[&str]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for n in names {
            w.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"<x/>").unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn kind(bytes: &[u8]) -> Option<FileKind> {
        detect(Cursor::new(bytes)).unwrap()
    }

    #[test]
    fn pdf_needs_its_header_and_its_end() {
        assert_eq!(
            kind(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
            Some(FileKind::Pdf)
        );
        assert_eq!(kind(b"%PDF-1.4\nno end here"), None);
        assert_eq!(kind(b"hello %PDF-1.4 %%EOF"), None);
    }

    #[test]
    fn docx_is_a_zip_with_a_word_document() {
        let docx = zip_of(&["[Content_Types].xml", "word/document.xml"]);
        assert_eq!(kind(&docx), Some(FileKind::Docx));
        let xlsx = zip_of(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert_eq!(kind(&xlsx), None);
        let mut broken = docx.clone();
        broken.truncate(docx.len() / 2);
        assert_eq!(kind(&broken), None);
    }

    #[test]
    fn executables_and_text_are_refused() {
        assert_eq!(kind(b"MZ\x90\x00\x03\x00\x00\x00"), None);
        assert_eq!(kind(b"\x7fELF\x02\x01\x01"), None);
        assert_eq!(kind(b""), None);
        assert_eq!(kind(b"%PDF"), None);
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(
            clean_filename("C:\\tmp\\Báo cáo.pdf", FileKind::Pdf),
            "Báo cáo.pdf"
        );
        assert_eq!(clean_filename("../../etc/passwd", FileKind::Pdf), "passwd");
        assert_eq!(clean_filename("a\u{0}b\n.docx", FileKind::Docx), "ab.docx");
        assert_eq!(clean_filename("", FileKind::Docx), "tep.docx");
        assert_eq!(clean_filename(".hidden", FileKind::Pdf), "hidden");
    }

    #[test]
    fn disposition_carries_the_exact_name() {
        assert_eq!(
            content_disposition("Chương trình.pdf"),
            "attachment; filename=\"Ch__ng tr_nh.pdf\"; filename*=UTF-8''Ch%C6%B0%C6%A1ng%20tr%C3%ACnh.pdf"
        );
        assert_eq!(
            content_disposition("a\"b.pdf"),
            "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf"
        );
    }
}
