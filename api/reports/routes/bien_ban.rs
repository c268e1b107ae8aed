//! `GET /inspections/{id}/bien-ban.{docx|pdf}`: the biên bản kiểm tra of one inspection.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};

use super::exports::document_bytes;
use crate::auth::CurrentUser;
use crate::domain::parse_id;
use crate::error::ApiError;
use crate::reports::documents::record;
use crate::reports::export::{docx, ExportFormat};
use crate::reports::service::today;
use crate::scope::Scope;
use crate::state::AppState;

/// The biên bản kiểm tra of the inspection (Nghị định 30/2020 layout), issued by its team:
/// time and place, both sides' attendees, the answers and score by section, the findings, the
/// recommendations, the closing sentence and both signatures. Unrecorded fields print as
/// dotted lines. Whoever may read the inspection may download it; `pdf` answers 503
/// `pdf_unavailable` when the server has no LibreOffice.
#[utoipa::path(tag = "inspections", security(("bearer" = [])), params(("id" = String, Path, description = "Inspection id"), ("format" = String, Path, description = "docx or pdf")), responses((status = 200, description = "The biên bản", content(("application/vnd.openxmlformats-officedocument.wordprocessingml.document"), ("application/pdf")))))]
#[get("/inspections/{id}/bien-ban.{format}")]
pub async fn get_bien_ban(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, ext) = path.into_inner();
    let id = parse_id(&id)?;
    let format = match ext.as_str() {
        "docx" => ExportFormat::Docx,
        "pdf" => ExportFormat::Pdf,
        other => return Err(ApiError::InvalidPath(format!("`{other}`: docx or pdf"))),
    };
    let r = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            record::load(c, Some(&scope), &id, today())
        })
        .await?;
    let bytes = document_bytes(&state, format, move || docx::render_record(&r)).await?;
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
