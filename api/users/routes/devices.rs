use actix_web::{delete, get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::parse_id;
use crate::auth::{sessions, CurrentUser};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;
use crate::users::{store, UserError};

#[derive(Serialize, ToSchema)]
pub struct RevokedDevices {
    /// Devices that were signed in and are not any more.
    pub revoked: usize,
}

/// A user's devices, newest activity first (administrators).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses((status = 200, body = Vec<sessions::DeviceView>))
)]
#[get("/users/{id}/devices")]
pub async fn list_devices(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let rows = state
        .db
        .read(move |c| {
            store::find_by_id(c, &id)?.ok_or(UserError::NotFound)?;
            sessions::list_devices(c, &id).map_err(UserError::from)
        })
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.iter()
            .map(sessions::DeviceView::from)
            .collect::<Vec<_>>(),
    ))
}

/// Sign a user out everywhere: every device's refresh and access tokens stop working
/// (administrators; e.g. a lost phone).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses((status = 200, body = RevokedDevices))
)]
#[delete("/users/{id}/devices")]
pub async fn revoke_devices(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let actor = me.actor();
    let revoked = state
        .db
        .write(move |c| crate::users::service::revoke_devices(c, &actor, &id))
        .await?;
    Ok(HttpResponse::Ok().json(RevokedDevices { revoked }))
}

/// Sign one device of a user out (administrators).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
        ("device" = uuid::Uuid, Path, description = "Device id (the `id` in the device list)"),
    ),
    responses((status = 204, description = "Revoked"))
)]
#[delete("/users/{id}/devices/{device}")]
pub async fn revoke_device(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let (user_id, device_id) = path.into_inner();
    let (user_id, device_id) = (parse_id(&user_id)?, parse_id(&device_id)?);
    let actor = me.actor();
    state
        .db
        .write(move |c| {
            match sessions::find_device(c, &device_id)? {
                Some(d) if d.user_id == user_id => {}
                _ => return Err(UserError::NotFound),
            }
            sessions::revoke_device(c, &device_id, db::now())?;
            crate::audit::append(
                c,
                &actor,
                "revoke_device",
                "user",
                &user_id,
                None,
                Some(&serde_json::json!({"device": device_id})),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
