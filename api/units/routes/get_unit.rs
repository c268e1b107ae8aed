use actix_web::{get, web, HttpResponse};

use crate::auth::CurrentUser;
use crate::domain::{parse_id, DomainError};
use crate::error::ApiError;
use crate::state::AppState;
use crate::units::model::UnitView;
use crate::units::store;

/// One unit. Anyone signed in.
#[utoipa::path(tag = "units", security(("bearer" = [])), params(("id" = String, Path, description = "Unit id")), responses((status = 200, body = UnitView)))]
#[get("/units/{id}")]
pub async fn get_unit(
    state: web::Data<AppState>,
    _me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let row = state
        .db
        .read(move |c| store::find(c, &id)?.ok_or(DomainError::NotFound))
        .await?;
    Ok(HttpResponse::Ok().json(UnitView::from(&row)))
}
