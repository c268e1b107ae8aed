use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{sessions, CurrentUser};
use crate::error::ApiError;
use crate::state::AppState;
use crate::users::UserView;

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub user: UserView,
    pub device: Option<sessions::DeviceView>,
}

/// Who am I: the signed-in user and this session's device.
#[utoipa::path(tag = "users", security(("bearer" = [])), responses((status = 200, body = MeResponse)))]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, me: CurrentUser) -> Result<HttpResponse, ApiError> {
    let device_id = me.device_id.clone();
    let device = state
        .db
        .read(move |c| {
            sessions::find_device(c, &device_id)
                .map_err(|e| ApiError::from(crate::db::DbError::from(e)))
        })
        .await?;
    Ok(HttpResponse::Ok().json(MeResponse {
        user: UserView::from(&me.user),
        device: device.as_ref().map(sessions::DeviceView::from),
    }))
}
