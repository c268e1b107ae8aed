//! The HTTP edge every owner's upload route shares: the file's name in the query, the body
//! received (declared length refused before a byte is read), and the answer (201 new, 200
//! the same bytes again). Each owner's route authorizes before calling [`receive_body`].

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::AttachmentError;
use super::listing::FileView;
use super::owner::OwnerKind;
use super::service::{self, Received, Recorded};
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::error::ApiError;
use crate::scope::Scope;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentQuery {
    /// The file's name as the sender knows it (kept for downloads; the type is checked from
    /// the bytes, not from this).
    pub filename: Option<String>,
}

/// The request's declared `Content-Length`, when it has a readable one.
pub fn declared_length(req: &HttpRequest) -> Option<u64> {
    req.headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// Spools, checks and keeps the request's body as a file `owner` takes, within the configured
/// limit.
pub async fn receive_body(
    state: &AppState,
    req: &HttpRequest,
    payload: web::Payload,
    owner: OwnerKind,
) -> Result<Received, AttachmentError> {
    let limit = state.settings.attachment_max_bytes;
    service::receive(&state.media, payload, limit, declared_length(req), owner).await
}

/// 201 with the file when it is new, 200 when these bytes were already recorded under its id.
pub fn answer(file: &FileView, recorded: Recorded) -> HttpResponse {
    match recorded {
        Recorded::New => HttpResponse::Created().json(file),
        Recorded::Same => HttpResponse::Ok().json(file),
    }
}

/// Records an already received file with the owner's `write` rule, in one write transaction
/// under the caller's scope (the API's upload and the web form's).
pub async fn store_with<W>(
    state: &AppState,
    me: CurrentUser,
    file: Received,
    write: W,
) -> Result<(FileView, Recorded), ApiError>
where
    W: FnOnce(
            &mut DbConn,
            &Actor,
            &Scope,
            &Received,
        ) -> Result<(FileView, Recorded), AttachmentError>
        + Send
        + 'static,
{
    let actor = me.actor();
    Ok(state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            write(c, &actor, &scope, &file)
        })
        .await?)
}

/// An owner's upload route: `check` authorizes (read-only) before a byte is read, so a
/// refused caller never fills the disk; then the body is received and `write` records it.
pub async fn put_owned<C, W>(
    state: &AppState,
    me: CurrentUser,
    (req, payload): (&HttpRequest, web::Payload),
    owner: OwnerKind,
    check: C,
    write: W,
) -> Result<HttpResponse, ApiError>
where
    C: FnOnce(&mut DbConn, &Scope) -> Result<(), DomainError> + Send + 'static,
    W: FnOnce(
            &mut DbConn,
            &Actor,
            &Scope,
            &Received,
        ) -> Result<(FileView, Recorded), AttachmentError>
        + Send
        + 'static,
{
    let reader = me.clone();
    state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &reader)?;
            check(c, &scope)
        })
        .await?;
    let file = receive_body(state, req, payload, owner).await?;
    let (v, recorded) = store_with(state, me, file, write).await?;
    Ok(answer(&v, recorded))
}
