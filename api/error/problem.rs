//! The RFC 9457 body. Its shape is part of the API contract: see `docs/errors.md`.

use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, Lang, Text};

pub const CONTENT_TYPE: &str = "application/problem+json";
const TYPE_PREFIX: &str = "urn:kiemtra:problem:";

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// JSON pointer (RFC 6901) into the request body, e.g. `/username`.
    pub pointer: String,
    pub code: &'static str,
    pub message: Text,
}

impl FieldError {
    pub fn new(pointer: &str, code: &'static str, message: Text) -> Self {
        FieldError {
            pointer: pointer.to_owned(),
            code,
            message,
        }
    }
}

/// An error response, `application/problem+json` (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:kiemtra:problem:<code>`; stable, safe to branch on.
    #[serde(rename = "type")]
    #[schema(example = "urn:kiemtra:problem:invalid_credentials")]
    pub type_: String,
    /// Short summary in the client's language (Vietnamese when `Accept-Language` prefers `vi`).
    pub title: String,
    pub status: u16,
    /// What happened and what to do, in the client's language.
    pub detail: String,
    /// The request path that failed.
    pub instance: String,
    /// The same code as in `type`, without the prefix.
    #[schema(example = "invalid_credentials")]
    pub code: String,
    /// Echoes the `X-Request-Id` response header; quote it when reporting a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For `validation_failed`: one entry per invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// For `too_many_attempts`: seconds until the next try is accepted (also `Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// JSON pointer into the request body.
    pub pointer: String,
    pub code: String,
    pub message: String,
}

impl Problem {
    pub fn from_error(
        err: &ApiError,
        lang: Lang,
        request_id: Option<&str>,
        instance: &str,
    ) -> Self {
        let code = err.code();
        let errors = match err {
            ApiError::Invalid(fields) => fields
                .iter()
                .map(|f| ProblemField {
                    pointer: f.pointer.clone(),
                    code: f.code.to_owned(),
                    message: f.message.pick(lang).to_owned(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let retry_after = match err {
            ApiError::TooManyAttempts { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        Problem {
            type_: format!("{TYPE_PREFIX}{code}"),
            title: err.title().pick(lang).to_owned(),
            status: err.status().as_u16(),
            detail: err.detail().pick(lang).to_owned(),
            instance: instance.to_owned(),
            code: code.to_owned(),
            request_id: request_id.map(str::to_owned),
            errors,
            retry_after,
        }
    }

    pub fn to_json(&self) -> String {
        // Serializing plain strings and numbers cannot fail; the fallback keeps the contract anyway.
        serde_json::to_string(self).unwrap_or_else(|_| {
            format!(
                r#"{{"type":"{TYPE_PREFIX}internal_error","status":500,"code":"internal_error"}}"#
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_problem_has_stable_shape() {
        let err = ApiError::invalid(
            "/username",
            "too_short",
            Text::new("At least 3 characters.", "Tối thiểu 3 ký tự."),
        );
        let p = Problem::from_error(&err, Lang::Vi, Some("req-1"), "/api/v1/users");
        let v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "type": "urn:kiemtra:problem:validation_failed",
                "title": "Dữ liệu gửi lên không hợp lệ",
                "status": 422,
                "detail": "Một số trường không hợp lệ; xem `errors`.",
                "instance": "/api/v1/users",
                "code": "validation_failed",
                "request_id": "req-1",
                "errors": [{"pointer": "/username", "code": "too_short", "message": "Tối thiểu 3 ký tự."}]
            })
        );
    }

    #[test]
    fn internal_error_never_leaks_its_cause() {
        let err = ApiError::Internal("password=hunter2 in /etc/secret".into());
        let body = Problem::from_error(&err, Lang::En, None, "/x").to_json();
        assert!(!body.contains("hunter2"));
        assert!(body.contains("internal_error"));
    }

    #[test]
    fn retry_after_is_exposed() {
        let err = ApiError::TooManyAttempts {
            retry_after_secs: 42,
        };
        let p = Problem::from_error(&err, Lang::En, None, "/login");
        assert_eq!(p.retry_after, Some(42));
        assert_eq!(p.status, 429);
    }
}
