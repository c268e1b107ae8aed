use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::domain::DomainError;
use crate::error::ApiError;
use crate::paging::PageParams;
use crate::state::AppState;
use crate::units::fold::fold;
use crate::units::model::{UnitKind, UnitView};
use crate::units::store::{self, UnitFilter};

#[derive(Deserialize, IntoParams)]
pub struct UnitQuery {
    /// Search by name or code, ignoring diacritics and case: `nghi loc` finds "Nghi Lộc".
    pub q: Option<String>,
    pub kind: Option<UnitKind>,
    pub parent_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UnitPage {
    pub items: Vec<UnitView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// Units (đơn vị), ordered by kind and name. Anyone signed in.
#[utoipa::path(tag = "units", security(("bearer" = [])), params(UnitQuery, PageParams), responses((status = 200, body = UnitPage)))]
#[get("/units")]
pub async fn list_units(
    state: web::Data<AppState>,
    _me: CurrentUser,
    q: web::Query<UnitQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (limit, offset) = page.clamped();
    let filter = UnitFilter {
        q: q.q.as_deref().map(fold).filter(|s| !s.is_empty()),
        kind: q.kind.map(|k| k.as_str().to_owned()),
        parent_id: q.parent_id.clone(),
        limit,
        offset,
    };
    let (rows, total) = state
        .db
        .read(move |c| store::list(c, &filter).map_err(DomainError::from))
        .await?;
    Ok(HttpResponse::Ok().json(UnitPage {
        items: rows.iter().map(UnitView::from).collect(),
        total,
        limit,
        offset,
    }))
}
