use actix_web::{patch, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::domain::{parse_id, DomainError, Faults};
use crate::error::ApiError;
use crate::state::AppState;
use crate::units::model::{RawUnit, UnitFields, UnitView};
use crate::units::{service, store};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUnit {
    pub code: Option<String>,
    pub name: Option<String>,
    /// `department` (sở, ban, ngành), `commune` (xã), `ward` (phường) or `other`.
    pub kind: Option<String>,
    /// `null` removes the parent.
    #[serde(default, deserialize_with = "crate::domain::double_option")]
    #[schema(value_type = Option<String>)]
    pub parent_id: Option<Option<String>>,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The `version` you last saw; 409 `version_mismatch` when stale.
    pub version: Option<i64>,
}

/// Change a unit (administrators). Absent fields keep their value.
#[utoipa::path(tag = "units", security(("bearer" = [])), params(("id" = String, Path, description = "Unit id")), request_body = UpdateUnit, responses((status = 200, body = UnitView)))]
#[patch("/units/{id}")]
pub async fn update_unit(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<UpdateUnit>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let b = body.into_inner();
    let actor = me.actor();
    let row = state
        .db
        .write(move |c| {
            let cur = store::find(c, &id)?.ok_or(DomainError::NotFound)?;
            let mut faults = Faults::default();
            let raw = RawUnit {
                code: b.code.as_deref().unwrap_or(&cur.code),
                name: b.name.as_deref().unwrap_or(&cur.name),
                kind: b.kind.as_deref().unwrap_or(&cur.kind),
                address: b.address.as_deref().or(cur.address.as_deref()),
                latitude: b.latitude.or(cur.latitude),
                longitude: b.longitude.or(cur.longitude),
            };
            let fields = UnitFields::check(&mut faults, "/", raw);
            faults.finish()?;
            let parent = match b.parent_id {
                None => cur.parent_id.clone(),
                Some(None) => None,
                Some(Some(p)) => Some(parse_id(&p).map_err(|_| {
                    DomainError::invalid(
                        "/parent_id",
                        "unknown_parent",
                        "The parent unit does not exist.",
                        "Đơn vị cấp trên không tồn tại.",
                    )
                })?),
            };
            service::update(c, &actor, &id, &fields, parent.as_deref(), b.version)
        })
        .await?;
    Ok(HttpResponse::Ok().json(UnitView::from(&row)))
}
