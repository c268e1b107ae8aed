//! `/quan-tri/doan/{id}`: one team's name, lead and members, saved as
//! `PATCH /api/v1/teams/{id}` saves them (the version the form was opened at guards against
//! a change made meanwhile); and its removal, refused while it has assignments.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use super::{input_of, message, pickers, Pickers};
use crate::domain::{parse_id, DomainError};
use crate::error::ApiError;
use crate::state::AppState;
use crate::teams::{service, store};
use crate::users::store as users;
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::render::{self, Layout};
use crate::web::{format, WebError, WebUser};

#[derive(Template)]
#[template(path = "admin_teams_edit.html")]
struct EditPage {
    layout: Layout,
    id: String,
    team_name: String,
    version: i64,
    updated: String,
    pick: Pickers,
}

pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    user.me.require_admin()?;
    let id = parse_id(&id)?;
    let (row, pick) = state
        .db
        .read(move |c| -> Result<_, WebError> {
            let row = store::find(c, &id)?.ok_or(DomainError::NotFound)?;
            let members = store::members(c, &id)?;
            let people = users::all(c)?;
            let pick = pickers(&people, Some(&row.lead_id), &members);
            Ok((row, pick))
        })
        .await?;
    let page = EditPage {
        layout: Layout::new(&req, &user, row.name.clone()),
        id: row.id,
        team_name: row.name,
        version: row.version,
        updated: format::datetime(row.updated_at),
        pick,
    };
    Ok(render::page(&req, &page))
}

/// A refused action: the sign-in page or a missing team as pages, anything else as the
/// message on the team's page.
fn failed(e: WebError, back: &str, lead: &str) -> HttpResponse {
    if e.needs_sign_in() || matches!(e, WebError::Api(ApiError::NotFound)) {
        return e.error_response();
    }
    flash::redirect(back, Flash::err(message(lead, &e)))
}

pub async fn save(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<Vec<(String, String)>>,
) -> HttpResponse {
    let Action { user, form } = action;
    let id = match user
        .me
        .require_admin()
        .map_err(WebError::from)
        .and_then(|_| parse_id(&id).map_err(WebError::from))
    {
        Ok(id) => id,
        Err(e) => return e.error_response(),
    };
    let back = format!("/quan-tri/doan/{id}");
    let (input, version) = input_of(&form);
    let actor = user.me.actor();
    let saved = state
        .db
        .write(move |c| {
            let row = store::find(c, &id)?.ok_or(DomainError::NotFound)?;
            service::update(c, &actor, &row, &input, version)
        })
        .await
        .map_err(WebError::from);
    match saved {
        Ok(team) => flash::redirect(
            &back,
            Flash::ok(format!(
                "Đã lưu {}: {} thành viên.",
                team.name,
                team.member_ids.len()
            )),
        ),
        Err(e) => failed(e, &back, "Chưa lưu được đoàn."),
    }
}

#[derive(serde::Deserialize)]
pub struct Nothing {}

pub async fn delete(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<Nothing>,
) -> HttpResponse {
    let user = action.user;
    let id = match user
        .me
        .require_admin()
        .map_err(WebError::from)
        .and_then(|_| parse_id(&id).map_err(WebError::from))
    {
        Ok(id) => id,
        Err(e) => return e.error_response(),
    };
    let back = format!("/quan-tri/doan/{id}");
    let actor = user.me.actor();
    let gone = state
        .db
        .write(move |c| {
            let row = store::find(c, &id)?.ok_or(DomainError::NotFound)?;
            service::delete(c, &actor, &id)?;
            Ok::<_, DomainError>(row.name)
        })
        .await
        .map_err(WebError::from);
    match gone {
        Ok(name) => flash::redirect("/quan-tri/doan", Flash::ok(format!("Đã xóa {name}."))),
        Err(e) => failed(e, &back, "Chưa xóa được đoàn."),
    }
}
