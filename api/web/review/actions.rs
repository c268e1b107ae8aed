//! The lead's actions on `/phieu/{id}`: return to the team with a reason, approve, comment.
//! Each goes through the service the API's own handler calls (`inspections::service::act`,
//! `add_comment`), so the rules (state, standing, open round, unresolved conflicts) are the
//! same, and answers with a message on the inspection's page.

use actix_web::{web, HttpResponse, ResponseError};
use serde::Deserialize;

use crate::domain::{client_id, parse_id, DomainError};
use crate::inspections::service as inspections;
use crate::inspections::workflow::Action as Transition;
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::{WebError, WebUser};

#[derive(Deserialize)]
pub struct ReturnForm {
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub struct NoFields {}

#[derive(Deserialize)]
pub struct CommentForm {
    /// Made when the page was drawn: the same form sent twice adds one comment.
    #[serde(default)]
    id: String,
    #[serde(default)]
    item_id: String,
    #[serde(default)]
    body: String,
}

fn page_of(id: &str) -> String {
    format!("/phieu/{id}")
}

/// After an action: its message on the inspection's page. An inspection the caller may not
/// see answers as the page would (404), and a lost session sends them to sign in.
fn answer(id: &str, done: Result<(), WebError>, ok: &str) -> HttpResponse {
    match done {
        Ok(()) => flash::redirect(&page_of(id), Flash::ok(ok)),
        Err(e) if e.needs_sign_in() || e.status_code().as_u16() == 404 => e.error_response(),
        Err(e) => flash::redirect(&page_of(id), Flash::err(e.message())),
    }
}

async fn transition(
    state: &AppState,
    user: &WebUser,
    id: &str,
    action: Transition,
    reason: Option<String>,
) -> Result<(), WebError> {
    let (me, actor, id) = (user.me.clone(), user.me.actor(), id.to_owned());
    state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            inspections::act(c, &actor, &scope, &id, action, reason.as_deref())?;
            Ok::<_, DomainError>(())
        })
        .await
        .map_err(WebError::from)
}

/// `POST /phieu/{id}/tra-lai`: back to the team, with the reason they will read.
pub async fn return_to_team(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<ReturnForm>,
) -> HttpResponse {
    let id = id.into_inner();
    let done = match parse_id(&id) {
        Ok(id) => {
            // As the API: an empty reason is the service's own `reason_required`.
            let reason = crate::domain::nfc(&action.form.reason);
            transition(&state, &action.user, &id, Transition::Return, Some(reason)).await
        }
        Err(e) => Err(e.into()),
    };
    answer(&id, done, "Đã trả lại phiếu cho đoàn.")
}

/// `POST /phieu/{id}/duyet`: approve; the inspection is read-only from then on.
pub async fn approve(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<NoFields>,
) -> HttpResponse {
    let id = id.into_inner();
    let done = match parse_id(&id) {
        Ok(id) => transition(&state, &action.user, &id, Transition::Approve, None).await,
        Err(e) => Err(e.into()),
    };
    answer(&id, done, "Đã duyệt phiếu.")
}

async fn comment(
    state: &AppState,
    user: &WebUser,
    id: &str,
    form: CommentForm,
) -> Result<(), WebError> {
    let id = parse_id(id)?;
    let cid = client_id("/id", Some(form.id.as_str()).filter(|s| !s.is_empty()))?;
    let item = Some(form.item_id).filter(|s| !s.is_empty());
    let body = form.body;
    let (me, actor) = (user.me.clone(), user.me.actor());
    state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            inspections::add_comment(c, &actor, &scope, &id, &cid, item.as_deref(), &body)?;
            Ok::<_, DomainError>(())
        })
        .await
        .map_err(WebError::from)
}

/// `POST /phieu/{id}/binh-luan`: a comment on the inspection or one of its items.
pub async fn add_comment(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<CommentForm>,
) -> HttpResponse {
    let id = id.into_inner();
    let Action { user, form } = action;
    let done = comment(&state, &user, &id, form).await;
    answer(&id, done, "Đã thêm ý kiến.")
}
