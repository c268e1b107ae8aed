//! `POST /xung-dot/{id}`: the lead resolves a conflict by keeping the server's value, taking
//! the device's, or typing a new one, through `sync::conflicts::resolve`, the service behind
//! `POST /api/v1/sync/conflicts/{id}/resolve`.

use actix_web::{web, HttpResponse, ResponseError};
use serde::Deserialize;
use serde_json::Value;

use super::value;
use crate::db::DbConn;
use crate::domain::{parse_id, DomainError};
use crate::inspections::service as inspections;
use crate::scope::Scope;
use crate::state::AppState;
use crate::sync::conflicts::{self, Resolution};
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::{WebError, WebUser};

#[derive(Deserialize)]
pub struct ResolveForm {
    /// `server`, `device` or `new`.
    #[serde(default)]
    take: String,
    /// The new value, as the lead types it.
    #[serde(default)]
    value: String,
    /// The round whose conflicts page sent the form: where to go back to.
    #[serde(default)]
    dot: String,
}

fn how(take: &str, typed: &str) -> Result<Resolution, DomainError> {
    match take {
        "server" => Ok(Resolution::Server),
        "device" => Ok(Resolution::Device),
        "new" => Ok(Resolution::New),
        // A value typed without choosing "new" can only mean the new value.
        "" if !typed.trim().is_empty() => Ok(Resolution::New),
        _ => Err(DomainError::invalid(
            "/take",
            "take_required",
            "Choose how to resolve the conflict.",
            "Hãy chọn cách xử lý xung đột.",
        )),
    }
}

/// The typed value as the service takes it; `None` when blank (the service then says a
/// new value is needed). The conflict is read through the caller's scope first.
fn typed(
    c: &mut DbConn,
    scope: &Scope,
    id: &str,
    text: &str,
) -> Result<Option<Value>, DomainError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let conflict = conflicts::find(c, id)?.ok_or(DomainError::NotFound)?;
    let (row, _) = inspections::visible(c, scope, &conflict.inspection_id)?;
    match conflict.entity.as_str() {
        "answer" => {
            let t = inspections::template_of(c, &row)?;
            match t.item(&conflict.field) {
                Some(item) => value::answer(item, text).map(Some),
                None => Err(DomainError::NotFound),
            }
        }
        _ => Ok(Some(value::finding(&conflict.field, text))),
    }
}

async fn run(
    state: &AppState,
    user: &WebUser,
    id: &str,
    form: ResolveForm,
) -> Result<(), WebError> {
    let id = parse_id(id)?;
    let (me, actor) = (user.me.clone(), user.me.actor());
    state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            let how = how(&form.take, &form.value)?;
            let chosen = match how {
                Resolution::New => typed(c, &scope, &id, &form.value)?,
                _ => None,
            };
            conflicts::resolve(c, &actor, &scope, &id, how, chosen.as_ref())?;
            Ok::<_, DomainError>(())
        })
        .await
        .map_err(WebError::from)
}

pub async fn resolve(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<ResolveForm>,
) -> HttpResponse {
    let Action { user, form } = action;
    // Back only to a conflicts page of ours: the round id must be an id.
    let back = parse_id(&form.dot)
        .map(|r| format!("/dot/{r}/xung-dot"))
        .unwrap_or_else(|_| "/dot".into());
    match run(&state, &user, &id, form).await {
        Ok(()) => flash::redirect(&back, Flash::ok("Đã xử lý xung đột.")),
        Err(e) if e.needs_sign_in() || e.status_code().as_u16() == 404 => e.error_response(),
        Err(e) => flash::redirect(&back, Flash::err(e.message())),
    }
}
