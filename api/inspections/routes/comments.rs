//! Comments on an inspection or on one of its items.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::domain::{client_id, parse_id, DomainError};
use crate::error::ApiError;
use crate::inspections::service;
use crate::inspections::store::{self, CommentRow};
use crate::scope::Scope;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateComment {
    /// A UUID made by the device; creating the same id again returns the first.
    pub id: Option<String>,
    /// The item commented on; absent for the whole inspection.
    pub item_id: Option<String>,
    pub body: String,
}

/// The inspection's comments, oldest first.
#[utoipa::path(tag = "inspections", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id")), responses((status = 200, body = Vec<CommentRow>)))]
#[get("/inspections/{id}/comments")]
pub async fn list_comments(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let rows = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::visible(c, &scope, &id)?;
            store::comments_of(c, &id).map_err(DomainError::from)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Comment on the inspection or one item (team members, the lead, administrators).
#[utoipa::path(tag = "inspections", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id")), request_body = CreateComment, responses((status = 201, body = CommentRow)))]
#[post("/inspections/{id}/comments")]
pub async fn add_comment(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<CreateComment>,
) -> Result<HttpResponse, ApiError> {
    let inspection = parse_id(&id)?;
    let b = body.into_inner();
    let cid = client_id("/id", b.id.as_deref())?;
    let actor = me.actor();
    let row = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            service::add_comment(
                c,
                &actor,
                &scope,
                &inspection,
                &cid,
                b.item_id.as_deref(),
                &b.body,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(row))
}
