use actix_web::{get, web, HttpResponse};

use super::parse_id;
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::users::{store, UserError, UserView};

/// One user (administrators).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses((status = 200, body = UserView))
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let user = state
        .db
        .read(move |c| store::find_by_id(c, &id).map_err(UserError::from))
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(UserView::from(&user)))
}
