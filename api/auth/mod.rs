//! Authentication and authorization: passwords, tokens, devices, the failed-login throttle
//! (by client address and by username and address, never locking an account),
//! and the `CurrentUser` extractor that every protected handler takes.

pub mod attempts;
pub mod client;
mod extractor;
mod jwt;
pub mod password;
pub mod refresh;
pub mod routes;
pub mod service;
pub mod sessions;
pub mod throttle;

pub(crate) use extractor::bearer;
pub use extractor::CurrentUser;
pub use jwt::{Claims, JwtKeys, TokenError};
// The role lives below both auth and users (users' model needs it, auth reads users).
pub use crate::role::Role;
pub use service::AuthError;

impl From<AuthError> for crate::error::ApiError {
    fn from(e: AuthError) -> Self {
        use crate::error::ApiError;
        match e {
            AuthError::InvalidCredentials => ApiError::InvalidCredentials,
            AuthError::Disabled => ApiError::AccountDisabled,
            AuthError::Throttled { retry_after_secs } => {
                ApiError::TooManyAttempts { retry_after_secs }
            }
            AuthError::RefreshInvalid => ApiError::RefreshTokenInvalid,
            AuthError::RefreshReused => ApiError::RefreshTokenReused,
            AuthError::Signing => ApiError::Internal("token signing failed".into()),
            AuthError::Db(e) => e.into(),
        }
    }
}
