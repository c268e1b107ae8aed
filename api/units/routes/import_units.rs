use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::CurrentUser;
use crate::domain::DomainError;
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use crate::units::csv_import;
use crate::units::service::{self, ImportReport};

#[derive(Deserialize, IntoParams)]
pub struct ImportQuery {
    /// Check the file and report what would change, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Import units from CSV (administrators): UTF-8 (a BOM is fine), comma or semicolon
/// separated, columns `code,name,kind[,parent_code,address,latitude,longitude]` (Vietnamese
/// headers such as `Mã,Tên đơn vị,Loại` work too). Units are matched by code: new codes are
/// created, known ones updated, identical ones left alone, so importing a file twice changes
/// nothing. Any faulty line rejects the whole file (422, one entry per line and field, pointer
/// `/lines/<line>/<column>`), and nothing is written.
#[utoipa::path(
    tag = "units",
    security(("bearer" = [])),
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = ImportReport),
        (status = 422, description = "Faulty lines; nothing written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/units/import")]
pub async fn import_units(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let rows = csv_import::parse(&body).map_err(DomainError::Invalid)?;
    let actor = me.actor();
    let report = if q.dry_run {
        let mut r = state
            .db
            .rehearse(move |c| service::import(c, &actor, &rows))
            .await?;
        r.dry_run = true;
        r
    } else {
        state
            .db
            .write(move |c| service::import(c, &actor, &rows))
            .await?
    };
    Ok(HttpResponse::Ok().json(report))
}
