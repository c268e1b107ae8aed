//! `GET /inspections/{id}/bien-ban?format=docx|pdf`: the biên bản kiểm tra of one inspection.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::exports::document_bytes;
use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::ApiError;
use crate::reports::documents::record;
use crate::reports::export::{docx, ExportFormat};
use crate::reports::service::today;
use crate::scope::Scope;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RecordFormat {
    #[default]
    Docx,
    Pdf,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RecordQuery {
    /// `docx` (default) or `pdf`.
    #[param(inline)]
    pub format: Option<RecordFormat>,
}

/// The biên bản kiểm tra of the inspection (Nghị định 30/2020 layout), issued by its team:
/// time and place, both sides' attendees, the answers and score by section, the findings, the
/// recommendations, the closing sentence and both signatures. Unrecorded fields print as
/// dotted lines. Whoever may read the inspection may download it; `pdf` answers 503
/// `pdf_unavailable` when the server has no LibreOffice.
#[utoipa::path(tag = "inspections", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id"), RecordQuery), responses((status = 200, description = "The biên bản", content(("application/vnd.openxmlformats-officedocument.wordprocessingml.document"), ("application/pdf")))))]
#[get("/inspections/{id}/bien-ban")]
pub async fn get_bien_ban(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    query: web::Query<RecordQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    bien_ban(&state, me, id, query.format.unwrap_or_default()).await
}

/// The body of `GET /inspections/{id}/bien-ban`, shared with the web app's download link
/// (`/phieu/{id}/bien-ban`): the same scope, file and `Content-Disposition`. `id` is parsed.
pub async fn bien_ban(
    state: &AppState,
    me: CurrentUser,
    id: String,
    format: RecordFormat,
) -> Result<HttpResponse, ApiError> {
    let (format, ext) = match format {
        RecordFormat::Docx => (ExportFormat::Docx, "docx"),
        RecordFormat::Pdf => (ExportFormat::Pdf, "pdf"),
    };
    let r = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            record::load(c, Some(&scope), &id, today())
        })
        .await?;
    let bytes = document_bytes(state, format, move || docx::render_record(&r)).await?;
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "bien-ban-kiem-tra.{ext}"
            ))],
        })
        .body(bytes))
}
