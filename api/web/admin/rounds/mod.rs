//! `/quan-tri/dot`: Sở Nội vụ manages inspection rounds: the list and a new round (`list`),
//! one round's name, dates and status (`edit`), and which team inspects which unit
//! (`assign`). Every change goes through `rounds::service` and `rounds::assign` with the
//! rules of `/api/v1/rounds` (the same input types, the same checks, the same audit).

pub mod assign;
pub mod edit;
pub mod list;

use chrono::NaiveDate;

use crate::db::DbConn;
use crate::domain::DomainError;
use crate::error::{ApiError, FieldError, Text};
use crate::templates::routes::templates::family;
use crate::templates::store as templates;
use crate::web::WebError;

/// Round kinds as the plan names them, in the order the form offers them.
pub const KINDS: [(&str, &str); 3] = [
    ("half_year", "Sơ kết 6 tháng"),
    ("year", "Tổng kết năm"),
    ("thematic", "Chuyên đề"),
];

pub fn kind_vi(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("Không rõ")
}

/// A published checklist version a round may use.
pub struct VersionChoice {
    pub id: String,
    pub label: String,
}

/// Every published version, newest template version first within a template.
pub fn published_versions(c: &mut DbConn) -> Result<Vec<VersionChoice>, DomainError> {
    let mut out = Vec::new();
    for t in templates::list(c)? {
        let f = family(c, &t.id, false)?;
        for v in f.versions.iter().rev() {
            out.push(VersionChoice {
                id: v.id.clone(),
                label: format!(
                    "{} — phiên bản {} (ban hành {})",
                    f.title,
                    v.number.unwrap_or(0),
                    v.published_at
                        .map(|t| crate::web::format::date(t.date_naive()))
                        .unwrap_or_default()
                ),
            });
        }
    }
    Ok(out)
}

/// The label of the version a round uses, or its id when it is not a published one.
pub fn version_label(choices: &[VersionChoice], id: &str) -> String {
    choices
        .iter()
        .find(|v| v.id == id)
        .map(|v| v.label.clone())
        .unwrap_or_else(|| id.to_owned())
}

/// Faults of a form, collected before the service sees it (dates a browser sends as
/// `yyyy-mm-dd`, or nothing).
#[derive(Default)]
pub struct FormFaults(Vec<FieldError>);

impl FormFaults {
    fn push(&mut self, pointer: &str, vi: String) {
        self.0.push(FieldError::new(
            pointer,
            "invalid_date",
            Text::new(vi.clone(), vi),
        ));
    }

    /// A required date.
    pub fn date(&mut self, pointer: &str, label: &str, raw: &str) -> NaiveDate {
        match self.date_opt(pointer, label, raw) {
            Some(d) => d,
            None => {
                if raw.trim().is_empty() {
                    self.push(pointer, format!("Hãy chọn {label}."));
                }
                NaiveDate::default()
            }
        }
    }

    /// An optional date: empty is `None`.
    pub fn date_opt(&mut self, pointer: &str, label: &str, raw: &str) -> Option<NaiveDate> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                let what = format!("{label} không hợp lệ: «{raw}».");
                self.push(pointer, what);
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), WebError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(WebError::Api(ApiError::Invalid(self.0)))
        }
    }
}

/// An optional text field: blank is `None`.
pub fn nonblank(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}
