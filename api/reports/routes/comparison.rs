//! `GET /rounds/{id}/comparison` and its workbook, `GET /rounds/{id}/comparison/xlsx`.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};

use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::ApiError;
use crate::reports::compare::{self, store, Comparison};
use crate::scope::Scope;
use crate::state::AppState;

async fn load(state: &AppState, me: CurrentUser, id: &str) -> Result<Comparison, ApiError> {
    let id = parse_id(id)?;
    Ok(state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            store::comparison(c, Some(&scope), &id)
        })
        .await?)
}

/// The round's units × sections: per unit each section's share of points earned (0–100), the
/// total score and rating, and the change of each since the unit's previous round (the latest
/// earlier round, by start date, where it has an approved inspection sharing a section with
/// this checklist); then the means per unit kind and overall. Only approved inspections count;
/// the others are listed with their status and empty figures. Each caller sees the teams of
/// their scope, and previous results only from inspections they may read.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = String, Path, description = "Round id")), responses((status = 200, body = Comparison)))]
#[get("/rounds/{id}/comparison")]
pub async fn get_comparison(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(load(&state, me, &id).await?))
}

/// The comparison as an XLSX workbook: a sheet of units, a sheet of means by unit kind with a
/// column chart of the mean total by kind. The same figures as `GET /rounds/{id}/comparison`.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Round id")),
    responses((status = 200, description = "The workbook", content(
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )))
)]
#[get("/rounds/{id}/comparison/xlsx")]
pub async fn get_comparison_xlsx(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let cmp = load(&state, me, &id).await?;
    xlsx_response(cmp).await
}

/// The workbook as a download, rendered off the actix worker; shared with the web app.
pub async fn xlsx_response(cmp: Comparison) -> Result<HttpResponse, ApiError> {
    let bytes = web::block(move || compare::xlsx::render(&cmp)).await??;
    Ok(HttpResponse::Ok()
        .content_type(compare::xlsx::CONTENT_TYPE)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(
                compare::xlsx::FILE_NAME.to_owned(),
            )],
        })
        .body(bytes))
}
