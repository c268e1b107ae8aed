//! The one error type of the HTTP edge, and its RFC 9457 rendering.
//!
//! Lower layers return their own errors (`DbError`, `AuthError`, …) and convert into
//! [`ApiError`] here; only this module decides status codes. Every error response in the
//! service (including actix's own 404/405/413 and caught panics) is rendered by
//! [`ApiError::render`], so clients see one shape with a stable `code`.

mod lang;
mod problem;
mod texts;

pub use lang::Lang;
pub use problem::{FieldError, Problem, ProblemField};

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

/// A message in both languages the service speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub en: String,
    pub vi: String,
}

impl Text {
    pub fn new(en: impl Into<String>, vi: impl Into<String>) -> Self {
        Text {
            en: en.into(),
            vi: vi.into(),
        }
    }

    pub fn pick(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Vi => &self.vi,
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("resource not found")]
    NotFound,
    #[error("no such route")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<String> },
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("invalid request")]
    Invalid(Vec<FieldError>),
    #[error("invalid query string: {0}")]
    InvalidQuery(String),
    #[error("invalid path parameter: {0}")]
    InvalidPath(String),
    #[error("body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("bad request")]
    BadRequest,
    #[error("authentication required")]
    Unauthenticated,
    #[error("invalid access token")]
    InvalidToken,
    #[error("access token expired")]
    TokenExpired,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("account disabled")]
    AccountDisabled,
    #[error("invalid refresh token")]
    RefreshTokenInvalid,
    #[error("refresh token reused")]
    RefreshTokenReused,
    #[error("forbidden")]
    Forbidden,
    #[error("too many failed logins")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("conflict: {code}")]
    Conflict { code: &'static str, message: Text },
    #[error("unsupported client schema version")]
    UpgradeRequired { supported: Vec<u32> },
    /// An upload refused for what its bytes are (not an image, too big, wrong checksum, …),
    /// with the status the upload protocol calls for.
    #[error("upload refused: {code}")]
    Upload {
        status: StatusCode,
        code: &'static str,
        message: Text,
    },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A PDF was asked for and LibreOffice is missing or failed (the string is for the log).
    #[error("pdf unavailable: {0}")]
    PdfUnavailable(String),
    /// The string is for the log only; clients never see it.
    #[error("internal error: {0}")]
    Internal(String),
    /// A sync cursor beyond the server's change log.
    #[error("cursor ahead")]
    CursorAhead { server: i64 },
    /// The request body stopped moving for longer than allowed.
    #[error("request body timed out")]
    RequestTimeout,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        use ApiError::*;
        match self {
            NotFound | RouteNotFound => StatusCode::NOT_FOUND,
            MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            MalformedJson(_)
            | InvalidQuery(_)
            | InvalidPath(_)
            | BadRequest
            | CursorAhead { .. } => StatusCode::BAD_REQUEST,
            Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Unauthenticated | InvalidToken | TokenExpired | InvalidCredentials
            | RefreshTokenInvalid | RefreshTokenReused => StatusCode::UNAUTHORIZED,
            AccountDisabled | Forbidden => StatusCode::FORBIDDEN,
            TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Conflict { .. } => StatusCode::CONFLICT,
            UpgradeRequired { .. } => StatusCode::UPGRADE_REQUIRED,
            Upload { status, .. } => *status,
            Unavailable(_) | PdfUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        }
    }

    /// The stable machine code; also the last segment of the problem `type`.
    pub fn code(&self) -> &'static str {
        use ApiError::*;
        match self {
            NotFound => "not_found",
            RouteNotFound => "route_not_found",
            MethodNotAllowed { .. } => "method_not_allowed",
            MalformedJson(_) => "malformed_json",
            Invalid(_) => "validation_failed",
            InvalidQuery(_) => "invalid_query",
            InvalidPath(_) => "invalid_path",
            PayloadTooLarge => "payload_too_large",
            UnsupportedMediaType => "unsupported_media_type",
            BadRequest => "bad_request",
            Unauthenticated => "unauthenticated",
            InvalidToken => "invalid_token",
            TokenExpired => "token_expired",
            InvalidCredentials => "invalid_credentials",
            AccountDisabled => "account_disabled",
            RefreshTokenInvalid => "refresh_token_invalid",
            RefreshTokenReused => "refresh_token_reused",
            Forbidden => "forbidden",
            TooManyAttempts { .. } => "too_many_attempts",
            Conflict { code, .. } => code,
            UpgradeRequired { .. } => "client_upgrade_required",
            Upload { code, .. } => code,
            Unavailable(_) => "service_unavailable",
            PdfUnavailable(_) => "pdf_unavailable",
            Internal(_) => "internal_error",
            CursorAhead { .. } => "cursor_ahead",
            RequestTimeout => "request_timeout",
        }
    }

    /// A single-field validation error, the common case.
    pub fn invalid(pointer: &str, code: &'static str, message: Text) -> Self {
        ApiError::Invalid(vec![FieldError::new(pointer, code, message)])
    }

    pub fn conflict(code: &'static str, en: &str, vi: &str) -> Self {
        ApiError::Conflict {
            code,
            message: Text::new(en, vi),
        }
    }

    /// The whole response: status, headers and problem+json body.
    pub fn render(&self, lang: Lang, request_id: Option<&str>, instance: &str) -> HttpResponse {
        let problem = Problem::from_error(self, lang, request_id, instance);
        let mut res = HttpResponse::build(self.status());
        res.insert_header((actix_web::http::header::CONTENT_TYPE, problem::CONTENT_TYPE));
        if let ApiError::TooManyAttempts { retry_after_secs } = self {
            res.insert_header((
                actix_web::http::header::RETRY_AFTER,
                retry_after_secs.to_string(),
            ));
        }
        if let ApiError::MethodNotAllowed { allow } = self {
            if !allow.is_empty() {
                res.insert_header((actix_web::http::header::ALLOW, allow.join(", ")));
            }
        }
        if matches!(
            self,
            ApiError::Unauthenticated | ApiError::InvalidToken | ApiError::TokenExpired
        ) {
            res.insert_header((actix_web::http::header::WWW_AUTHENTICATE, "Bearer"));
        }
        res.body(problem.to_json())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    /// English, without request context; the observe middleware re-renders every error
    /// with the client's language, request id and path.
    fn error_response(&self) -> HttpResponse {
        self.render(Lang::En, None, "")
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        match e {
            crate::db::DbError::Pool(why) => ApiError::Unavailable(why),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        crate::db::DbError::from(e).into()
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        ApiError::Internal("blocking task panicked or was cancelled".into())
    }
}

/// Maps a status that some layer produced without an `ApiError` (actix's router, a
/// payload limit) to the matching stable code.
pub fn from_status(status: StatusCode) -> ApiError {
    match status {
        StatusCode::NOT_FOUND => ApiError::RouteNotFound,
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed { allow: Vec::new() },
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        StatusCode::UNAUTHORIZED => ApiError::Unauthenticated,
        StatusCode::FORBIDDEN => ApiError::Forbidden,
        StatusCode::SERVICE_UNAVAILABLE => ApiError::Unavailable(status.to_string()),
        s if s.is_client_error() => ApiError::BadRequest,
        s => ApiError::Internal(format!("unmapped status {s}")),
    }
}
