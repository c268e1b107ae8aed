//! `/minh-chung/{id}/anh-nho` and `/minh-chung/{id}/anh`: a photo's small and large views for
//! the review page. Both are the API's thumbnails (320 and 1280 px, upright, without EXIF
//! or GPS), served by the API's own function after the API's own visibility check, so another
//! team's photo is "not found" and the caching (`private`, content-addressed) is the same.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::domain::parse_id;
use crate::media::routes::content;
use crate::media::thumbs::SIZES;
use crate::state::AppState;
use crate::web::{WebError, WebUser};

async fn serve(
    req: &HttpRequest,
    state: &AppState,
    user: WebUser,
    id: &str,
    size: u32,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(id)?;
    Ok(content::thumbnail(state, req, user.me, id, size).await?)
}

/// The thumbnail shown beside the answer.
pub async fn small(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    serve(&req, &state, user, &id, SIZES[0]).await
}

/// The large view the photo dialog (or the link, without script) opens.
pub async fn large(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    serve(&req, &state, user, &id, SIZES[SIZES.len() - 1]).await
}
