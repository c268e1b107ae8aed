//! The one-line message that tells a person what their last action did, carried across the
//! redirect that follows every form (POST, then 303 to a page) in a short-lived cookie and
//! shown once.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

const COOKIE: &str = "kt_bao";
/// Cookies hold about 4 KB; a message longer than this is cut.
const MAX_CHARS: usize = 600;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Flash {
    /// `ok` or `err`.
    pub kind: String,
    pub message: String,
}

impl Flash {
    pub fn ok(message: impl Into<String>) -> Self {
        Flash::new("ok", message.into())
    }

    pub fn err(message: impl Into<String>) -> Self {
        Flash::new("err", message.into())
    }

    fn new(kind: &str, message: String) -> Self {
        let message = message.chars().take(MAX_CHARS).collect();
        Flash {
            kind: kind.into(),
            message,
        }
    }

    /// The message the previous response left, if any.
    pub fn take(req: &HttpRequest) -> Option<Flash> {
        let raw = req.cookie(COOKIE)?;
        let bytes = URL_SAFE_NO_PAD.decode(raw.value()).ok()?;
        let f: Flash = serde_json::from_slice(&bytes).ok()?;
        matches!(f.kind.as_str(), "ok" | "err").then_some(f)
    }

    fn cookie(&self) -> Cookie<'static> {
        let value = URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default());
        Cookie::build(COOKIE, value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .max_age(actix_web::cookie::time::Duration::minutes(5))
            .finish()
    }
}

/// The message cookie as `add_removal_cookie` needs it: name and path.
pub fn removal_cookie() -> Cookie<'static> {
    Cookie::build(COOKIE, "").path("/").finish()
}

/// Whether the request carries a message to clear once shown.
pub fn present(req: &HttpRequest) -> bool {
    req.cookie(COOKIE).is_some()
}

/// 303 See Other to `to`, with `flash` for the page there.
pub fn redirect(to: &str, flash: Flash) -> HttpResponse {
    let mut res = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_owned()))
        .finish();
    let _ = res.add_cookie(&flash.cookie());
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_cut_and_kinds_are_kept() {
        let f = Flash::err("x".repeat(5000));
        assert_eq!(f.message.chars().count(), MAX_CHARS);
        assert_eq!(f.kind, "err");
        assert_eq!(Flash::ok("Đã duyệt").kind, "ok");
    }
}
