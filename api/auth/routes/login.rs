use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::TokenResponse;
use crate::auth::client;
use crate::auth::service::{self, LoginInput};
use crate::error::{ApiError, FieldError, Problem, Text};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "nguyenvana")]
    pub username: String,
    pub password: String,
    /// The app's own stable id for this install; a new one is made when absent.
    pub device_id: Option<String>,
    /// A name to recognise the device by in the device list, e.g. "Samsung A15 của chị Lan".
    pub device_name: Option<String>,
}

fn too_long(pointer: &str, max: usize) -> FieldError {
    FieldError::new(
        pointer,
        "too_long",
        Text::new(
            format!("At most {max} characters."),
            format!("Tối đa {max} ký tự."),
        ),
    )
}

impl LoginRequest {
    // Bounds keep a megabyte "password" from costing a megabyte of Argon2 work.
    fn check(&self) -> Result<(), ApiError> {
        let mut errors = Vec::new();
        for (pointer, value, max) in [
            ("/username", Some(&self.username), 64),
            ("/password", Some(&self.password), 256),
            ("/device_id", self.device_id.as_ref(), 128),
            ("/device_name", self.device_name.as_ref(), 200),
        ] {
            if value.is_some_and(|v| v.chars().count() > max) {
                errors.push(too_long(pointer, max));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(errors))
        }
    }
}

/// Sign in; returns an access token and a refresh token bound to this device.
///
/// Failed logins are throttled by client address and by (username, address), never by
/// username alone: an address that keeps failing must wait, with a back-off that doubles at
/// each failure (429 `too_many_attempts` with `Retry-After`), while the same user signing in
/// from another address is not held back. No account is ever locked. Unknown usernames are
/// treated exactly like real ones.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong username or password", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Account disabled", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed logins from this address (on this username, or on any): wait `Retry-After` seconds", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    body.check()?;
    let b = body.into_inner();
    let ip = client::request_ip(&req, &state.settings.trusted_proxies);
    let session = service::login(
        &state.db,
        &state.jwt,
        &state.settings,
        LoginInput {
            username: b.username,
            password: b.password,
            device_key: b.device_id,
            device_name: b.device_name,
            address: client::throttle_address(ip),
        },
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(TokenResponse::from(session)))
}
