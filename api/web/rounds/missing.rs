//! `/dot/{id}/con-thieu`: what each unit still owes, for the committee's reminders (đôn đốc):
//! the same list as `GET /api/v1/rounds/{id}/missing`, from the same rows.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use crate::db::DbConn;
use crate::reports::missing::{self, MissingUnit};
use crate::reports::service as reports;
use crate::rounds::service as rounds;
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

#[derive(Template)]
#[template(path = "missing.html")]
struct MissingPage {
    layout: Layout,
    round_id: String,
    round_name: String,
    due: String,
    as_of: String,
    past_due: bool,
    units: Vec<MissingUnit>,
    /// Leads and administrators may send reminders from here.
    may_remind: bool,
}

impl MissingPage {
    fn status(&self, code: &str) -> &'static str {
        format::status(code)
    }

    fn date(&self, d: &chrono::NaiveDate) -> String {
        format::date(*d)
    }
}

pub async fn missing(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render::scoped_page(&req, &state, &user, "Đơn vị còn thiếu", &id, build).await
}

fn build(c: &mut DbConn, scope: &Scope, id: &str, layout: Layout) -> Result<MissingPage, WebError> {
    let round = rounds::visible_round(c, scope, id)?;
    let board = reports::board(c, Some(scope), id, crate::time::today_local())?;
    let m = missing::compile(&board);
    Ok(MissingPage {
        layout,
        round_id: round.id,
        round_name: round.name,
        due: format::date(m.due_on),
        as_of: format::date(m.as_of),
        past_due: m.past_due,
        units: m.units,
        may_remind: matches!(
            scope.role,
            crate::role::Role::Admin | crate::role::Role::Lead
        ),
    })
}
