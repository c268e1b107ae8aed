use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{password, CurrentUser};
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use crate::users::model::{
    check_email, check_full_name, check_password, check_role, check_username,
};
use crate::users::service::{self, NewUser};
use crate::users::{UserError, UserView};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    /// 3–64 characters: latin letters without diacritics, digits, `.`, `_`, `-`; case-insensitive.
    #[schema(example = "tranthib")]
    pub username: String,
    #[schema(example = "Trần Thị B")]
    pub full_name: String,
    /// `admin`, `lead`, `inspector`, `viewer` or `unit`.
    #[schema(example = "inspector")]
    pub role: String,
    /// 8–256 characters. When absent, one is generated and returned once.
    pub password: Option<String>,
    /// The unit a unit's representative (role `unit`) speaks for: required for that role,
    /// refused for the others.
    #[serde(default)]
    pub unit_id: Option<String>,
    /// Where notifications are e-mailed when SMTP is configured; optional, not unique
    /// (blank is none).
    #[serde(default)]
    #[schema(example = "tranthib@nghean.gov.vn")]
    pub email: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedUser {
    pub user: UserView,
    /// Present only when the server generated the password; it is not shown again.
    pub generated_password: Option<String>,
}

/// Checks a create request (every field's fault at once), generates the password when none
/// was given and hashes it off the async threads: the user to create, and the generated
/// password to show once. Shared by this handler and the web app's form.
pub async fn prepare(b: CreateUserRequest) -> Result<(NewUser, Option<String>), ApiError> {
    let mut errors = Vec::new();
    let username = check_username("/username", &b.username)
        .map_err(|e| errors.push(e))
        .ok();
    let full_name = check_full_name("/full_name", &b.full_name)
        .map_err(|e| errors.push(e))
        .ok();
    let role = check_role("/role", &b.role)
        .map_err(|e| errors.push(e))
        .ok();
    if let Some(p) = &b.password {
        if let Err(e) = check_password("/password", p) {
            errors.push(e);
        }
    }
    let email = b
        .email
        .as_deref()
        .map(|e| check_email("/email", e))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten()
        .flatten();
    let (Some(username), Some(full_name), Some(role)) = (username, full_name, role) else {
        return Err(ApiError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let generated = b.password.is_none().then(|| password::generate(16));
    let plain = b.password.or_else(|| generated.clone()).unwrap_or_default();
    let password_hash = web::block(move || password::hash(&plain))
        .await?
        .map_err(UserError::from)?;
    let new = NewUser {
        username,
        full_name,
        role,
        password_hash,
        unit_id: b.unit_id.map(|u| normalize_id(&u)),
        email,
    };
    Ok((new, generated))
}

/// A unit id as stored (lowercase UUID text); anything else is kept as given, and is then
/// refused as an unknown unit.
pub fn normalize_id(raw: &str) -> String {
    uuid::Uuid::parse_str(raw.trim()).map_or_else(|_| raw.to_owned(), |u| u.to_string())
}

/// Create a user (administrators). Answers 201 with the user and, when the server made the
/// password, `generated_password` (shown this once; `null` when a password was given).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = CreateUserRequest,
    responses(
        (status = 201, body = CreatedUser),
        (status = 409, description = "Username taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: web::Json<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let (new, generated) = prepare(body.into_inner()).await?;
    let actor = me.actor();
    let user = state
        .db
        .write(move |c| service::create(c, &actor, &new))
        .await?;
    Ok(HttpResponse::Created().json(CreatedUser {
        user: UserView::from(&user),
        generated_password: generated,
    }))
}
