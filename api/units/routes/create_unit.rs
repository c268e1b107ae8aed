use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::domain::{parse_id, DomainError, Faults};
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use crate::units::model::{RawUnit, UnitFields, UnitView};
use crate::units::service;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUnit {
    #[schema(example = "XA-NGHILOC")]
    pub code: String,
    #[schema(example = "Xã Nghi Lộc")]
    pub name: String,
    /// `department` (sở, ban, ngành), `commune` (xã), `ward` (phường) or `other`.
    #[schema(example = "commune")]
    pub kind: String,
    pub parent_id: Option<String>,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// Create a unit (administrators).
#[utoipa::path(
    tag = "units",
    security(("bearer" = [])),
    request_body = CreateUnit,
    responses(
        (status = 201, body = UnitView),
        (status = 409, description = "Code taken", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/units")]
pub async fn create_unit(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: web::Json<CreateUnit>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let b = body.into_inner();
    let mut faults = Faults::default();
    let raw = RawUnit {
        code: &b.code,
        name: &b.name,
        kind: &b.kind,
        address: b.address.as_deref(),
        latitude: b.latitude,
        longitude: b.longitude,
    };
    let fields = UnitFields::check(&mut faults, "/", raw);
    faults.finish()?;
    let parent = b
        .parent_id
        .as_deref()
        .map(parse_id)
        .transpose()
        .map_err(|_| {
            DomainError::invalid(
                "/parent_id",
                "unknown_parent",
                "The parent unit does not exist.",
                "Đơn vị cấp trên không tồn tại.",
            )
        })?;
    let actor = me.actor();
    let row = state
        .db
        .write(move |c| service::create(c, &actor, &fields, parent.as_deref()))
        .await?;
    Ok(HttpResponse::Created().json(UnitView::from(&row)))
}
