//! `/quan-tri/mau-phieu/{id}`: one template's versions, and publishing its draft as the next
//! numbered version (`templates::service::publish`, as `POST /api/v1/templates/{id}/publish`).
//! A published version never changes; rounds pin one.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Deserialize;

use super::{faults_line, VersionLine};
use crate::domain::{parse_id, DomainError};
use crate::state::AppState;
use crate::templates::routes::templates::family as load_family;
use crate::templates::{service, store};
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

#[derive(Template)]
#[template(path = "admin_templates_family.html")]
struct FamilyPage {
    layout: Layout,
    id: String,
    code: String,
    title: String,
    versions: Vec<VersionLine>,
    /// The number the draft would get if published now.
    next_number: i32,
}

impl FamilyPage {
    fn has_draft(&self) -> bool {
        self.versions.iter().any(VersionLine::is_draft)
    }
}

pub async fn family(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id)?;
    let f = state.db.read(move |c| load_family(c, &id, true)).await?;
    let next_number = f
        .versions
        .iter()
        .filter_map(|v| v.number)
        .max()
        .unwrap_or(0)
        + 1;
    let layout = Layout::new(&req, &user, format!("Mẫu phiếu: {}", f.title));
    let page = FamilyPage {
        layout,
        versions: f.versions.iter().map(VersionLine::from).collect(),
        id: f.id,
        code: f.code,
        title: f.title,
        next_number,
    };
    Ok(render::page(&req, &page))
}

/// A form with nothing but its token.
#[derive(Deserialize)]
pub struct NoFields {}

pub async fn publish(
    state: web::Data<AppState>,
    action: Action<NoFields>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id)?;
    let back = format!("/quan-tri/mau-phieu/{id}");
    let actor = action.user.me.actor();
    let done = state
        .db
        .write(move |c| {
            let v = service::publish(c, &actor, &id)?;
            let t = store::find(c, &id)?.ok_or(DomainError::NotFound)?;
            Ok::<_, DomainError>((v, t))
        })
        .await
        .map_err(WebError::from);
    match done {
        Ok((v, t)) => Ok(flash::redirect(
            &back,
            Flash::ok(format!(
                "Đã ban hành phiên bản {} của mẫu phiếu «{}». Phiên bản này không sửa được nữa; \
                 các đợt kiểm tra mới có thể dùng nó.",
                v.number.unwrap_or(0),
                t.title
            )),
        )),
        Err(e) if e.needs_sign_in() => Ok(e.error_response()),
        Err(e) => Ok(flash::redirect(&back, Flash::err(faults_line(&e)))),
    }
}
