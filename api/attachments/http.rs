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
