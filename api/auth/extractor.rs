//! `CurrentUser`: the authenticated caller, for any handler that names it as an argument.
//!
//! The JWT proves who signed in and on which device; the user and device rows are then read
//! on every request, so a disabled account, a changed role or a revoked device takes effect
//! at once rather than when the token expires.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use super::{sessions, Role, TokenError};
use crate::error::ApiError;
use crate::state::AppState;
use crate::users::UserRow;

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRow,
    /// Server-side device id of this session.
    pub device_id: String,
    pub role: Role,
}

impl CurrentUser {
    pub fn id(&self) -> &str {
        &self.user.id
    }

    /// Refuses (403) unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// Who this caller is, for the audit log.
    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor {
            user_id: Some(self.user.id.clone()),
            device_id: Some(self.device_id.clone()),
        }
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        self.require(&[Role::Admin])
    }
}

/// The routes a unit's representative may call: their own session, and their unit's
/// self-assessment. Every other route refuses them here (403), before its handler runs, so a
/// route added later stays closed to them until it is listed (fail closed;
/// docs/self-assessment.md).
const UNIT_ROUTES: &[&str] = &[
    "/api/v1/me",
    "/api/v1/auth/logout",
    "/api/v1/auth/refresh",
    // Their unit's reports owed under the plan (obligations/) and the files they sent.
    "/api/v1/unit-reports",
    "/api/v1/unit-reports/{year}/{kind}/files/{id}",
    "/api/v1/attachments/{id}",
    // Their own reminders (notifications/): the web app shows them, a client reads them here.
    "/api/v1/notifications",
    "/api/v1/notifications/{id}/read",
    "/api/v1/notifications/read-all",
    // Their unit's bright spots (brightspots/): listed and edited, never reviewed.
    "/api/v1/bright-spots",
    "/api/v1/bright-spots/{id}",
    "/api/v1/bright-spots/{id}/files/{file_id}",
];
/// Their own unit's recommendations and khắc phục notes (docs/recommendations.md), by method
/// as well: `PATCH /recommendations/{id}` (an inspection's own edit) shares the pattern and
/// stays closed. The service scopes them to the unit.
const UNIT_FOLLOW_UP: [(&str, &str); 4] = [
    ("GET", "/api/v1/recommendations"),
    ("GET", "/api/v1/recommendations/{id}"),
    ("POST", "/api/v1/recommendations/{id}/remedies"),
    (
        "PUT",
        "/api/v1/recommendations/{id}/remedies/{remedy_id}/files/{file_id}",
    ),
];
const UNIT_AREA: &str = "/api/v1/self-assessments";

fn unit_may_call(method: &str, pattern: Option<&str>) -> bool {
    pattern.is_some_and(|p| {
        UNIT_ROUTES.contains(&p)
            || p == UNIT_AREA
            || p.starts_with(&format!("{UNIT_AREA}/"))
            || UNIT_FOLLOW_UP.contains(&(method, p))
    })
}

pub(crate) fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or(ApiError::Unauthenticated)?
        .to_str()
        .map_err(|_| ApiError::InvalidToken)?;
    let (scheme, token) = value.split_once(' ').ok_or(ApiError::InvalidToken)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::InvalidToken);
    }
    Ok(token.trim().to_owned())
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        let unit_may_call = unit_may_call(req.method().as_str(), req.match_pattern().as_deref());
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal("app state missing".into()))?;
            let claims = state.jwt.decode(&token?).map_err(|e| match e {
                TokenError::Expired => ApiError::TokenExpired,
                TokenError::Invalid => ApiError::InvalidToken,
            })?;
            let (sub, dev) = (claims.sub, claims.dev);
            let found = state
                .db
                .read(move |c| -> Result<_, ApiError> {
                    Ok(sessions::find_session(c, &dev, &sub).map_err(crate::db::DbError::from)?)
                })
                .await?;
            match found {
                Some((device, user))
                    if device.user_id == user.id && device.revoked_at.is_none() =>
                {
                    if user.disabled {
                        return Err(ApiError::AccountDisabled);
                    }
                    let role = user.role();
                    if role == Role::Unit && !unit_may_call {
                        return Err(ApiError::Forbidden);
                    }
                    Ok(CurrentUser {
                        user,
                        device_id: device.id,
                        role,
                    })
                }
                _ => Err(ApiError::InvalidToken),
            }
        })
    }
}
