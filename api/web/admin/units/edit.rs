//! A unit's form: `POST /quan-tri/don-vi` adds one, `/quan-tri/don-vi/{id}` shows and saves
//! one. The same service as `POST /api/v1/units` and `PATCH /api/v1/units/{id}`: a taken
//! code, an unknown parent or a stale version is refused with the API's words.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use super::list::{kind_options, KindOption};
use super::{fields_of, message, UnitForm};
use crate::domain::{parse_id, DomainError};
use crate::state::AppState;
use crate::units::{service, store};
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::render::{self, Layout};
use crate::web::{format, WebError, WebUser};

#[derive(Template)]
#[template(path = "admin_units_edit.html")]
struct EditPage {
    layout: Layout,
    id: String,
    code: String,
    name: String,
    kind: String,
    parent_code: String,
    address: String,
    latitude: String,
    longitude: String,
    version: i64,
    updated: String,
    kinds: Vec<KindOption>,
}

impl EditPage {
    fn sel_kind(&self, code: &str) -> bool {
        self.kind == code
    }
}

/// A coordinate as the form shows it: with a decimal comma.
fn coord(v: Option<f64>) -> String {
    v.map(|v| v.to_string().replace('.', ","))
        .unwrap_or_default()
}

pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    user.me.require_admin()?;
    let id = parse_id(&id)?;
    let (row, parent_code) = state
        .db
        .read(move |c| -> Result<_, WebError> {
            let row = store::find(c, &id)?.ok_or(DomainError::NotFound)?;
            let parent = match &row.parent_id {
                Some(p) => store::find(c, p)?.map(|p| p.code),
                None => None,
            };
            Ok((row, parent.unwrap_or_default()))
        })
        .await?;
    let page = EditPage {
        layout: Layout::new(&req, &user, format!("Đơn vị: {}", row.name)),
        code: row.code,
        name: row.name,
        kind: row.kind,
        parent_code,
        address: row.address.unwrap_or_default(),
        latitude: coord(row.latitude),
        longitude: coord(row.longitude),
        version: row.version,
        updated: format::datetime(row.updated_at),
        id: row.id,
        kinds: kind_options(),
    };
    Ok(render::page(&req, &page))
}

pub async fn create(state: web::Data<AppState>, action: Action<UnitForm>) -> HttpResponse {
    let Action { user, form } = action;
    if let Err(e) = user.me.require_admin() {
        return WebError::from(e).error_response();
    }
    let actor = user.me.actor();
    let made = state
        .db
        .write(move |c| -> Result<_, WebError> {
            let (fields, parent) = fields_of(c, &form)?;
            Ok(service::create(c, &actor, &fields, parent.as_deref())?)
        })
        .await;
    match made {
        Ok(row) => flash::redirect(
            &format!("/quan-tri/don-vi/{}", row.id),
            Flash::ok(format!("Đã thêm đơn vị {} ({}).", row.name, row.code)),
        ),
        Err(e) if e.needs_sign_in() => e.error_response(),
        Err(e) => flash::redirect(
            "/quan-tri/don-vi",
            Flash::err(message("Chưa thêm được đơn vị.", &e)),
        ),
    }
}

pub async fn save(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<UnitForm>,
) -> HttpResponse {
    let Action { user, form } = action;
    if let Err(e) = user.me.require_admin() {
        return WebError::from(e).error_response();
    }
    let Ok(id) = parse_id(&id) else {
        return WebError::from(DomainError::NotFound).error_response();
    };
    let back = format!("/quan-tri/don-vi/{id}");
    let actor = user.me.actor();
    let saved = state
        .db
        .write(move |c| -> Result<_, WebError> {
            store::find(c, &id)?.ok_or(DomainError::NotFound)?;
            let (fields, parent) = fields_of(c, &form)?;
            Ok(service::update(
                c,
                &actor,
                &id,
                &fields,
                parent.as_deref(),
                form.version,
            )?)
        })
        .await;
    match saved {
        Ok(row) => flash::redirect(
            &back,
            Flash::ok(format!("Đã lưu đơn vị {} ({}).", row.name, row.code)),
        ),
        Err(WebError::Api(crate::error::ApiError::NotFound)) => {
            WebError::from(DomainError::NotFound).error_response()
        }
        Err(e) if e.needs_sign_in() => e.error_response(),
        Err(e) => flash::redirect(&back, Flash::err(message("Chưa lưu được đơn vị.", &e))),
    }
}
