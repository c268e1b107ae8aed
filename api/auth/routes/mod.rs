//! HTTP edge of authentication: parse, call `auth::service`, answer.

pub mod login;
pub mod logout;
pub mod refresh;

use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::service::Session;
use crate::users::UserView;

/// Tokens for one device session.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// JWT (HS256) for `Authorization: Bearer …`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires (15 minutes by default).
    pub expires_in: u64,
    /// Opaque; send to `/api/v1/auth/refresh` for a new pair. Shown once; each use replaces it.
    pub refresh_token: String,
    /// Seconds until the refresh token expires (30 days by default).
    pub refresh_expires_in: u64,
    /// The device id of this session (the one sent at login, or one the server made).
    pub device_id: String,
    pub user: UserView,
}

impl From<Session> for TokenResponse {
    fn from(s: Session) -> Self {
        TokenResponse {
            access_token: s.access_token,
            token_type: "Bearer",
            expires_in: s.access_expires_in,
            refresh_token: s.refresh_token,
            refresh_expires_in: s.refresh_expires_in,
            device_id: s.device_key,
            user: UserView::from(&s.user),
        }
    }
}
