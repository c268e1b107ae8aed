//! `/dot`: the rounds in the caller's scope, each with how far it has come.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use crate::reports::service as reports;
use crate::rounds::service as rounds;
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

pub struct RoundLine {
    pub id: String,
    pub name: String,
    pub period: String,
    pub due: String,
    pub status: &'static str,
    pub status_code: String,
    pub assigned: usize,
    pub approved: usize,
    pub submitted: usize,
    pub overdue: usize,
}

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage {
    layout: Layout,
    rounds: Vec<RoundLine>,
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
) -> Result<HttpResponse, WebError> {
    let me = user.me.clone();
    let today = crate::time::today_local();
    let lines = state
        .db
        .read(move |c| -> Result<_, WebError> {
            let scope = Scope::load(c, &me)?;
            let mut lines = Vec::new();
            for r in rounds::visible_rounds(c, &scope)? {
                // A lead's round with no unit of their teams yet has no figures to show.
                let p = reports::progress(c, Some(&scope), &r.id, today).ok();
                let t = p.map(|p| p.overall).unwrap_or_default();
                lines.push(RoundLine {
                    period: format!(
                        "{} – {}",
                        format::date(r.starts_on),
                        format::date(r.ends_on)
                    ),
                    due: format::date(r.due_on),
                    status: format::round_status(&r.status),
                    status_code: r.status.clone(),
                    assigned: t.assigned,
                    approved: t.approved,
                    submitted: t.submitted,
                    overdue: t.overdue,
                    id: r.id,
                    name: r.name,
                });
            }
            Ok(lines)
        })
        .await?;
    let layout = Layout::new(&req, &user, "Đợt kiểm tra");
    Ok(render::page(
        &req,
        &RoundsPage {
            layout,
            rounds: lines,
        },
    ))
}
