//! `/quan-tri/doan`: every team with its lead and members, and the form that adds one.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use super::{input_of, message, names, pickers, Pickers};
use crate::state::AppState;
use crate::teams::{service, store};
use crate::users::store as users;
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

pub struct TeamLine {
    pub id: String,
    pub name: String,
    pub lead: String,
    pub members: String,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "admin_teams.html")]
struct TeamsPage {
    layout: Layout,
    teams: Vec<TeamLine>,
    pick: Pickers,
    /// The shared form's name field: empty for a new team.
    team_name: String,
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
) -> Result<HttpResponse, WebError> {
    user.me.require_admin()?;
    let (teams, pick) = state
        .db
        .read(move |c| -> Result<_, WebError> {
            let people = users::all(c)?;
            let name_of = names(&people);
            let who = |id: &String| name_of.get(id).cloned().unwrap_or_default();
            let mut lines = Vec::new();
            for row in store::list(c, None)? {
                let members = store::members(c, &row.id)?;
                let mut member_names: Vec<String> = members.iter().map(who).collect();
                member_names.sort();
                lines.push(TeamLine {
                    lead: who(&row.lead_id),
                    count: members.len(),
                    members: member_names.join(", "),
                    id: row.id,
                    name: row.name,
                });
            }
            Ok((lines, pickers(&people, None, &[])))
        })
        .await?;
    let page = TeamsPage {
        layout: Layout::new(&req, &user, "Đoàn kiểm tra"),
        teams,
        pick,
        team_name: String::new(),
    };
    Ok(render::page(&req, &page))
}

pub async fn create(
    state: web::Data<AppState>,
    action: Action<Vec<(String, String)>>,
) -> HttpResponse {
    let Action { user, form } = action;
    if let Err(e) = user.me.require_admin() {
        return WebError::from(e).error_response();
    }
    let (input, _) = input_of(&form);
    let actor = user.me.actor();
    let made = state
        .db
        .write(move |c| service::create(c, &actor, &input))
        .await
        .map_err(WebError::from);
    match made {
        Ok(team) => flash::redirect(
            &format!("/quan-tri/doan/{}", team.id),
            Flash::ok(format!(
                "Đã tạo {} với {} thành viên.",
                team.name,
                team.member_ids.len()
            )),
        ),
        Err(e) if e.needs_sign_in() => e.error_response(),
        Err(e) => flash::redirect(
            "/quan-tri/doan",
            Flash::err(message("Chưa tạo được đoàn.", &e)),
        ),
    }
}
