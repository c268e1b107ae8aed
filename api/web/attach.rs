//! The file forms of the pages that take evidence (a remedy, a self-assessment item, a bright
//! spot; docs/attachments.md): one multipart form shape, read here with its CSRF token, the
//! owner's write checked before the file is kept, and the file then received by the same
//! `attachments` functions as the API's uploads, and recorded by the owner's own `store`.
//! Downloads are `/tep/{id}`, the API's own `files::routes::serve`.

use std::future::Future;

use actix_multipart::form::{tempfile::TempFile, text::Text, MultipartForm};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};

use crate::attachments::listing::FileView;
use crate::attachments::service::{self as files, Received};
use crate::attachments::OwnerKind;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::csrf;
use crate::web::flash::{self, Flash};
use crate::web::{WebError, WebUser};

/// The form: its CSRF token, the attachment's id (made with the page, so a form sent twice
/// records one file), an item id where the owner has items, and the file. The file's hard
/// cap here is the multipart reader's; the configured limit is applied after, as the API does.
#[derive(MultipartForm)]
pub struct FileForm {
    #[multipart(rename = "_csrf")]
    csrf: Option<Text<String>>,
    id: Option<Text<String>>,
    muc: Option<Text<String>>,
    #[multipart(limit = "50MiB")]
    tep: Option<TempFile>,
}

/// A file form read and its file kept: the attachment id, the item (if any), the name.
pub struct Sent {
    pub id: String,
    pub item: String,
    pub name: String,
    pub file: Received,
}

/// Reads the form (CSRF checked), runs `allowed` (the owner's write rule, so nothing is kept
/// for a caller who may not write), then receives the file as `owner` takes it.
pub async fn receive<F, Fut>(
    state: &AppState,
    user: &WebUser,
    form: Result<MultipartForm<FileForm>, actix_web::Error>,
    owner: OwnerKind,
    allowed: F,
) -> Result<Sent, WebError>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Result<(), WebError>>,
{
    let Ok(form) = form else {
        return Err(no_file(
            "The form could not be read (file too large, or cut off).",
            "Không đọc được biểu mẫu gửi lên (tệp quá lớn hoặc bị ngắt giữa chừng).",
        ));
    };
    let form = form.into_inner();
    let token = form.csrf.as_ref().map(|t| t.as_str()).unwrap_or_default();
    csrf::check(user, token)?;
    let item = form.muc.map(Text::into_inner).unwrap_or_default();
    let Some(file) = form.tep else {
        return Err(no_file("Choose a file.", "Hãy chọn tệp cần đính kèm."));
    };
    allowed(item.clone()).await?;
    let id = form
        .id
        .map(Text::into_inner)
        .filter(|s| crate::domain::parse_id(s).is_ok())
        .unwrap_or_else(crate::db::new_id);
    let name = file.file_name.clone().unwrap_or_default();
    let limit = state.settings.attachment_max_bytes;
    let got = files::receive_file(&state.media, file.file.into_temp_path(), limit, owner)
        .await
        .map_err(ApiError::from)?;
    Ok(Sent {
        id,
        item,
        name,
        file: got,
    })
}

fn no_file(en: &str, vi: &str) -> WebError {
    crate::domain::DomainError::invalid("/tep", "file_required", en, vi).into()
}

/// Back to the page, saying what happened; a page the caller cannot read answers its 404, and
/// a form without this session's token its 403, as every other form does.
pub fn finish(page: &str, done: Result<FileView, WebError>) -> HttpResponse {
    match done {
        Ok(f) => flash::redirect(
            page,
            Flash::ok(format!("Đã đính kèm tệp «{}».", f.filename)),
        ),
        Err(e) if refused_outright(&e) => e.error_response(),
        Err(e) => flash::redirect(page, Flash::err(e.message())),
    }
}

fn refused_outright(e: &WebError) -> bool {
    e.needs_sign_in()
        || matches!(e, WebError::BadToken | WebError::CrossSite)
        || e.status_code().as_u16() == 404
}

/// One file as the pages list it: its name, size and download address.
pub struct FileLine {
    pub name: String,
    pub size: String,
    pub href: String,
}

impl FileLine {
    pub fn of(f: &FileView) -> FileLine {
        let kib = u64::try_from(f.size_bytes)
            .unwrap_or(0)
            .div_ceil(1024)
            .max(1);
        FileLine {
            name: f.filename.clone(),
            size: if kib >= 1024 {
                format!("{:.1} MB", kib as f64 / 1024.0)
            } else {
                format!("{kib} KB")
            },
            href: format!("/tep/{}", f.id),
        }
    }
}

/// `GET /tep/{id}`: a file, for whoever may read its owner (404 otherwise).
pub async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    Ok(crate::files::routes::serve(&state, &req, user.me, &id).await?)
}
