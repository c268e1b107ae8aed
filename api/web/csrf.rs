//! Cross-site request forgery: the session cookie is `SameSite=Strict` and a POST must come
//! from our own origin (`session::same_origin`); on top of both, every form carries a token
//! bound to its session, HMAC-SHA256 of the session's device id under the server's secret.
//! It needs no storage and dies with the session.
//!
//! POST handlers take [`Action<T>`], which signs the caller in, checks the token and parses
//! the rest of the form as `T`: a handler cannot forget the check.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sha2::Sha256;

use super::{WebError, WebUser};
use crate::error::ApiError;
use crate::state::AppState;

/// The form field that carries the token.
pub const FIELD: &str = "_csrf";

/// The token for a session (its device id).
pub fn token(state: &AppState, device_id: &str) -> String {
    let key = state
        .settings
        .jwt_secret()
        .map(|s| s.expose().to_owned())
        .unwrap_or_default();
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else {
        return String::new();
    };
    mac.update(b"kiemtra-web-csrf:");
    mac.update(device_id.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..20])
}

/// Refuses unless `presented` is the caller's token; compared in constant time.
pub fn check(user: &WebUser, presented: &str) -> Result<(), WebError> {
    use subtle_eq::eq;
    if !user.csrf.is_empty() && eq(user.csrf.as_bytes(), presented.as_bytes()) {
        Ok(())
    } else {
        Err(WebError::BadToken)
    }
}

mod subtle_eq {
    /// Equal length and bytes, without an early exit on the first difference.
    pub fn eq(a: &[u8], b: &[u8]) -> bool {
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// A signed-in caller's form submission, its token checked; `T` is the rest of the form
/// (`application/x-www-form-urlencoded`).
pub struct Action<T> {
    pub user: WebUser,
    pub form: T,
}

async fn extract<T: DeserializeOwned>(
    req: HttpRequest,
    body: web::Bytes,
) -> Result<Action<T>, WebError> {
    let user = WebUser::extract(&req).await?;
    let token: TokenOnly = serde_urlencoded::from_bytes(&body).map_err(|_| WebError::BadToken)?;
    check(&user, &token.csrf)?;
    let form = serde_urlencoded::from_bytes(&body)
        .map_err(|e| WebError::Api(ApiError::InvalidQuery(e.to_string())))?;
    Ok(Action { user, form })
}

impl<T: DeserializeOwned + 'static> FromRequest for Action<T> {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body
                .await
                .map_err(|_| WebError::Api(ApiError::PayloadTooLarge))?;
            extract(req, body).await
        })
    }
}
