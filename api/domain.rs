//! The error type shared by the domain services (units, teams, templates, rounds,
//! inspections), and small helpers they all use. Services return `DomainError`; only
//! `error::ApiError` turns it into a status code.

use crate::db::DbError;
use crate::error::{ApiError, FieldError, Text};

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// Absent, or outside the caller's scope (the two are not told apart).
    #[error("not found")]
    NotFound,
    /// In scope, but the caller's role or standing does not allow this.
    #[error("forbidden")]
    Forbidden,
    #[error("invalid")]
    Invalid(Vec<FieldError>),
    #[error("conflict {code}")]
    Conflict { code: &'static str, message: Text },
    /// A sync cursor beyond the server's change log: the device was restored from a backup,
    /// or the server was. The device must drop its cursor and pull from scratch.
    #[error("cursor ahead of the server ({server})")]
    CursorAhead { server: i64 },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl DomainError {
    pub fn conflict(code: &'static str, en: impl Into<String>, vi: impl Into<String>) -> Self {
        DomainError::Conflict {
            code,
            message: Text::new(en, vi),
        }
    }

    pub fn invalid(
        pointer: &str,
        code: &'static str,
        en: impl Into<String>,
        vi: impl Into<String>,
    ) -> Self {
        DomainError::Invalid(vec![FieldError::new(pointer, code, Text::new(en, vi))])
    }

    /// 409 `id_taken`: a client-made id already names another row.
    pub fn id_taken() -> Self {
        DomainError::conflict(
            "id_taken",
            "This id is already used.",
            "Mã này đã được sử dụng.",
        )
    }

    /// 409 `version_mismatch` unless `expected` (when given) is the current version.
    pub fn check_version(expected: Option<i64>, current: i64) -> Result<(), DomainError> {
        match expected {
            Some(v) if v != current => Err(DomainError::conflict(
                "version_mismatch",
                format!("Changed by someone else meanwhile (now version {current}); reload and retry."),
                format!("Dữ liệu đã được người khác sửa (phiên bản hiện tại {current}); hãy tải lại và thử lại."),
            )),
            _ => Ok(()),
        }
    }
}

impl From<diesel::result::Error> for DomainError {
    fn from(e: diesel::result::Error) -> Self {
        DomainError::Db(DbError::Query(e))
    }
}

impl From<actix_web::error::BlockingError> for DomainError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        DomainError::Db(DbError::Blocking)
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::NotFound => ApiError::NotFound,
            DomainError::Forbidden => ApiError::Forbidden,
            DomainError::Invalid(f) => ApiError::Invalid(f),
            DomainError::Conflict { code, message } => ApiError::Conflict { code, message },
            DomainError::CursorAhead { server } => ApiError::CursorAhead { server },
            DomainError::Db(e) => e.into(),
        }
    }
}

/// Ids in paths and bodies are UUIDs; anything else names nothing.
pub fn parse_id(raw: &str) -> Result<String, DomainError> {
    uuid::Uuid::parse_str(raw)
        .map(|u| u.to_string())
        .map_err(|_| DomainError::NotFound)
}

/// A client-made id (for rows created offline), checked to be a UUID.
pub fn client_id(pointer: &str, raw: Option<&str>) -> Result<String, DomainError> {
    match raw {
        None => Ok(crate::db::new_id()),
        Some(r) => uuid::Uuid::parse_str(r)
            .map(|u| u.to_string())
            .map_err(|_| {
                DomainError::invalid(
                    pointer,
                    "invalid_id",
                    "Must be a UUID.",
                    "Phải là một UUID.",
                )
            }),
    }
}

/// A stored status (of an inspection, round or template) in the words a Vietnamese message
/// uses; messages never show the English code. An unknown code is shown as it is.
pub fn status_vi(status: &str) -> &str {
    match status {
        "draft" => "nháp",
        "submitted" => "đã gửi duyệt",
        "returned" => "bị trả lại",
        "approved" => "đã duyệt",
        "planned" => "chưa mở",
        "open" => "đang mở",
        "closed" => "đã đóng",
        "published" => "đã ban hành",
        other => other,
    }
}

/// Text as stored: Unicode NFC. Vietnamese typed on some keyboards (and pasted from some
/// documents) arrives decomposed ("e" + combining circumflex + combining dot below); the same
/// name would then sort, search and compare as two. Every free text is normalised where it is
/// parsed, through this one function.
pub fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc().collect()
}

/// [`nfc`] over an optional text.
pub fn nfc_opt(s: Option<&str>) -> Option<String> {
    s.map(nfc)
}

/// [`nfc`] over every string of a JSON value (an answer's text or chosen options).
pub fn nfc_json(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => Value::String(nfc(&s)),
        Value::Array(a) => Value::Array(a.into_iter().map(nfc_json).collect()),
        other => other,
    }
}

/// `deserialize_with` for a JSON value taken as typed by a person.
pub fn deserialize_nfc_json<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<serde_json::Value, D::Error> {
    use serde::Deserialize;
    serde_json::Value::deserialize(d).map(nfc_json)
}

/// Collects field faults; `finish` fails with all of them at once.
#[derive(Default)]
pub struct Faults(pub Vec<FieldError>);

impl Faults {
    pub fn push(
        &mut self,
        pointer: &str,
        code: &'static str,
        en: impl Into<String>,
        vi: impl Into<String>,
    ) {
        self.0
            .push(FieldError::new(pointer, code, Text::new(en, vi)));
    }

    /// Checks a required text (trimmed, 1 to `max` characters) and returns it trimmed and NFC.
    pub fn text(&mut self, pointer: &str, value: &str, max: usize) -> String {
        let v = nfc(value.trim());
        let v = v.as_str();
        if v.is_empty() || v.chars().count() > max {
            self.push(
                pointer,
                "invalid_text",
                format!("1 to {max} characters."),
                format!("Từ 1 đến {max} ký tự."),
            );
        }
        v.to_owned()
    }

    pub fn finish(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.0))
        }
    }
}

/// Tells "absent" (`None`) from "null" (`Some(None)`) in a JSON body, for fields that can be
/// cleared.
pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    #[test]
    fn statuses_read_in_vietnamese_and_text_is_nfc() {
        assert_eq!(super::status_vi("draft"), "nháp");
        assert_eq!(super::status_vi("closed"), "đã đóng");
        let nfd = "Nghe\u{302}\u{323} An";
        assert_ne!(nfd, "Nghệ An");
        assert_eq!(super::nfc(nfd), "Nghệ An");
        assert_eq!(
            super::nfc_json(serde_json::json!(["Nghe\u{302}\u{323}"])),
            serde_json::json!(["Nghệ"])
        );
    }
}
