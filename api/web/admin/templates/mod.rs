//! `/quan-tri/mau-phieu`: Sở Nội vụ's checklist templates. The list of families with their
//! versions (`list`), one family's versions and the publishing of its draft (`family`), the
//! items of one version in words (`version`), and importing a checklist JSON as a new
//! template or a new draft (`import`). Every page reads through the same functions the
//! `/api/v1/templates` handlers call, with an administrator's view (drafts included).

pub mod family;
pub mod import;
pub mod list;
pub mod version;

use crate::error::ApiError;
use crate::templates::store::VersionSummary;
use crate::web::{format, WebError};

/// One fault of a document: where it is (a JSON pointer, empty for the whole document) and
/// what is wrong, in Vietnamese.
pub struct Fault {
    pub pointer: String,
    pub message: String,
}

/// Every fault the API would list in its 422 body, or the one message of another error.
pub fn faults_of(e: &WebError) -> Vec<Fault> {
    match e {
        WebError::Api(ApiError::Invalid(fields)) => fields
            .iter()
            .map(|f| Fault {
                pointer: f.pointer.clone(),
                message: f.message.vi.clone(),
            })
            .collect(),
        other => vec![Fault {
            pointer: String::new(),
            message: other.message(),
        }],
    }
}

/// The faults on one line, each with its pointer (for a flash message).
pub fn faults_line(e: &WebError) -> String {
    if !matches!(e, WebError::Api(ApiError::Invalid(_))) {
        return e.message();
    }
    let parts: Vec<String> = faults_of(e)
        .iter()
        .map(|f| format!("{}: {}", f.pointer, f.message))
        .collect();
    format!("Mẫu phiếu không hợp lệ. {}", parts.join("; "))
}

/// A version as listed: "Phiên bản 2" or "Bản nháp", its state and dates.
pub struct VersionLine {
    pub id: String,
    pub label: String,
    pub status_code: String,
    pub status: &'static str,
    pub published: String,
    pub updated: String,
    pub hash: String,
}

impl VersionLine {
    pub fn is_draft(&self) -> bool {
        self.status_code == "draft"
    }
}

pub fn version_label(number: Option<i32>) -> String {
    match number {
        Some(n) => format!("Phiên bản {n}"),
        None => "Bản nháp".to_owned(),
    }
}

pub fn status_label(code: &str) -> &'static str {
    match code {
        "draft" => "Bản nháp",
        "published" => "Đã ban hành",
        _ => "Không rõ",
    }
}

impl From<&VersionSummary> for VersionLine {
    fn from(v: &VersionSummary) -> Self {
        VersionLine {
            id: v.id.clone(),
            label: version_label(v.number),
            status_code: v.status.clone(),
            status: status_label(&v.status),
            published: v
                .published_at
                .map(|t| format::datetime(t.naive_utc()))
                .unwrap_or_default(),
            updated: format::datetime(v.updated_at.naive_utc()),
            hash: v
                .content_hash
                .as_deref()
                .map(|h| h.chars().take(12).collect())
                .unwrap_or_default(),
        }
    }
}
