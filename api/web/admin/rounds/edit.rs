//! `/quan-tri/dot/{id}`: one round for Sở Nội vụ: its facts, its name, kind, checklist
//! version and dates (`POST`), its status (`POST …/trang-thai`: planned → open → closed, a
//! closed round may reopen), and its assignments (`super::assign`). Changes go through
//! `rounds::routes::rounds::patch`, the very function `PATCH /api/v1/rounds/{id}` runs, with
//! the version the page was drawn from, so a change made meanwhile is not overwritten.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Deserialize;

use super::assign::{self, AssignView};
use super::{
    kind_vi, nonblank, published_versions, version_label, FormFaults, VersionChoice, KINDS,
};
use crate::domain::{parse_id, DomainError};
use crate::rounds::routes::rounds::{patch, UpdateRound};
use crate::rounds::service;
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

/// A status change the round allows now: (new status, button, question before sending).
pub struct StatusAction {
    pub to: &'static str,
    pub label: &'static str,
    pub confirm: &'static str,
    pub danger: bool,
}

fn status_actions(status: &str) -> Vec<StatusAction> {
    match status {
        "planned" => vec![StatusAction {
            to: "open",
            label: "Mở đợt kiểm tra",
            confirm: "Mở đợt? Các đoàn sẽ thấy đợt và bắt đầu làm phiếu kiểm tra.",
            danger: false,
        }],
        "open" => vec![StatusAction {
            to: "closed",
            label: "Đóng đợt kiểm tra",
            confirm: "Đóng đợt? Thành viên đoàn sẽ không thấy đợt này trên điện thoại nữa.",
            danger: true,
        }],
        "closed" => vec![StatusAction {
            to: "open",
            label: "Mở lại đợt kiểm tra",
            confirm: "Mở lại đợt đã đóng?",
            danger: false,
        }],
        _ => Vec::new(),
    }
}

#[derive(Template)]
#[template(path = "admin_rounds_edit.html")]
struct RoundPage {
    layout: Layout,
    id: String,
    name: String,
    kind_code: String,
    kind: &'static str,
    status_code: String,
    status: &'static str,
    version_id: String,
    version_label: String,
    starts_on: String,
    ends_on: String,
    due_on: String,
    period: String,
    due: String,
    plan_number: String,
    plan_date: String,
    row_version: i64,
    actions: Vec<StatusAction>,
    versions: Vec<VersionChoice>,
    kinds: [(&'static str, &'static str); 3],
    assign: AssignView,
}

#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    q: String,
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
    q: web::Query<Search>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id)?;
    let me = user.me.clone();
    let q = q.into_inner().q;
    let (r, versions, assign) = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            let r = service::visible_round(c, &scope, &id)?;
            let versions = published_versions(c)?;
            let assign = assign::view(c, &id, q.trim())?;
            Ok::<_, DomainError>((r, versions, assign))
        })
        .await?;
    let layout = Layout::new(&req, &user, format!("Quản lý đợt: {}", r.name));
    let page = RoundPage {
        layout,
        kind: kind_vi(&r.kind),
        status: format::round_status(&r.status),
        version_label: version_label(&versions, &r.template_version_id),
        starts_on: r.starts_on.to_string(),
        ends_on: r.ends_on.to_string(),
        due_on: r.due_on.to_string(),
        period: format!(
            "{} – {}",
            format::date(r.starts_on),
            format::date(r.ends_on)
        ),
        due: format::date(r.due_on),
        plan_date: r.plan_date.map(|d| d.to_string()).unwrap_or_default(),
        plan_number: r.plan_number.unwrap_or_default(),
        row_version: r.version,
        actions: status_actions(&r.status),
        versions,
        kinds: KINDS,
        assign,
        id: r.id,
        name: r.name,
        kind_code: r.kind,
        status_code: r.status,
        version_id: r.template_version_id,
    };
    Ok(render::page(&req, &page))
}

impl RoundPage {
    fn plan_date_vn(&self) -> String {
        chrono::NaiveDate::parse_from_str(&self.plan_date, "%Y-%m-%d")
            .map(format::date)
            .unwrap_or_default()
    }
}

#[derive(Deserialize)]
pub struct Edit {
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
    #[serde(default)]
    version: Option<i64>,
}

impl Edit {
    fn parse(self) -> Result<UpdateRound, WebError> {
        let mut f = FormFaults::default();
        let starts_on = f.date("/starts_on", "ngày bắt đầu", &self.starts_on);
        let ends_on = f.date("/ends_on", "ngày kết thúc", &self.ends_on);
        let due_on = f.date("/due_on", "hạn gửi kết quả", &self.due_on);
        let plan_date = f.date_opt("/plan_date", "Ngày kế hoạch", &self.plan_date);
        f.finish()?;
        Ok(UpdateRound {
            name: Some(self.name),
            kind: Some(self.kind),
            template_version_id: Some(self.template_version_id),
            starts_on: Some(starts_on),
            ends_on: Some(ends_on),
            due_on: Some(due_on),
            status: None,
            plan_number: Some(nonblank(&self.plan_number)),
            plan_date: Some(plan_date),
            version: self.version,
        })
    }
}

/// Runs a change of round `id` and answers with where to go and what happened.
async fn apply(
    state: &AppState,
    user: &WebUser,
    id: &str,
    change: Result<UpdateRound, WebError>,
    said: impl FnOnce(&str) -> String,
    failed: &str,
) -> HttpResponse {
    let back = format!("/quan-tri/dot/{id}");
    let actor = user.me.actor();
    let id = id.to_owned();
    let done = match change {
        Ok(b) => state
            .db
            .write(move |c| patch(c, &actor, &id, b))
            .await
            .map_err(WebError::from),
        Err(e) => Err(e),
    };
    match done {
        Ok(r) => flash::redirect(&back, Flash::ok(said(&r.name))),
        Err(e) if e.needs_sign_in() => e.error_response(),
        Err(e) => flash::redirect(&back, Flash::err(format!("{failed} {}", e.message()))),
    }
}

pub async fn save(
    state: web::Data<AppState>,
    action: Action<Edit>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id)?;
    let change = action.form.parse();
    Ok(apply(
        &state,
        &action.user,
        &id,
        change,
        |name| format!("Đã lưu thông tin đợt «{name}»."),
        "Chưa lưu được.",
    )
    .await)
}

#[derive(Deserialize)]
pub struct StatusChange {
    #[serde(default)]
    status: String,
    #[serde(default)]
    version: Option<i64>,
}

pub async fn status(
    state: web::Data<AppState>,
    action: Action<StatusChange>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id)?;
    let to = action.form.status.clone();
    let change = UpdateRound {
        status: Some(to.clone()),
        version: action.form.version,
        ..UpdateRound::default()
    };
    let said = move |name: &str| match to.as_str() {
        "open" => format!("Đã mở đợt «{name}». Các đoàn đã thấy đợt và có thể làm phiếu kiểm tra."),
        "closed" => format!("Đã đóng đợt «{name}»."),
        _ => format!("Đã đổi trạng thái đợt «{name}»."),
    };
    Ok(apply(
        &state,
        &action.user,
        &id,
        Ok(change),
        said,
        "Chưa đổi được trạng thái.",
    )
    .await)
}
