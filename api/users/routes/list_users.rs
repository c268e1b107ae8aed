use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::paging::PageParams;
use crate::role::Role;
use crate::state::AppState;
use crate::users::{store, UserError, UserView};

#[derive(Deserialize, IntoParams)]
pub struct UserFilter {
    /// Only this role.
    pub role: Option<Role>,
    /// Only disabled (`true`) or active (`false`) accounts.
    pub disabled: Option<bool>,
    /// Username prefix, or any part of the full name.
    pub q: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// List users (administrators), ordered by username.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(UserFilter, PageParams),
    responses((status = 200, body = UserPage))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    me: CurrentUser,
    filter: web::Query<UserFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let (limit, offset) = page.clamped();
    let f = store::ListFilter {
        role: filter.role.map(|r| r.as_str().to_owned()),
        disabled: filter.disabled,
        q: filter.q.clone().filter(|q| !q.trim().is_empty()),
        limit,
        offset,
    };
    let (rows, total) = state
        .db
        .read(move |c| store::list(c, &f).map_err(UserError::from))
        .await?;
    Ok(HttpResponse::Ok().json(UserPage {
        items: rows.iter().map(UserView::from).collect(),
        total,
        limit,
        offset,
    }))
}
