use actix_web::{patch, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::parse_id;
use crate::auth::{password, CurrentUser};
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use crate::users::model::{check_email, check_full_name, check_password, check_role};
use crate::users::service::{self, UserUpdate};
use crate::users::{UserError, UserView};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    pub full_name: Option<String>,
    pub role: Option<String>,
    /// Disabling ends all of the user's sessions at once.
    pub disabled: Option<bool>,
    /// Reset the password (8–256 characters); ends all of the user's sessions.
    pub password: Option<String>,
    /// The unit of a unit's representative (role `unit`). Absent keeps it; changing the role
    /// to another one drops it.
    #[serde(default)]
    pub unit_id: Option<String>,
    /// Where notifications are e-mailed when SMTP is configured. Absent keeps it; `null` or
    /// blank clears it.
    #[serde(default, deserialize_with = "crate::domain::double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// The `version` you last saw; when given and stale, 409 `version_mismatch`.
    pub version: Option<i64>,
}

/// Checks a change (every field's fault at once) and hashes a new password off the async
/// threads. Shared by this handler and the web app's forms.
pub async fn prepare(b: UpdateUserRequest) -> Result<UserUpdate, ApiError> {
    let mut errors = Vec::new();
    let full_name = b
        .full_name
        .as_deref()
        .map(|n| check_full_name("/full_name", n))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let role = b
        .role
        .as_deref()
        .map(|r| check_role("/role", r))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if let Some(p) = &b.password {
        if let Err(e) = check_password("/password", p) {
            errors.push(e);
        }
    }
    let email = match b.email {
        Some(Some(e)) => check_email("/email", &e)
            .map(Some)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten(),
        Some(None) => Some(None),
        None => None,
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let password_hash = match b.password {
        Some(p) => Some(
            web::block(move || password::hash(&p))
                .await?
                .map_err(UserError::from)?,
        ),
        None => None,
    };
    Ok(UserUpdate {
        full_name,
        role,
        disabled: b.disabled,
        password_hash,
        unit_id: b
            .unit_id
            .map(|u| Some(super::create_user::normalize_id(&u))),
        email,
        expected_version: b.version,
    })
}

/// Change a user's name or role, disable or re-enable them, or reset their password
/// (administrators). The last active administrator cannot be demoted or disabled.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "User id")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, body = UserView),
        (status = 409, description = "Last administrator, or stale version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let update = prepare(body.into_inner()).await?;
    let actor = me.actor();
    let user = state
        .db
        .write(move |c| service::update(c, &actor, &id, update))
        .await?;
    Ok(HttpResponse::Ok().json(UserView::from(&user)))
}
