//! `/quan-tri/mau-phieu/nhap`: importing a checklist JSON, from a file or pasted. A code no
//! template has yet makes a new template (as `POST /api/v1/templates`); a known code makes a
//! new draft of that template (as `PUT /api/v1/templates/{id}/draft`). A document the API
//! would refuse with 422 is shown back with every fault by its JSON pointer, the text kept in
//! the box so it can be fixed there.

use actix_multipart::form::{bytes::Bytes, text::Text, MultipartForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde_json::Value;

use super::{faults_of, Fault};
use crate::domain::DomainError;
use crate::state::AppState;
use crate::templates::{service, store};
use crate::web::flash::{self, Flash};
use crate::web::render::{self, Layout};
use crate::web::{csrf, WebError, WebUser};

#[derive(Template)]
#[template(path = "admin_templates_import.html")]
struct ImportPage {
    layout: Layout,
    text: String,
    faults: Vec<Fault>,
}

fn page(
    req: &HttpRequest,
    user: &WebUser,
    status: StatusCode,
    text: String,
    faults: Vec<Fault>,
) -> HttpResponse {
    let layout = Layout::new(req, user, "Nhập mẫu phiếu từ JSON");
    let p = ImportPage {
        layout,
        text,
        faults,
    };
    if status == StatusCode::OK {
        render::page(req, &p)
    } else {
        render::with_status(status, &p)
    }
}

fn one(message: impl Into<String>) -> Vec<Fault> {
    vec![Fault {
        pointer: String::new(),
        message: message.into(),
    }]
}

pub async fn form(req: HttpRequest, user: WebUser) -> HttpResponse {
    page(&req, &user, StatusCode::OK, String::new(), Vec::new())
}

/// The import form: a file (`tep`) or pasted text (`noi_dung`); the file wins when both.
#[derive(MultipartForm)]
pub struct ImportForm {
    #[multipart(rename = "_csrf")]
    csrf: Option<Text<String>>,
    #[multipart(limit = "2MiB")]
    tep: Option<Bytes>,
    #[multipart(limit = "2MiB")]
    noi_dung: Option<Text<String>>,
}

/// The document's text, or what is wrong with the upload.
fn text_of(form: ImportForm) -> Result<String, Vec<Fault>> {
    let file = form.tep.filter(|f| !f.data.is_empty());
    let text = match file {
        Some(f) => String::from_utf8(f.data.to_vec())
            .map_err(|_| one("Tệp không phải văn bản UTF-8. Hãy lưu tệp JSON ở dạng UTF-8."))?,
        None => form.noi_dung.map(Text::into_inner).unwrap_or_default(),
    };
    let text = text.trim_start_matches('\u{feff}').to_owned();
    if text.trim().is_empty() {
        return Err(one(
            "Hãy chọn một tệp JSON hoặc dán nội dung mẫu phiếu vào ô bên dưới.",
        ));
    }
    Ok(text)
}

enum Outcome {
    New,
    Draft,
}

/// Creates the template or its new draft, as the API would.
fn save(
    c: &mut crate::db::DbConn,
    actor: &crate::audit::Actor,
    doc: &Value,
) -> Result<(String, String, Outcome), DomainError> {
    let known = match doc.get("code").and_then(Value::as_str) {
        Some(code) => store::find_by_code(c, code)?,
        None => None,
    };
    match known {
        Some(f) => {
            service::save_draft(c, actor, &f.id, doc)?;
            Ok((f.id, f.code, Outcome::Draft))
        }
        None => {
            let (f, _) = service::create(c, actor, doc)?;
            Ok((f.id, f.code, Outcome::New))
        }
    }
}

pub async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    form: Result<MultipartForm<ImportForm>, actix_web::Error>,
) -> Result<HttpResponse, WebError> {
    let Ok(form) = form else {
        let why = "Không đọc được biểu mẫu gửi lên. Tệp mẫu phiếu tối đa 2 MB.";
        return Ok(page(
            &req,
            &user,
            StatusCode::BAD_REQUEST,
            String::new(),
            one(why),
        ));
    };
    let form = form.into_inner();
    let token = form.csrf.as_ref().map(|t| t.as_str()).unwrap_or_default();
    csrf::check(&user, token)?;
    let text = match text_of(form) {
        Ok(t) => t,
        Err(f) => return Ok(page(&req, &user, StatusCode::BAD_REQUEST, String::new(), f)),
    };
    let doc: Value = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            let why = format!(
                "Nội dung không phải JSON hợp lệ (dòng {}, cột {}).",
                e.line(),
                e.column()
            );
            return Ok(page(&req, &user, StatusCode::BAD_REQUEST, text, one(why)));
        }
    };
    let actor = user.me.actor();
    let saved = state
        .db
        .write(move |c| save(c, &actor, &doc))
        .await
        .map_err(WebError::from);
    match saved {
        Ok((id, code, outcome)) => {
            let message = match outcome {
                Outcome::New => format!(
                    "Đã nhập mẫu phiếu mới mã «{code}» thành bản nháp. Xem lại các mục rồi ban hành."
                ),
                Outcome::Draft => format!(
                    "Đã lưu bản nháp mới của mẫu phiếu mã «{code}». Xem lại các mục rồi ban hành."
                ),
            };
            Ok(flash::redirect(
                &format!("/quan-tri/mau-phieu/{id}"),
                Flash::ok(message),
            ))
        }
        Err(e) if e.needs_sign_in() => Ok(e.error_response()),
        Err(e) => Ok(page(&req, &user, e.status_code(), text, faults_of(&e))),
    }
}
