use actix_web::{get, web, HttpResponse};

use crate::error::ApiError;

/// The JSON Schemas (draft 2020-12) the server validates against, for clients to use too:
/// `checklist-template`, and the default template `default-template-2026` (an instance).
#[utoipa::path(tag = "templates", params(("name" = String, Path, description = "`checklist-template` or `default-template-2026`")), responses((status = 200, content_type = "application/schema+json", body = Object)))]
#[get("/schemas/{name}")]
pub async fn get_schema(name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (body, ct) = match name.as_str() {
        "checklist-template" | "checklist-template.schema.json" => (
            crate::templates::validate::SCHEMA_JSON,
            "application/schema+json",
        ),
        "default-template-2026" => (crate::templates::DEFAULT_2026, "application/json"),
        _ => return Err(ApiError::NotFound),
    };
    Ok(HttpResponse::Ok()
        .content_type(ct)
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(body))
}
