//! `/quan-tri/nguoi-dung/{id}`: one account. Its name and role, locking and unlocking (which
//! signs it out everywhere), a password reset (a new password made by the server, shown
//! once, every device signed out, as `PATCH /api/v1/users/{id}` with a password does), and
//! signing out of every device (`DELETE /api/v1/users/{id}/devices`).

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Deserialize;

use super::{message, role_options, PasswordPage, RoleOption};
use crate::auth::{password, sessions};
use crate::error::ApiError;
use crate::state::AppState;
use crate::users::routes::parse_id;
use crate::users::routes::update_user::{self, UpdateUserRequest};
use crate::users::{service, store, UserError, UserRow};
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::render::{self, role_vi, Layout};
use crate::web::{format, WebError, WebUser};

pub struct DeviceLine {
    pub name: String,
    pub since: String,
    pub last_seen: String,
}

#[derive(Template)]
#[template(path = "admin_users_edit.html")]
struct EditPage {
    layout: Layout,
    id: String,
    username: String,
    full_name: String,
    role: String,
    role_label: &'static str,
    disabled: bool,
    version: i64,
    created: String,
    updated: String,
    devices: Vec<DeviceLine>,
    roles: Vec<RoleOption>,
    is_me: bool,
    /// The unit of a unit's representative, and the picker's units.
    unit_id: String,
    units: Vec<super::UnitOption>,
    /// Where notifications are e-mailed; empty for none.
    email: String,
}

impl EditPage {
    fn sel_role(&self, code: &str) -> bool {
        self.role == code
    }

    fn sel_unit(&self, id: &str) -> bool {
        self.unit_id == id
    }
}

pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    user.me.require_admin()?;
    let id = parse_id(&id)?;
    let (row, devices, units) = state
        .db
        .read(move |c| -> Result<_, WebError> {
            let row = store::find_by_id(c, &id)?.ok_or(ApiError::NotFound)?;
            let devices = sessions::list_devices(c, &id)?;
            Ok((row, devices, super::unit_options(c)?))
        })
        .await?;
    let devices = devices
        .into_iter()
        .filter(|d| d.revoked_at.is_none())
        .map(|d| DeviceLine {
            name: d.name.unwrap_or_else(|| "Thiết bị không tên".into()),
            since: format::datetime(d.created_at),
            last_seen: format::datetime(d.last_seen_at),
        })
        .collect();
    let page = EditPage {
        layout: Layout::new(&req, &user, format!("Tài khoản {}", row.username)),
        is_me: row.id == user.me.id(),
        role_label: role_vi(row.role()),
        created: format::datetime(row.created_at),
        updated: format::datetime(row.updated_at),
        id: row.id,
        username: row.username,
        full_name: row.full_name,
        role: row.role,
        unit_id: row.unit_id.unwrap_or_default(),
        email: row.email.unwrap_or_default(),
        units,
        disabled: row.disabled,
        version: row.version,
        devices,
        roles: role_options(),
    };
    Ok(render::page(&req, &page))
}

#[derive(Deserialize)]
pub struct Save {
    #[serde(default)]
    full_name: Option<String>,
    #[serde(default)]
    role: Option<String>,
    /// `1` locks the account, `0` unlocks it; absent leaves it as it is.
    #[serde(default)]
    khoa: Option<String>,
    #[serde(default)]
    unit_id: Option<String>,
    /// Absent (the lock form) keeps it; empty clears it.
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    version: Option<i64>,
}

/// Applies a change through the API's checks and service.
async fn apply(
    state: &AppState,
    user: &WebUser,
    id: String,
    request: UpdateUserRequest,
) -> Result<UserRow, WebError> {
    let update = update_user::prepare(request).await?;
    let actor = user.me.actor();
    let row = state
        .db
        .write(move |c| service::update(c, &actor, &id, update))
        .await
        .map_err(ApiError::from)?;
    Ok(row)
}

/// The answer to a failed action: the sign-in page, a missing account, or the message.
fn failed(e: WebError, back: &str, lead: &str) -> HttpResponse {
    if e.needs_sign_in() || matches!(e, WebError::Api(ApiError::NotFound)) {
        return e.error_response();
    }
    flash::redirect(back, Flash::err(message(lead, &e)))
}

pub async fn save(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<Save>,
) -> HttpResponse {
    let Action { user, form } = action;
    let id = match user.me.require_admin().and_then(|_| parse_id(&id)) {
        Ok(id) => id,
        Err(e) => return WebError::from(e).error_response(),
    };
    let back = format!("/quan-tri/nguoi-dung/{id}");
    let lock = form.khoa.as_deref().map(|k| k == "1");
    let request = UpdateUserRequest {
        full_name: form.full_name,
        role: form.role,
        disabled: lock,
        password: None,
        unit_id: form.unit_id.filter(|u| !u.is_empty()),
        email: form.email.map(Some),
        version: form.version,
    };
    match apply(&state, &user, id, request).await {
        Ok(row) => {
            let said = match lock {
                Some(true) => format!(
                    "Đã khóa tài khoản {}; mọi thiết bị của tài khoản đã bị đăng xuất.",
                    row.username
                ),
                Some(false) => format!("Đã mở khóa tài khoản {}.", row.username),
                None => format!("Đã lưu tài khoản {}.", row.username),
            };
            flash::redirect(&back, Flash::ok(said))
        }
        Err(e) => failed(e, &back, "Chưa lưu được tài khoản."),
    }
}

#[derive(Deserialize)]
pub struct Nothing {}

pub async fn reset_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<Nothing>,
) -> HttpResponse {
    let user = action.user;
    let id = match user.me.require_admin().and_then(|_| parse_id(&id)) {
        Ok(id) => id,
        Err(e) => return WebError::from(e).error_response(),
    };
    let back = format!("/quan-tri/nguoi-dung/{id}");
    let new = password::generate(16);
    let request = UpdateUserRequest {
        full_name: None,
        role: None,
        disabled: None,
        password: Some(new.clone()),
        unit_id: None,
        email: None,
        version: None,
    };
    let row = match apply(&state, &user, id, request).await {
        Ok(row) => row,
        Err(e) => return failed(e, &back, "Chưa đặt lại được mật khẩu."),
    };
    let page = PasswordPage {
        layout: Layout::new(&req, &user, "Đã đặt lại mật khẩu"),
        heading: format!("Đã đặt lại mật khẩu cho {}", row.username),
        note: "Mật khẩu cũ không còn dùng được và mọi thiết bị của tài khoản đã bị đăng xuất. Mật khẩu mới:",
        user_id: row.id,
        username: row.username,
        password: new,
    };
    render::page(&req, &page)
}

pub async fn sign_out(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<Nothing>,
) -> HttpResponse {
    let user = action.user;
    let id = match user.me.require_admin().and_then(|_| parse_id(&id)) {
        Ok(id) => id,
        Err(e) => return WebError::from(e).error_response(),
    };
    let back = format!("/quan-tri/nguoi-dung/{id}");
    let actor = user.me.actor();
    let done = state
        .db
        .write(move |c| -> Result<_, UserError> {
            let n = service::revoke_devices(c, &actor, &id)?;
            let row = store::find_by_id(c, &id)?.ok_or(UserError::NotFound)?;
            Ok((n, row.username))
        })
        .await
        .map_err(|e| WebError::Api(e.into()));
    match done {
        Ok((n, username)) => flash::redirect(
            &back,
            Flash::ok(format!("Đã đăng xuất {username} khỏi {n} thiết bị.")),
        ),
        Err(e) => failed(e, &back, "Chưa đăng xuất được."),
    }
}
