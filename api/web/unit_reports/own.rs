//! `/bao-cao`: a unit's representative sees their unit's obligations for the year and sends
//! each document (multipart form with its CSRF token), through the API's own receive and
//! submit functions: the same checks (DOCX or PDF by the bytes, size limit).

use actix_multipart::form::{tempfile::TempFile, text::Text, MultipartForm};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Deserialize;

use super::Cell;
use crate::attachments::service as files;
use crate::attachments::OwnerKind;
use crate::obligations::kind::Kind;
use crate::obligations::routes::{self, ListQuery};
use crate::obligations::service;
use crate::state::AppState;
use crate::web::csrf;
use crate::web::flash::{self, Flash};
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

#[derive(Debug, Default, Deserialize)]
pub struct Query {
    #[serde(default)]
    pub nam: String,
}

#[derive(Template)]
#[template(path = "unit_reports_own.html")]
struct OwnPage {
    layout: Layout,
    year: i32,
    unit_name: String,
    cells: Vec<Cell>,
    max_mib: u64,
    /// The submission's id, made with the form: the same form sent twice (a double click, a
    /// browser's resend) is one submission, not two.
    submission_id: String,
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    q: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let query = ListQuery {
        year: q.nam.trim().parse().ok(),
        ..ListQuery::default()
    };
    let list = routes::list(&state, user.me.clone(), query).await?;
    let page = OwnPage {
        layout: Layout::new(&req, &user, "Báo cáo của đơn vị"),
        year: list.year,
        unit_name: list
            .items
            .first()
            .map(|o| o.unit_name.clone())
            .unwrap_or_default(),
        cells: list.items.iter().map(Cell::of).collect(),
        max_mib: state.settings.attachment_max_bytes >> 20,
        submission_id: crate::db::new_id(),
    };
    Ok(render::page(&req, &page))
}

/// The upload form. The file's hard cap here is the multipart reader's; the configured limit
/// is applied after, as the API does.
#[derive(MultipartForm)]
pub struct UploadForm {
    #[multipart(rename = "_csrf")]
    csrf: Option<Text<String>>,
    nam: Option<Text<i32>>,
    loai: Option<Text<String>>,
    ma: Option<Text<String>>,
    #[multipart(limit = "50MiB")]
    tep: Option<TempFile>,
}

pub async fn upload(
    state: web::Data<AppState>,
    user: WebUser,
    form: Result<MultipartForm<UploadForm>, actix_web::Error>,
) -> Result<HttpResponse, WebError> {
    let Ok(form) = form else {
        let why = "Không đọc được biểu mẫu gửi lên (tệp quá lớn hoặc bị ngắt giữa chừng).";
        return Ok(flash::redirect("/bao-cao", Flash::err(why)));
    };
    let form = form.into_inner();
    let token = form.csrf.as_ref().map(|t| t.as_str()).unwrap_or_default();
    csrf::check(&user, token)?;
    let year = form
        .nam
        .map_or_else(super::dashboard::this_year, Text::into_inner);
    let back = format!("/bao-cao?nam={year}");
    let kind = form.loai.as_ref().and_then(|k| Kind::parse(k.as_str()));
    let (Some(kind), Some(file)) = (kind, form.tep) else {
        return Ok(flash::redirect(
            &back,
            Flash::err("Hãy chọn loại báo cáo và tệp cần nộp."),
        ));
    };
    let done = async {
        service::check_year(year, crate::time::today_local())?;
        let name = file.file_name.clone().unwrap_or_default();
        let path = file.file.into_temp_path();
        let limit = state.settings.attachment_max_bytes;
        let got = files::receive_file(&state.media, path, limit, OwnerKind::UnitReport)
            .await
            .map_err(crate::error::ApiError::from)?;
        let ma = form.ma.as_ref().map(|m| m.as_str().trim());
        let id = crate::domain::client_id("/ma", ma.filter(|m| !m.is_empty()))?;
        let (o, _) = routes::submit(&state, user.me.clone(), year, kind, id, name, got).await?;
        Ok::<_, WebError>(format!(
            "Đã nộp {} ({}).",
            o.kind_label,
            o.status_label.to_lowercase()
        ))
    }
    .await;
    Ok(match done {
        Ok(said) => flash::redirect(&back, Flash::ok(said)),
        Err(e) if e.needs_sign_in() => e.error_response(),
        Err(e) => flash::redirect(&back, Flash::err(e.message())),
    })
}
