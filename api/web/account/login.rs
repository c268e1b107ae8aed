//! `/dang-nhap` and `/dang-xuat`: the sign-in form, through the API's own login service
//! (throttle, Argon2, device session), and signing out, which revokes the browser's device.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::{client, service};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::csrf::Action;
use crate::web::error::api_message;
use crate::web::flash::{self, Flash};
use crate::web::render::{self, Layout};
use crate::web::session;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Next {
    #[serde(default)]
    tiep: Option<String>,
    #[serde(rename = "het-han", default)]
    expired: Option<String>,
}

/// Only a path of this site: never `//host` or a scheme (an open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.into(),
        _ => "/".into(),
    }
}

pub async fn form(req: HttpRequest, q: web::Query<Next>) -> HttpResponse {
    let mut layout = Layout::public(&req, "Đăng nhập");
    if q.expired.is_some() && layout.flash.is_none() {
        layout.flash = Some(Flash::err(
            "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.",
        ));
    }
    render::page(
        &req,
        &LoginPage {
            layout,
            username: String::new(),
            next: safe_next(q.tiep.as_deref()),
            error: None,
        },
    )
}

#[derive(Deserialize)]
pub struct Credentials {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    tiep: Option<String>,
}

/// The browser as a device: its name says what it is in the list of signed-in devices.
fn device_name(req: &HttpRequest) -> String {
    let agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let browser = ["Edg/", "Firefox/", "Chrome/", "Safari/"]
        .iter()
        .find(|b| agent.contains(*b))
        .map(|b| b.trim_end_matches('/'))
        .unwrap_or("trình duyệt");
    format!("Ứng dụng web ({browser})")
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Credentials>,
) -> HttpResponse {
    let f = form.into_inner();
    let next = safe_next(f.tiep.as_deref());
    if !session::same_origin(&req) {
        return actix_web::ResponseError::error_response(&crate::web::WebError::CrossSite);
    }
    let ip = client::request_ip(&req, &state.settings.trusted_proxies);
    let input = service::LoginInput {
        username: f.username.clone(),
        password: f.password,
        device_key: None,
        device_name: Some(device_name(&req)),
        address: client::throttle_address(ip),
    };
    match service::login(&state.db, &state.jwt, &state.settings, input).await {
        Ok(s) => {
            let mut res = HttpResponse::SeeOther()
                .insert_header((header::LOCATION, next))
                .finish();
            let _ = res.add_cookie(&session::cookie(&req, &s.refresh_token));
            res
        }
        Err(e) => {
            let e = ApiError::from(e);
            let page = LoginPage {
                layout: Layout::public(&req, "Đăng nhập"),
                username: f.username,
                next,
                error: Some(api_message(&e)),
            };
            render::with_status(e.status(), &page)
        }
    }
}

#[derive(Deserialize)]
pub struct Nothing {}

pub async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    _action: Action<Nothing>,
) -> HttpResponse {
    if let Some(c) = req.cookie(session::COOKIE) {
        if let Err(e) = service::logout(&state.db, c.value()).await {
            tracing::warn!(error = %e, "web sign-out failed");
        }
    }
    let mut res = flash::redirect("/dang-nhap", Flash::ok("Bạn đã đăng xuất."));
    let _ = res.add_removal_cookie(&session::removal_cookie());
    res
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_of_this_site_are_followed() {
        assert_eq!(safe_next(Some("/dot/1?x=2")), "/dot/1?x=2");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
