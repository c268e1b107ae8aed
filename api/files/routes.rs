//! `GET /attachments/{id}`: a stored file, to whoever may read its owner (404 otherwise).
//! Uploads go through the owner's own route (e.g. `PUT /unit-reports/…`), which authorizes
//! the write.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::attachments::kind::content_disposition;
use crate::attachments::service;
use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::ApiError;
use crate::media::blob::original_key;
use crate::scope::Scope;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_attachment);
}

/// The file's bytes with its checked media type and its name (`Content-Disposition`, RFC 6266
/// `filename*`): for the API and the web app alike.
pub async fn serve(
    state: &AppState,
    req: &HttpRequest,
    me: CurrentUser,
    id: &str,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(id)?;
    let row = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::readable(c, &scope, &id, super::access::may_read)
        })
        .await?;
    let mut res = crate::media::serve::blob(
        req,
        state.media.store.as_ref(),
        &original_key(&row.sha256),
        &row.sha256,
        &row.media_type,
    )
    .await?;
    if let Ok(v) = header::HeaderValue::from_str(&content_disposition(&row.filename)) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}

/// Download an attachment (a unit's report, …): the bytes exactly as sent, `Content-Type` as
/// checked from them, `Content-Disposition: attachment` with the sender's file name. Only for
/// callers who may read the owner (a unit's report: the unit, administrators, viewers, the
/// teams assigned to the unit); anyone else gets 404.
#[utoipa::path(tag = "attachments", security(("bearer" = [])), params(("id" = String, Path, description = "Attachment id")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 304, description = "Not modified"), (status = 404, description = "No such attachment, or not the caller's to read", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/attachments/{id}")]
pub async fn get_attachment(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    serve(&state, &req, me, &id).await
}
