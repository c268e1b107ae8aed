//! The web app's sign-in: an HttpOnly cookie holding a refresh token of its own device
//! session, so a browser is one more device (listed, revocable, ended by a disabled account
//! or a password reset) and the token is stored only as its hash.
//!
//! The cookie's token is not rotated per request: a page loads many thumbnails at once, and
//! rotation would make them race into the reuse detector. It lasts while it is used: the
//! device's `last_seen_at` must be within `web_session_idle_minutes`, and the refresh token
//! must be unexpired, unrevoked and unrotated (a rotated one still ends the device).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::Method;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use chrono::Duration;

use super::pages::Page;
use super::{csrf, WebError};
use crate::auth::{refresh, sessions, CurrentUser};
use crate::db::{self, DbError};
use crate::error::ApiError;
use crate::state::AppState;
use crate::users::store as users;

/// The session cookie's name.
pub const COOKIE: &str = "kt_phien";
/// How stale `last_seen_at` may grow before a request writes it again.
const TOUCH_AFTER_SECS: i64 = 60;

/// A signed-in person on a page the table lets their role use.
#[derive(Debug, Clone)]
pub struct WebUser {
    pub me: CurrentUser,
    /// The form token bound to this session.
    pub csrf: String,
    /// Unread notifications, for the header (read on page loads only: one indexed count).
    pub unread: i64,
}

/// The session cookie for `token`: `Secure` when the request came over TLS.
pub fn cookie(req: &HttpRequest, token: &str) -> Cookie<'static> {
    Cookie::build(COOKIE, token.to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(req.connection_info().scheme() == "https")
        .finish()
}

/// The session cookie as `add_removal_cookie` needs it: name and path.
pub fn removal_cookie() -> Cookie<'static> {
    Cookie::build(COOKIE, "").path("/").finish()
}

/// The caller behind a session token, if the session is still alive.
pub async fn resolve(state: &AppState, token: String) -> Result<Option<CurrentUser>, ApiError> {
    let idle = Duration::minutes(state.settings.web_session_idle_minutes.max(1) as i64);
    let found = state
        .db
        .read(move |c| -> Result<_, ApiError> {
            let Some(row) =
                sessions::find_refresh(c, &refresh::hash(&token)).map_err(DbError::from)?
            else {
                return Ok(None);
            };
            let now = db::now();
            if row.rotated_at.is_some() || row.revoked_at.is_some() || row.expires_at <= now {
                return Ok(None);
            }
            let Some(device) = sessions::find_device(c, &row.device_id).map_err(DbError::from)?
            else {
                return Ok(None);
            };
            if device.revoked_at.is_some() || device.last_seen_at + idle <= now {
                return Ok(None);
            }
            let user = users::find_by_id(c, &device.user_id).map_err(DbError::from)?;
            Ok(user.filter(|u| !u.disabled).map(|u| (u, device)))
        })
        .await?;
    let Some((user, device)) = found else {
        return Ok(None);
    };
    if (db::now() - device.last_seen_at).num_seconds() > TOUCH_AFTER_SECS {
        let id = device.id.clone();
        state
            .db
            .write(move |c| sessions::touch_device(c, &id, db::now()).map_err(ApiError::from))
            .await?;
    }
    let role = user.role();
    Ok(Some(CurrentUser {
        user,
        device_id: device.id,
        role,
    }))
}

/// Where to come back to after signing in: this request's path and query.
fn here(req: &HttpRequest) -> String {
    match req.query_string() {
        "" => req.path().to_owned(),
        q => format!("{}?{q}", req.path()),
    }
}

/// Refuses a state-changing request another site made. Browsers say where a request comes
/// from in `Sec-Fetch-Site`; when it is missing (older browsers, other clients) the `Origin`,
/// if sent, must be ours.
pub(crate) fn same_origin(req: &HttpRequest) -> bool {
    let h = req.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match h.get("origin").and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let info = req.connection_info();
            origin == format!("{}://{}", info.scheme(), info.host())
        }
    }
}

async fn extract(req: HttpRequest) -> Result<WebUser, WebError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| WebError::Api(ApiError::Internal("app state missing".into())))?;
    let pattern = req.match_pattern().unwrap_or_default();
    let page = Page::find(req.method().as_str(), &pattern)
        .ok_or_else(|| WebError::Api(ApiError::Internal(format!("{pattern} not in PAGES"))))?;
    if !matches!(*req.method(), Method::GET | Method::HEAD) && !same_origin(&req) {
        return Err(WebError::CrossSite);
    }
    let Some(token) = req.cookie(COOKIE).map(|c| c.value().to_owned()) else {
        return Err(WebError::SignIn { next: here(&req) });
    };
    let Some(me) = resolve(&state, token).await.map_err(WebError::Api)? else {
        return Err(WebError::Expired { next: here(&req) });
    };
    if !page.is_public() && !page.roles.contains(&me.role) {
        return Err(WebError::Forbidden);
    }
    let csrf = csrf::token(&state, &me.device_id);
    let unread = if req.method() == actix_web::http::Method::GET {
        let id = me.id().to_owned();
        state
            .db
            .read(move |c| {
                Ok::<_, crate::domain::DomainError>(crate::notifications::store::unread_count(
                    c, &id,
                )?)
            })
            .await
            .unwrap_or(0)
    } else {
        0
    };
    Ok(WebUser { me, csrf, unread })
}

impl FromRequest for WebUser {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(extract(req.clone()))
    }
}
