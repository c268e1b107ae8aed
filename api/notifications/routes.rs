//! `POST /rounds/{id}/reminders`, and the caller's own notifications: list, read, read all.

use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::reminders::{self, Sender};
use super::store::{self, NotificationRow};
use crate::auth::CurrentUser;
use crate::domain::{parse_id, DomainError};
use crate::error::ApiError;
use crate::paging::PageParams;
use crate::role::Role;
use crate::scope::Scope;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct RemindersSent {
    /// Notifications made now; those already sent today to the same person for the same unit
    /// and reason are not made (or counted) again.
    pub created: usize,
}

/// Send reminders (đôn đốc) from the round's missing list: the team's inspectors for work not
/// started, late, or short of evidence; the team's lead for approvals past the deadline. At
/// most one a day per person, unit and reason. Administrators: every unit; leads: the units of
/// the teams they lead (another team's round is 404).
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, body = RemindersSent)))]
#[post("/rounds/{id}/reminders")]
pub async fn send_reminders(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    me.require(&[Role::Admin, Role::Lead])?;
    let id = parse_id(&id)?;
    let created = send(&state, me, id).await?;
    Ok(HttpResponse::Ok().json(RemindersSent { created }))
}

/// The reminders' work for the API and the web form alike.
pub async fn send(state: &AppState, me: CurrentUser, round_id: String) -> Result<usize, ApiError> {
    let actor = me.actor();
    state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            reminders::send(
                c,
                &actor,
                Sender::Person(&scope),
                &round_id,
                crate::time::today_local(),
            )
        })
        .await
        .map_err(ApiError::from)
}

#[derive(Deserialize, IntoParams)]
pub struct NotificationFilter {
    /// Only unread ones.
    pub unread: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<NotificationRow>,
    pub total: i64,
    /// Unread notifications of the caller, whatever the filter.
    pub unread: i64,
    pub limit: i64,
    pub offset: i64,
}

/// The caller's own notifications, newest first.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(NotificationFilter, PageParams), responses((status = 200, body = NotificationPage)))]
#[get("/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    me: CurrentUser,
    filter: web::Query<NotificationFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (limit, offset) = page.clamped();
    let unread_only = filter.unread.unwrap_or(false);
    let user = me.id().to_owned();
    let page = state
        .db
        .read(move |c| {
            let (items, total) = store::list_of(c, &user, unread_only, limit, offset)?;
            let unread = store::unread_count(c, &user)?;
            Ok::<_, DomainError>(NotificationPage {
                items,
                total,
                unread,
                limit,
                offset,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Mark one of the caller's notifications read (another person's is 404).
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = String, Path, description = "Notification id")), responses((status = 200, body = NotificationRow)))]
#[post("/notifications/{id}/read")]
pub async fn read_notification(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let user = me.id().to_owned();
    let row = state
        .db
        .write(move |c| store::mark_read(c, &user, &id)?.ok_or(DomainError::NotFound))
        .await?;
    Ok(HttpResponse::Ok().json(row))
}

#[derive(Serialize, ToSchema)]
pub struct MarkedRead {
    pub updated: usize,
}

/// Mark every unread notification of the caller read.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), responses((status = 200, body = MarkedRead)))]
#[post("/notifications/read-all")]
pub async fn read_all_notifications(
    state: web::Data<AppState>,
    me: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let user = me.id().to_owned();
    let updated = state
        .db
        .write(move |c| Ok::<_, DomainError>(store::mark_all_read(c, &user)?))
        .await?;
    Ok(HttpResponse::Ok().json(MarkedRead { updated }))
}
