//! `/quan-tri/nguoi-dung`: the accounts (search, role, paging, as `GET /api/v1/users`), with
//! how many devices each is signed in on; and the form that adds one.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Deserialize;

use super::{message, role_options, PasswordPage, RoleOption};
use crate::error::ApiError;
use crate::role::Role;
use crate::state::AppState;
use crate::users::routes::create_user::{self, CreateUserRequest};
use crate::users::{service, store};
use crate::web::csrf::Action;
use crate::web::error::url_encode;
use crate::web::flash::{self, Flash};
use crate::web::render::{self, role_vi, Layout};
use crate::web::{WebError, WebUser};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct Query {
    #[serde(default)]
    q: Option<String>,
    #[serde(rename = "vai-tro", default)]
    role: Option<String>,
    #[serde(default)]
    trang: Option<String>,
}

impl Query {
    fn text(&self) -> &str {
        self.q.as_deref().map(str::trim).unwrap_or("")
    }

    fn role(&self) -> Option<Role> {
        self.role.as_deref().and_then(Role::parse)
    }

    fn page(&self) -> i64 {
        crate::paging::page_number(self.trang.as_deref())
    }

    pub fn sel_role(&self, code: &str) -> bool {
        self.role().map(Role::as_str) == Some(code)
    }

    fn link(&self, page: i64) -> String {
        let mut parts = Vec::new();
        if !self.text().is_empty() {
            parts.push(format!("q={}", url_encode(self.text())));
        }
        if let Some(r) = self.role() {
            parts.push(format!("vai-tro={}", r.as_str()));
        }
        parts.push(format!("trang={page}"));
        format!("/quan-tri/nguoi-dung?{}", parts.join("&"))
    }
}

pub struct UserLine {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub role: &'static str,
    pub disabled: bool,
    pub devices: i64,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserLine>,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    q: Query,
    roles: Vec<RoleOption>,
    /// For a unit's representative (`Role::Unit`).
    units: Vec<super::UnitOption>,
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    q: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    user.me.require_admin()?;
    let q = q.into_inner();
    let page = q.page();
    let filter = store::ListFilter {
        role: q.role().map(|r| r.as_str().to_owned()),
        disabled: None,
        q: Some(q.text().to_owned()).filter(|t| !t.is_empty()),
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
    };
    let (users, total, units) = state
        .db
        .read(move |c| -> Result<_, WebError> {
            let (rows, total) = store::list(c, &filter)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let devices = store::device_counts(c, &ids)?;
            let lines = rows
                .into_iter()
                .map(|r| UserLine {
                    devices: devices.get(&r.id).copied().unwrap_or(0),
                    role: role_vi(r.role()),
                    disabled: r.disabled,
                    id: r.id,
                    username: r.username,
                    full_name: r.full_name,
                })
                .collect::<Vec<_>>();
            Ok((lines, total, super::unit_options(c)?))
        })
        .await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let view = UsersPage {
        layout: Layout::new(&req, &user, "Người dùng"),
        users,
        total,
        page,
        pages,
        prev: (page > 1).then(|| q.link(page - 1)),
        next: (page < pages).then(|| q.link(page + 1)),
        q,
        roles: role_options(),
        units,
    };
    Ok(render::page(&req, &view))
}

#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    role: String,
    /// Empty: the server makes one and shows it once.
    #[serde(default)]
    password: String,
    /// The unit of a unit's representative; empty for other roles.
    #[serde(default)]
    unit_id: String,
    /// Where notifications are e-mailed; empty for none.
    #[serde(default)]
    email: String,
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    action: Action<NewUserForm>,
) -> HttpResponse {
    let Action { user, form } = action;
    if let Err(e) = user.me.require_admin() {
        return WebError::from(e).error_response();
    }
    let request = CreateUserRequest {
        username: form.username,
        full_name: form.full_name,
        role: form.role,
        password: Some(form.password).filter(|p| !p.is_empty()),
        unit_id: Some(form.unit_id).filter(|u| !u.is_empty()),
        email: Some(form.email),
    };
    let actor = user.me.actor();
    let made = async {
        let (new, generated) = create_user::prepare(request).await?;
        let row = state
            .db
            .write(move |c| service::create(c, &actor, &new))
            .await
            .map_err(ApiError::from)?;
        Ok::<_, WebError>((row, generated))
    }
    .await;
    let (row, generated) = match made {
        Ok(m) => m,
        Err(e) if e.needs_sign_in() => return e.error_response(),
        Err(e) => {
            return flash::redirect(
                "/quan-tri/nguoi-dung",
                Flash::err(message("Chưa tạo được tài khoản.", &e)),
            )
        }
    };
    let Some(password) = generated else {
        return flash::redirect(
            &format!("/quan-tri/nguoi-dung/{}", row.id),
            Flash::ok(format!(
                "Đã tạo tài khoản {} ({}).",
                row.username, row.full_name
            )),
        );
    };
    let page = PasswordPage {
        layout: Layout::new(&req, &user, "Đã tạo tài khoản"),
        heading: format!("Đã tạo tài khoản {}", row.username),
        note: "Tài khoản đã được tạo với mật khẩu do hệ thống sinh ra:",
        user_id: row.id,
        username: row.username,
        password,
    };
    render::page(&req, &page)
}
