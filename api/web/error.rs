//! The web app's errors, rendered as pages a person can read: a sign-in that is missing or
//! has expired sends them to the sign-in page and back; everything else is a page with the
//! same Vietnamese title and detail the API's problem body carries.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::render::{self, Layout};
use crate::domain::DomainError;
use crate::error::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No session: go and sign in, then come back to `next`.
    #[error("not signed in")]
    SignIn { next: String },
    /// The session ended (idle too long, signed out elsewhere, account disabled).
    #[error("session expired")]
    Expired { next: String },
    /// Signed in, but this page is not for the caller's role.
    #[error("forbidden")]
    Forbidden,
    /// A POST from another origin.
    #[error("cross-site request")]
    CrossSite,
    /// A form without this session's token (or with another's).
    #[error("bad form token")]
    BadToken,
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<DomainError> for WebError {
    fn from(e: DomainError) -> Self {
        WebError::Api(e.into())
    }
}

impl From<crate::db::DbError> for WebError {
    fn from(e: crate::db::DbError) -> Self {
        WebError::Api(e.into())
    }
}

impl From<actix_web::error::BlockingError> for WebError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        WebError::Api(e.into())
    }
}

impl From<diesel::result::Error> for WebError {
    fn from(e: diesel::result::Error) -> Self {
        WebError::Api(crate::db::DbError::from(e).into())
    }
}

impl WebError {
    /// What a person reads: the title, and the detail when it adds something.
    pub fn message(&self) -> String {
        match self {
            WebError::SignIn { .. } => "Vui lòng đăng nhập.".into(),
            WebError::Expired { .. } => "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.".into(),
            WebError::Forbidden => "Bạn không có quyền dùng trang này.".into(),
            WebError::CrossSite | WebError::BadToken => {
                "Biểu mẫu đã cũ hoặc không gửi từ trang này. Vui lòng tải lại trang và thử lại."
                    .into()
            }
            WebError::Api(e) => api_message(e),
        }
    }

    /// Whether the person must sign in (again) rather than read a message.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, WebError::SignIn { .. } | WebError::Expired { .. })
    }
}

/// The problem body's Vietnamese title and detail, and each invalid field's message.
pub fn api_message(e: &ApiError) -> String {
    let title = e.title().vi;
    // The API's detail for invalid fields points at its `errors` member; a person reads the
    // fields' own messages instead.
    if let ApiError::Invalid(fields) = e {
        let list: Vec<String> = fields.iter().map(|f| f.message.vi.clone()).collect();
        return format!("{title}: {}", list.join(" "));
    }
    let detail = e.detail().vi;
    if detail.is_empty() || detail == title {
        title
    } else {
        format!("{title}: {detail}")
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    message: String,
}

fn sign_in_url(next: &str, expired: bool) -> String {
    let next: String = url_encode(next);
    format!(
        "/dang-nhap?tiep={next}{}",
        if expired { "&het-han=1" } else { "" }
    )
}

/// Percent-encodes a path and query for use as one query value.
pub fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::SignIn { .. } | WebError::Expired { .. } => StatusCode::SEE_OTHER,
            WebError::Forbidden | WebError::CrossSite | WebError::BadToken => StatusCode::FORBIDDEN,
            WebError::Api(e) => e.status(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let WebError::SignIn { next } | WebError::Expired { next } = self {
            let expired = matches!(self, WebError::Expired { .. });
            let mut res = HttpResponse::SeeOther()
                .insert_header((header::LOCATION, sign_in_url(next, expired)))
                .finish();
            if expired {
                let _ = res.add_removal_cookie(&super::session::removal_cookie());
            }
            return res;
        }
        if let WebError::Api(ApiError::Internal(detail)) = self {
            tracing::error!(error = %detail, "web page failed");
        }
        let page = ErrorPage {
            layout: Layout::bare("Có lỗi"),
            status: self.status_code().as_u16(),
            message: self.message(),
        };
        render::with_status(self.status_code(), &page)
    }
}
