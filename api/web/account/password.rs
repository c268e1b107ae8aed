//! `/mat-khau`: a person changes their own password. The current one must be right; the new
//! one follows the API's rule (8 to 256 characters). Changing it signs every device out, as a
//! reset by an administrator does, and this browser is signed in again with the new one.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::{client, password, service};
use crate::error::{ApiError, FieldError, Text};
use crate::state::AppState;
use crate::users::service::{self as users, UserUpdate};
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::render::{self, Layout};
use crate::web::{session, WebError, WebUser};

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    layout: Layout,
}

pub async fn form(req: HttpRequest, user: WebUser) -> HttpResponse {
    let layout = Layout::new(&req, &user, "Đổi mật khẩu");
    render::page(&req, &PasswordPage { layout })
}

#[derive(Deserialize)]
pub struct Change {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

fn invalid(pointer: &str, code: &'static str, vi: &str) -> WebError {
    WebError::Api(ApiError::Invalid(vec![FieldError::new(
        pointer,
        code,
        Text::new(vi, vi),
    )]))
}

async fn change(state: &AppState, user: &WebUser, f: Change) -> Result<(), WebError> {
    let stored = user.me.user.password_hash.clone();
    let current = f.current;
    if !web::block(move || password::verify(&stored, &current)).await? {
        return Err(invalid(
            "/current",
            "wrong_password",
            "Mật khẩu hiện tại không đúng.",
        ));
    }
    crate::users::model::check_password("/new", &f.new)
        .map_err(|e| WebError::Api(ApiError::Invalid(vec![e])))?;
    if f.new != f.confirm {
        return Err(invalid(
            "/confirm",
            "mismatch",
            "Hai lần nhập mật khẩu mới không giống nhau.",
        ));
    }
    let new = f.new;
    let hash = web::block(move || password::hash(&new))
        .await?
        .map_err(|e| WebError::Api(ApiError::Internal(e.to_string())))?;
    let (actor, id) = (user.me.actor(), user.me.id().to_owned());
    state
        .db
        .write(move |c| {
            let update = UserUpdate {
                password_hash: Some(hash),
                ..UserUpdate::default()
            };
            users::update(c, &actor, &id, update).map_err(ApiError::from)
        })
        .await?;
    Ok(())
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    action: Action<Change>,
) -> HttpResponse {
    let Action { user, form } = action;
    let new = form.new.clone();
    if let Err(e) = change(&state, &user, form).await {
        return flash::redirect("/mat-khau", Flash::err(e.message()));
    }
    // Every device was signed out, this browser too: sign it in again with the new password.
    let ip = client::request_ip(&req, &state.settings.trusted_proxies);
    let input = service::LoginInput {
        username: user.me.user.username.clone(),
        password: new,
        device_key: None,
        device_name: Some("Ứng dụng web".into()),
        address: client::throttle_address(ip),
    };
    match service::login(&state.db, &state.jwt, &state.settings, input).await {
        Ok(s) => {
            let mut res = flash::redirect(
                "/",
                Flash::ok("Đã đổi mật khẩu. Các thiết bị khác cần đăng nhập lại."),
            );
            let _ = res.add_cookie(&session::cookie(&req, &s.refresh_token));
            res
        }
        Err(_) => flash::redirect(
            "/dang-nhap",
            Flash::ok("Đã đổi mật khẩu. Vui lòng đăng nhập bằng mật khẩu mới."),
        ),
    }
}
