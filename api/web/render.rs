//! HTML answers: the layout every page shares (title, the signed-in person, the menu for
//! their role, the form token, the last action's message) and the response around a page.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::flash::{self, Flash};
use super::{assets, WebUser};
use crate::role::Role;

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

pub struct NavUser {
    pub name: String,
    pub role: &'static str,
    /// Unread notifications (`/thong-bao`).
    pub unread: i64,
}

/// What the shared frame (`base.html`) shows around a page.
pub struct Layout {
    pub title: String,
    pub user: Option<NavUser>,
    pub csrf: String,
    pub flash: Option<Flash>,
    pub nav: Vec<NavItem>,
    pub css: &'static str,
    pub js: &'static str,
}

/// The role as people call it.
pub fn role_vi(role: Role) -> &'static str {
    match role {
        Role::Admin => "Quản trị (Sở Nội vụ)",
        Role::Lead => "Trưởng đoàn",
        Role::Inspector => "Thành viên đoàn",
        Role::Viewer => "Thành viên Ban Chỉ đạo",
        Role::Unit => "Đơn vị (tự kiểm tra)",
    }
}

/// The menu for a role: (address, label, roles that see it).
const MENU: &[(&str, &str, &[Role])] = &[
    ("/dot", "Đợt kiểm tra", super::pages::READERS),
    ("/kien-nghi", "Kiến nghị", super::pages::FOLLOW_UP_READERS),
    ("/diem-sang", "Điểm sáng", super::pages::SPOT_READERS),
    ("/tu-kiem-tra", "Tự kiểm tra", super::pages::UNITS),
    ("/bao-cao-don-vi", "Báo cáo đơn vị", super::pages::READERS),
    ("/bao-cao", "Báo cáo", super::pages::UNITS),
    ("/quan-tri/don-vi", "Đơn vị", super::pages::ADMINS),
    ("/quan-tri/nguoi-dung", "Người dùng", super::pages::ADMINS),
    ("/quan-tri/doan", "Đoàn kiểm tra", super::pages::ADMINS),
    ("/quan-tri/mau-phieu", "Mẫu phiếu", super::pages::ADMINS),
    ("/quan-tri/dot", "Quản lý đợt", super::pages::ADMINS),
    ("/quan-tri/nhat-ky", "Nhật ký", super::pages::ADMINS),
];

impl Layout {
    /// A signed-in page; `path` marks the menu entry it belongs to.
    pub fn new(req: &HttpRequest, user: &WebUser, title: impl Into<String>) -> Layout {
        let path = req.path();
        let nav = MENU
            .iter()
            .filter(|(_, _, roles)| roles.contains(&user.me.role))
            .map(|(href, label, _)| NavItem {
                href,
                label,
                current: path == *href || path.starts_with(&format!("{href}/")),
            })
            .collect();
        Layout {
            title: title.into(),
            user: Some(NavUser {
                name: user.me.user.full_name.clone(),
                role: role_vi(user.me.role),
                unread: user.unread,
            }),
            csrf: user.csrf.clone(),
            flash: Flash::take(req),
            nav,
            css: assets::css_url(),
            js: assets::js_url(),
        }
    }

    /// A page for someone not signed in (sign-in, errors).
    pub fn public(req: &HttpRequest, title: impl Into<String>) -> Layout {
        let mut l = Layout::bare(title);
        l.flash = Flash::take(req);
        l
    }

    /// No request at hand (error pages rendered from an error alone).
    pub fn bare(title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            user: None,
            csrf: String::new(),
            flash: None,
            nav: Vec::new(),
            css: assets::css_url(),
            js: assets::js_url(),
        }
    }
}

/// A page, 200 OK, clearing the message it showed.
pub fn page<T: Template>(req: &HttpRequest, t: &T) -> HttpResponse {
    let mut res = with_status(StatusCode::OK, t);
    if flash::present(req) {
        let _ = res.add_removal_cookie(&flash::removal_cookie());
    }
    res
}

/// A page with `status`. Pages are never cached (they show one person's scope), and the
/// observing middleware keeps their HTML rather than re-rendering errors as problem+json.
pub fn with_status<T: Template>(status: StatusCode, t: &T) -> HttpResponse {
    let body = match t.render() {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            return HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Lỗi hệ thống: không dựng được trang.");
        }
    };
    let mut res = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body);
    res.extensions_mut().insert(crate::middleware::KeepBody);
    res
}

/// A page about one object (a round, an inspection) in the caller's scope: parses the id,
/// loads the caller's `Scope` in one read transaction, lets `build` fill the page, and renders
/// it. The shape every such page handler shares.
pub async fn scoped_page<T, F>(
    req: &HttpRequest,
    state: &crate::state::AppState,
    user: &WebUser,
    title: &str,
    id: &str,
    build: F,
) -> Result<HttpResponse, super::WebError>
where
    T: Template + Send + 'static,
    F: FnOnce(
            &mut crate::db::DbConn,
            &crate::scope::Scope,
            &str,
            Layout,
        ) -> Result<T, super::WebError>
        + Send
        + 'static,
{
    let id = crate::domain::parse_id(id)?;
    let me = user.me.clone();
    let layout = Layout::new(req, user, title);
    let filled = state
        .db
        .read(move |c| {
            let scope = crate::scope::Scope::load(c, &me)?;
            build(c, &scope, &id, layout)
        })
        .await?;
    Ok(page(req, &filled))
}
