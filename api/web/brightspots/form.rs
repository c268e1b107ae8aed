//! The unit's form: `GET /diem-sang/moi` and `POST /diem-sang` register a bright spot (an
//! administrator chooses the unit); `POST /diem-sang/{id}` saves the edit form of the detail
//! page. Both through the API's own services.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::brightspots::service::{self, SpotInput};
use crate::domain::{client_id, parse_id, DomainError};
use crate::role::Role;
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::recommendations::list::Choice;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

#[derive(Template)]
#[template(path = "brightspots_form.html")]
struct NewPage {
    layout: Layout,
    /// An administrator chooses the unit; a unit's representative registers for their own.
    units: Vec<Choice>,
    /// A fresh id, so a form sent twice registers one bright spot.
    id: String,
    today: String,
}

pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
) -> Result<HttpResponse, WebError> {
    let layout = Layout::new(&req, &user, "Đăng ký điểm sáng");
    let admin = user.me.role == Role::Admin;
    let units = if admin {
        state
            .db
            .read(|c| -> Result<_, WebError> {
                use crate::db::schema::units as u;
                use diesel::prelude::*;
                let rows: Vec<(String, String, String)> = u::table
                    .order(u::code.asc())
                    .select((u::id, u::code, u::name))
                    .load(c)
                    .map_err(DomainError::from)?;
                Ok(rows
                    .into_iter()
                    .map(|(id, code, name)| Choice {
                        id,
                        label: format!("{name} ({code})"),
                    })
                    .collect())
            })
            .await?
    } else {
        Vec::new()
    };
    let page = NewPage {
        layout,
        units,
        id: crate::db::new_id(),
        today: crate::time::today_local().to_string(),
    };
    Ok(render::page(&req, &page))
}

#[derive(Deserialize)]
pub struct SpotForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    registered_on: String,
    #[serde(default)]
    status: String,
    /// The version the edit form was drawn from: 409 if someone saved meanwhile.
    #[serde(default)]
    version: String,
}

impl SpotForm {
    fn input(&self) -> Result<SpotInput, DomainError> {
        let date = self.registered_on.trim();
        let registered_on = if date.is_empty() {
            None
        } else {
            Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
                DomainError::invalid(
                    "/registered_on",
                    "invalid_date",
                    "A date.",
                    "Ngày đăng ký không hợp lệ.",
                )
            })?)
        };
        Ok(SpotInput {
            name: Some(self.name.clone()),
            field: Some(self.field.clone()),
            description: Some(self.description.clone()),
            evidence: Some(self.evidence.clone()),
            registered_on,
        })
    }
}

fn answer(done: Result<String, WebError>, back: &str, ok: &str) -> HttpResponse {
    match done {
        Ok(to) => flash::redirect(&to, Flash::ok(ok)),
        Err(e) if e.needs_sign_in() || e.status_code().as_u16() == 404 => e.error_response(),
        Err(e) => flash::redirect(back, Flash::err(e.message())),
    }
}

/// `POST /diem-sang`: register a bright spot.
pub async fn create(state: web::Data<AppState>, action: Action<SpotForm>) -> HttpResponse {
    let Action { user, form } = action;
    let done: Result<String, WebError> = async {
        let id = client_id("/id", Some(form.id.as_str()).filter(|s| !s.is_empty()))?;
        let unit = Some(form.unit_id.as_str())
            .filter(|s| !s.is_empty())
            .map(parse_id)
            .transpose()?;
        let input = form.input()?;
        let (me, actor) = (user.me.clone(), user.me.actor());
        let v = state
            .db
            .write(move |c| {
                let scope = Scope::load(c, &me)?;
                service::create(c, &actor, &scope, &id, unit, &input)
            })
            .await?;
        Ok(format!("/diem-sang/{}", v.0.id))
    }
    .await;
    answer(done, "/diem-sang/moi", "Đã đăng ký điểm sáng.")
}

/// `POST /diem-sang/{id}`: save the edit form.
pub async fn update(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<SpotForm>,
) -> HttpResponse {
    let id = id.into_inner();
    let Action { user, form } = action;
    let page = format!("/diem-sang/{id}");
    let done: Result<String, WebError> = async {
        let spot = parse_id(&id)?;
        let input = form.input()?;
        let (me, actor) = (user.me.clone(), user.me.actor());
        let status = form.status.clone();
        let version = form.version.trim().parse::<i64>().ok();
        state
            .db
            .write(move |c| {
                let scope = Scope::load(c, &me)?;
                service::update(c, &actor, &scope, &spot, &input, Some(&status), version)
            })
            .await?;
        Ok(page.clone())
    }
    .await;
    answer(done, &format!("/diem-sang/{id}"), "Đã lưu điểm sáng.")
}
