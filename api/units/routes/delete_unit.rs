use actix_web::{delete, web, HttpResponse};

use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use crate::units::service;

/// Delete a unit that nothing refers to (administrators).
#[utoipa::path(
    tag = "units",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Unit id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Still referenced (`unit_in_use`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/units/{id}")]
pub async fn delete_unit(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let actor = me.actor();
    state
        .db
        .write(move |c| service::delete(c, &actor, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
