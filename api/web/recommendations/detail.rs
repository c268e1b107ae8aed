//! `/kien-nghi/{id}`: one recommendation with its remedies, and (for whoever may follow it
//! up) the form adding one: `POST /kien-nghi/{id}/khac-phuc`, and a remedy's file form:
//! `POST /kien-nghi/{id}/khac-phuc/{rid}/tep`.

use actix_multipart::form::MultipartForm;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Deserialize;

use crate::attachments::OwnerKind;
use crate::db::DbConn;
use crate::domain::{client_id, parse_id, DomainError};
use crate::recommendations::service::{self, RecommendationDetail, RemedyInput};
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::attach::{self, FileForm, FileLine};
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

pub struct RemedyLine {
    pub id: String,
    pub note: String,
    pub follow_up: &'static str,
    pub follow_up_code: String,
    pub who: String,
    pub at: String,
    pub files: Vec<FileLine>,
}

#[derive(Template)]
#[template(path = "recommendations_detail.html")]
struct DetailPage {
    layout: Layout,
    d: RecommendationDetail,
    due: String,
    remedies: Vec<RemedyLine>,
    /// A fresh id for the form, so a form sent twice adds one remedy.
    remedy_id: String,
    /// A fresh id for the file forms, so a form sent twice attaches one file.
    file_id: String,
    /// Whether the caller may open the inspection that made it (a unit's representative
    /// may not: `/phieu` is the team's).
    show_inspection: bool,
}

pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render::scoped_page(&req, &state, &user, "Kiến nghị", &id, build).await
}

fn build(c: &mut DbConn, scope: &Scope, id: &str, layout: Layout) -> Result<DetailPage, WebError> {
    let d = service::detail(c, scope, id)?;
    let people: Vec<&str> = d
        .remedies
        .iter()
        .map(|r| r.remedy.created_by.as_str())
        .collect();
    let names = crate::web::review::words::names(c, &people)?;
    let remedies = d
        .remedies
        .iter()
        .map(|v| {
            let r = &v.remedy;
            RemedyLine {
                id: r.id.clone(),
                note: r.note.clone(),
                follow_up: crate::reports::labels::follow_up(&r.follow_up),
                follow_up_code: r.follow_up.clone(),
                who: names.get(&r.created_by).cloned().unwrap_or_default(),
                at: format::datetime(r.created_at),
                files: v.files.iter().map(FileLine::of).collect(),
            }
        })
        .collect();
    Ok(DetailPage {
        layout,
        due: d.item.due_on.map(format::date).unwrap_or_default(),
        remedies,
        remedy_id: crate::db::new_id(),
        file_id: crate::db::new_id(),
        show_inspection: scope.role != crate::role::Role::Unit,
        d,
    })
}

#[derive(Deserialize)]
pub struct RemedyForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    follow_up: String,
    /// The recommendation's version the page showed: a change made meanwhile is 409, not
    /// overwritten.
    #[serde(default)]
    version: String,
}

/// `POST /kien-nghi/{id}/khac-phuc`: a remedy, through the API's own service.
pub async fn add_remedy(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<RemedyForm>,
) -> HttpResponse {
    let id = id.into_inner();
    let Action { user, form } = action;
    let page = format!("/kien-nghi/{id}");
    let done: Result<(), WebError> = async {
        let rec = parse_id(&id)?;
        let rid = client_id("/id", Some(form.id.as_str()).filter(|s| !s.is_empty()))?;
        let (me, actor) = (user.me.clone(), user.me.actor());
        let input = RemedyInput {
            note: form.note,
            follow_up: form.follow_up,
            version: form.version.trim().parse().ok(),
            device_id: None,
        };
        state
            .db
            .write(move |c| {
                let scope = Scope::load(c, &me)?;
                service::add_remedy(c, &actor, &scope, &rec, &rid, &input)?;
                Ok::<_, DomainError>(())
            })
            .await?;
        Ok(())
    }
    .await;
    match done {
        Ok(()) => flash::redirect(&page, Flash::ok("Đã ghi kết quả khắc phục.")),
        Err(e) if e.needs_sign_in() || e.status_code().as_u16() == 404 => e.error_response(),
        Err(e) => flash::redirect(&page, Flash::err(e.message())),
    }
}

/// `POST /kien-nghi/{id}/khac-phuc/{rid}/tep`: a document or photo for a remedy, through the
/// API's own rule (`recommendations::files`) and the attachments' checks.
pub async fn attach_file(
    state: web::Data<AppState>,
    user: WebUser,
    path: web::Path<(String, String)>,
    form: Result<MultipartForm<FileForm>, actix_web::Error>,
) -> HttpResponse {
    let (id, rid) = path.into_inner();
    let page = format!("/kien-nghi/{id}");
    let done = async {
        let (rec, remedy) = (parse_id(&id)?, parse_id(&rid)?);
        let me = user.me.clone();
        let (r2, m2) = (rec.clone(), remedy.clone());
        let allowed = |_| async {
            state
                .db
                .read(move |c| {
                    let scope = Scope::load(c, &me)?;
                    crate::recommendations::files::writable(c, &scope, &r2, &m2)
                })
                .await?;
            Ok(())
        };
        let sent = attach::receive(&state, &user, form, OwnerKind::Remedy, allowed).await?;
        let ids = (rec, remedy, sent.id);
        let me = user.me.clone();
        let (f, _) =
            crate::recommendations::files::store(&state, me, ids, sent.name, sent.file).await?;
        Ok::<_, WebError>(f)
    }
    .await;
    attach::finish(&page, done)
}
