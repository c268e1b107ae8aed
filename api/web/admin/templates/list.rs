//! `/quan-tri/mau-phieu`: every checklist template with its versions, drafts included, as
//! `GET /api/v1/templates` lists them for an administrator.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::VersionLine;
use crate::domain::DomainError;
use crate::state::AppState;
use crate::templates::routes::templates::family;
use crate::templates::store;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

pub struct FamilyLine {
    pub id: String,
    pub code: String,
    pub title: String,
    pub versions: Vec<VersionLine>,
}

#[derive(Template)]
#[template(path = "admin_templates.html")]
struct TemplatesPage {
    layout: Layout,
    families: Vec<FamilyLine>,
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
) -> Result<HttpResponse, WebError> {
    let families = state
        .db
        .read(move |c| {
            let mut out = Vec::new();
            for t in store::list(c)? {
                let f = family(c, &t.id, true)?;
                out.push(FamilyLine {
                    versions: f.versions.iter().map(VersionLine::from).collect(),
                    id: f.id,
                    code: f.code,
                    title: f.title,
                });
            }
            Ok::<_, DomainError>(out)
        })
        .await?;
    let layout = Layout::new(&req, &user, "Mẫu phiếu kiểm tra");
    Ok(render::page(&req, &TemplatesPage { layout, families }))
}
