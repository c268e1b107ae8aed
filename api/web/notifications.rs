//! `/thong-bao`: the signed-in person's notifications (reminders first among them), marking
//! them read; and `/dot/{id}/nhac-nho`, the missing list's "Gửi nhắc nhở" button. The same
//! services as `/api/v1/notifications` and `POST /api/v1/rounds/{id}/reminders`.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::{parse_id, DomainError};
use crate::notifications::store::{self, NotificationRow};
use crate::state::AppState;
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

/// The newest notifications shown; older ones stay in the API's pages.
const SHOWN: i64 = 100;

pub struct Notice {
    pub id: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub at: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NoticesPage {
    layout: Layout,
    notices: Vec<Notice>,
    total: i64,
    unread: i64,
    unread_only: bool,
}

#[derive(Deserialize)]
pub struct Query {
    #[serde(rename = "chua-doc")]
    unread: Option<String>,
}

fn notice(r: NotificationRow) -> Notice {
    Notice {
        at: format::datetime(r.created_at),
        unread: r.read_at.is_none(),
        id: r.id,
        title: r.title,
        body: r.body,
        link: r.link,
    }
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    q: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let unread_only = q.unread.is_some();
    let id = user.me.id().to_owned();
    let (rows, total) = state
        .db
        .read(move |c| Ok::<_, DomainError>(store::list_of(c, &id, unread_only, SHOWN, 0)?))
        .await?;
    let page = NoticesPage {
        unread: user.unread,
        layout: Layout::new(&req, &user, "Thông báo"),
        notices: rows.into_iter().map(notice).collect(),
        total,
        unread_only,
    };
    Ok(render::page(&req, &page))
}

#[derive(Deserialize)]
pub struct NoFields {}

pub async fn read(
    state: web::Data<AppState>,
    action: Action<NoFields>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id)?;
    let user = action.user.me.id().to_owned();
    state
        .db
        .write(move |c| store::mark_read(c, &user, &id)?.ok_or(DomainError::NotFound))
        .await?;
    Ok(flash::redirect(
        "/thong-bao",
        Flash::ok("Đã đánh dấu thông báo là đã đọc."),
    ))
}

pub async fn read_all(
    state: web::Data<AppState>,
    action: Action<NoFields>,
) -> Result<HttpResponse, WebError> {
    let user = action.user.me.id().to_owned();
    let n = state
        .db
        .write(move |c| Ok::<_, DomainError>(store::mark_all_read(c, &user)?))
        .await?;
    Ok(flash::redirect(
        "/thong-bao",
        Flash::ok(format!("Đã đánh dấu {n} thông báo là đã đọc.")),
    ))
}

/// "Gửi nhắc nhở" on the missing list: reminders for the units of the caller's scope.
pub async fn remind(
    state: web::Data<AppState>,
    action: Action<NoFields>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id)?;
    let back = format!("/dot/{id}/con-thieu");
    let n = crate::notifications::routes::send(&state, action.user.me, id).await?;
    let message = if n == 0 {
        "Không có nhắc nhở mới: mọi người đã được nhắc hôm nay.".to_owned()
    } else {
        format!("Đã gửi {n} nhắc nhở.")
    };
    Ok(flash::redirect(&back, Flash::ok(message)))
}
