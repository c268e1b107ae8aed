use actix_web::{post, web, HttpResponse};

use super::refresh::RefreshRequest;
use crate::auth::service;
use crate::error::ApiError;
use crate::state::AppState;

/// Sign the device out: its refresh token family and its access tokens stop working.
/// Always 204, also for a token that is unknown or already revoked.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out"))
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    if body.refresh_token.len() <= 512 {
        service::logout(&state.db, &body.refresh_token).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}
