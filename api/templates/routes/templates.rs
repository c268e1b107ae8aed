//! Template endpoints. Published versions are readable by everyone signed in; drafts and all
//! changes are for administrators.

use actix_web::{get, post, put, web, HttpResponse};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::domain::{parse_id, DomainError};
use crate::error::{ApiError, Problem};
use crate::role::Role;
use crate::state::AppState;
use crate::templates::service;
use crate::templates::store::{self, VersionRow, VersionSummary};

#[derive(Serialize, ToSchema)]
pub struct TemplateFamily {
    pub id: String,
    #[schema(example = "dvcq-2026")]
    pub code: String,
    pub title: String,
    /// Published versions in order, then the draft (administrators only).
    pub versions: Vec<VersionSummary>,
}

#[derive(Serialize, ToSchema)]
pub struct TemplateVersion {
    #[serde(flatten)]
    pub summary: VersionSummary,
    pub template_id: String,
    /// The checklist itself (see `/api/v1/schemas/checklist-template`).
    #[schema(value_type = Object)]
    pub content: Value,
}

fn full(v: &VersionRow) -> Result<TemplateVersion, DomainError> {
    Ok(TemplateVersion {
        summary: VersionSummary::from(v),
        template_id: v.template_id.clone(),
        content: serde_json::from_str(&v.content)
            .map_err(|e| DomainError::Db(crate::db::DbError::Corrupt(e.to_string())))?,
    })
}

/// A family with its versions (drafts only when `drafts`); also the admin pages' source.
pub fn family(
    c: &mut crate::db::DbConn,
    id: &str,
    drafts: bool,
) -> Result<TemplateFamily, DomainError> {
    let t = store::find(c, id)?.ok_or(DomainError::NotFound)?;
    let versions = store::versions(c, id)?
        .iter()
        .filter(|v| drafts || v.status == "published")
        .map(VersionSummary::from)
        .collect();
    Ok(TemplateFamily {
        id: t.id,
        code: t.code,
        title: t.title,
        versions,
    })
}

/// Checklist templates with their versions.
#[utoipa::path(tag = "templates", security(("bearer" = [])), responses((status = 200, body = Vec<TemplateFamily>)))]
#[get("/templates")]
pub async fn list_templates(
    state: web::Data<AppState>,
    me: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let drafts = me.role == Role::Admin;
    let list = state
        .db
        .read(move |c| {
            let rows = store::list(c)?;
            let families = rows
                .iter()
                .map(|t| family(c, &t.id, drafts))
                .collect::<Result<Vec<_>, _>>()?;
            // Non-administrators see only templates that have been published.
            Ok::<_, DomainError>(
                families
                    .into_iter()
                    .filter(|f| drafts || !f.versions.is_empty())
                    .collect::<Vec<_>>(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One template family.
#[utoipa::path(tag = "templates", security(("bearer" = [])), params(("id" = String, Path, description = "Template id")), responses((status = 200, body = TemplateFamily)))]
#[get("/templates/{id}")]
pub async fn get_template(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let drafts = me.role == Role::Admin;
    let f = state.db.read(move |c| family(c, &id, drafts)).await?;
    if f.versions.is_empty() && !drafts {
        return Err(ApiError::NotFound);
    }
    Ok(HttpResponse::Ok().json(f))
}

/// A version the caller may read: drafts only for administrators; not found otherwise.
pub fn readable_version(
    c: &mut crate::db::DbConn,
    id: &str,
    admin: bool,
) -> Result<VersionRow, DomainError> {
    store::find_version(c, id)?
        .filter(|v| admin || v.status == "published")
        .ok_or(DomainError::NotFound)
}

/// One version with its content. Drafts only for administrators.
#[utoipa::path(tag = "templates", security(("bearer" = [])), params(("id" = String, Path, description = "Template version id")), responses((status = 200, body = TemplateVersion)))]
#[get("/template-versions/{id}")]
pub async fn get_template_version(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let admin = me.role == Role::Admin;
    let v = state
        .db
        .read(move |c| full(&readable_version(c, &id, admin)?))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", format!("\"{}-{}\"", v.summary.id, v.summary.status)))
        .json(v))
}

/// Create a template from a checklist document (administrators); it starts as a draft.
/// An invalid document is refused with one entry per fault, each with its JSON pointer.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    request_body(content = Object, description = "A checklist template (schema: /api/v1/schemas/checklist-template)"),
    responses(
        (status = 201, body = TemplateVersion),
        (status = 422, description = "Invalid template; `errors` lists each fault with its pointer", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/templates")]
pub async fn create_template(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let actor = me.actor();
    let doc = body.into_inner();
    let v = state
        .db
        .write(move |c| service::create(c, &actor, &doc).and_then(|(_, d)| full(&d)))
        .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Save the draft of a template (administrators): creates it or replaces its content.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Template id")),
    request_body(content = Object, description = "A checklist template with the family's code"),
    responses((status = 200, body = TemplateVersion))
)]
#[put("/templates/{id}/draft")]
pub async fn save_draft(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let actor = me.actor();
    let doc = body.into_inner();
    let v = state
        .db
        .write(move |c| service::save_draft(c, &actor, &id, &doc).and_then(|d| full(&d)))
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Publish the draft as the next version (administrators). Published versions never change.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Template id")),
    responses(
        (status = 201, body = TemplateVersion),
        (status = 409, description = "No draft (`no_draft`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/templates/{id}/publish")]
pub async fn publish_template(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let id = parse_id(&id)?;
    let actor = me.actor();
    let v = state
        .db
        .write(move |c| service::publish(c, &actor, &id).and_then(|d| full(&d)))
        .await?;
    Ok(HttpResponse::Created().json(v))
}
