//! `/quan-tri/dot`: every round with its state and how many units it assigns, and the form
//! for a new round (`POST`, as `POST /api/v1/rounds`: it starts "chưa mở"). A refused form
//! comes back as typed, with the reason above it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Deserialize;

use super::{
    kind_vi, nonblank, published_versions, version_label, FormFaults, VersionChoice, KINDS,
};
use crate::domain::DomainError;
use crate::rounds::routes::rounds::CreateRound;
use crate::rounds::{service, store};
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

pub struct RoundLine {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub version: String,
    pub period: String,
    pub due: String,
    pub status_code: String,
    pub status: &'static str,
    pub units: usize,
}

#[derive(Template)]
#[template(path = "admin_rounds.html")]
struct RoundsPage {
    layout: Layout,
    rounds: Vec<RoundLine>,
    versions: Vec<VersionChoice>,
    kinds: [(&'static str, &'static str); 3],
    /// What the form shows: empty, or what was typed into a refused one.
    draft: NewRound,
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
) -> Result<HttpResponse, WebError> {
    let page = build(&req, &state, &user, NewRound::default()).await?;
    Ok(render::page(&req, &page))
}

async fn build(
    req: &HttpRequest,
    state: &AppState,
    user: &WebUser,
    draft: NewRound,
) -> Result<RoundsPage, WebError> {
    let me = user.me.clone();
    let (rounds, versions) = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            let versions = published_versions(c)?;
            let mut lines = Vec::new();
            for r in service::visible_rounds(c, &scope)? {
                let units = store::assignments_of(c, &r.id)?.len();
                lines.push(RoundLine {
                    kind: kind_vi(&r.kind),
                    version: version_label(&versions, &r.template_version_id),
                    period: format!(
                        "{} – {}",
                        format::date(r.starts_on),
                        format::date(r.ends_on)
                    ),
                    due: format::date(r.due_on),
                    status: format::round_status(&r.status),
                    status_code: r.status,
                    units,
                    id: r.id,
                    name: r.name,
                });
            }
            Ok::<_, DomainError>((lines, versions))
        })
        .await?;
    let layout = Layout::new(req, user, "Quản lý đợt kiểm tra");
    Ok(RoundsPage {
        layout,
        rounds,
        versions,
        kinds: KINDS,
        draft,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct NewRound {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    template_version_id: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    plan_number: String,
    #[serde(default)]
    plan_date: String,
}

impl NewRound {
    /// Whether the form had chosen this kind (the page template asks).
    fn is_kind(&self, code: &str) -> bool {
        self.kind == code
    }

    fn is_version(&self, id: &str) -> bool {
        self.template_version_id == id
    }

    fn parse(self) -> Result<CreateRound, WebError> {
        let mut f = FormFaults::default();
        let starts_on = f.date("/starts_on", "ngày bắt đầu", &self.starts_on);
        let ends_on = f.date("/ends_on", "ngày kết thúc", &self.ends_on);
        let due_on = f.date("/due_on", "hạn gửi kết quả", &self.due_on);
        let plan_date = f.date_opt("/plan_date", "Ngày kế hoạch", &self.plan_date);
        f.finish()?;
        Ok(CreateRound {
            name: self.name,
            kind: self.kind,
            template_version_id: self.template_version_id,
            starts_on,
            ends_on,
            due_on,
            status: None,
            plan_number: nonblank(&self.plan_number),
            plan_date,
        })
    }
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    action: Action<NewRound>,
) -> Result<HttpResponse, WebError> {
    let actor = action.user.me.actor();
    let typed = action.form.clone();
    let done = match action.form.parse() {
        Ok(input) => {
            let input = input.into_input();
            state
                .db
                .write(move |c| service::create(c, &actor, &input))
                .await
                .map_err(WebError::from)
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(r) => Ok(flash::redirect(
            &format!("/quan-tri/dot/{}", r.id),
            Flash::ok(format!(
                "Đã tạo đợt kiểm tra «{}» (chưa mở). Hãy phân công đơn vị cho các đoàn rồi mở đợt.",
                r.name
            )),
        )),
        Err(e) if e.needs_sign_in() => Ok(e.error_response()),
        Err(e) => {
            // Answered in place, not redirected: a redirect would lose what was typed.
            let mut page = build(&req, &state, &action.user, typed).await?;
            page.layout.flash = Some(Flash::err(format!(
                "Chưa tạo được đợt kiểm tra. {}",
                e.message()
            )));
            Ok(render::with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
