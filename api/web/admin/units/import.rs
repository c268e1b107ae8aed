//! Importing units from a CSV file. `POST /quan-tri/don-vi/nhap` takes the upload: "Xem
//! trước" runs the import service in a rehearsal (everything is done, then rolled back, as
//! `POST /api/v1/units/import?dry_run=true` does) and shows every fault by line, or what
//! would be added and changed; "Nhập ngay" imports at once. The preview carries the file's
//! text in a hidden field, so its button imports exactly what was previewed
//! (`POST /quan-tri/don-vi/nhap-xac-nhan`) without choosing the file again.

use actix_multipart::form::{bytes::Bytes, text::Text, MultipartForm};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Deserialize;

use super::{field_vi, kind_vi};
use crate::audit::Actor;
use crate::domain::DomainError;
use crate::error::FieldError;
use crate::state::AppState;
use crate::units::csv_import::{self, CsvUnit};
use crate::units::service::{self, ImportReport, RowOutcome};
use crate::web::csrf::{self, Action};
use crate::web::flash::{self, Flash};
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

/// How many planned rows the preview lists; the counts always cover the whole file.
const SHOWN_ROWS: usize = 500;

#[derive(MultipartForm)]
pub struct Upload {
    /// Optional here so that a form without it is refused as one (403), not as unreadable.
    _csrf: Option<Text<String>>,
    #[multipart(limit = "2MB")]
    tep: Option<Bytes>,
    #[multipart(rename = "che-do")]
    mode: Option<Text<String>>,
}

#[derive(Deserialize)]
pub struct Confirm {
    #[serde(rename = "noi-dung", default)]
    text: String,
}

/// One fault, by line and column.
pub struct FaultLine {
    pub place: String,
    pub message: String,
}

/// One row the import would add or change.
pub struct PlanLine {
    pub line: usize,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub outcome: &'static str,
    pub is_new: bool,
}

#[derive(Template)]
#[template(path = "admin_units_import.html")]
struct PreviewPage {
    layout: Layout,
    file_name: String,
    faults: Vec<FaultLine>,
    report: ImportReport,
    rows: Vec<PlanLine>,
    hidden_rows: usize,
    text: String,
}

impl PreviewPage {
    fn changes(&self) -> usize {
        self.report.created + self.report.updated
    }
}

/// Where a fault is: `/lines/3/kind` is "Dòng 3 · Loại", `/lines` the whole file.
fn place(pointer: &str) -> String {
    let mut parts = pointer.trim_start_matches('/').split('/').skip(1);
    match (parts.next(), parts.next()) {
        (Some("1"), Some(col)) => format!("Dòng 1 (tiêu đề) · cột {}", field_vi(col)),
        (Some(line), Some(col)) => format!("Dòng {line} · {}", field_vi(col)),
        (Some(line), None) => format!("Dòng {line}"),
        _ => "Cả tệp".into(),
    }
}

fn fault_lines(faults: &[FieldError]) -> Vec<FaultLine> {
    faults
        .iter()
        .map(|f| FaultLine {
            place: place(&f.pointer),
            message: f.message.vi.clone(),
        })
        .collect()
}

fn plan_lines(rows: &[CsvUnit], plan: &[RowOutcome]) -> Vec<PlanLine> {
    rows.iter()
        .zip(plan)
        .filter(|(_, o)| **o != RowOutcome::Unchanged)
        .map(|(r, o)| PlanLine {
            line: r.line,
            code: r.fields.code.clone(),
            name: r.fields.name.clone(),
            kind: kind_vi(r.fields.kind.as_str()),
            outcome: if *o == RowOutcome::Create {
                "Thêm mới"
            } else {
                "Cập nhật"
            },
            is_new: *o == RowOutcome::Create,
        })
        .collect()
}

/// Checks and rehearses the file: its faults, or the counts and rows it would change.
async fn preview(
    state: &AppState,
    actor: Actor,
    bytes: &[u8],
) -> Result<(ImportReport, Vec<PlanLine>), Result<Vec<FieldError>, WebError>> {
    let rows = csv_import::parse(bytes).map_err(Ok)?;
    let outcome = state
        .db
        .rehearse(move |c| -> Result<_, DomainError> {
            let plan = service::plan(c, &rows)?;
            let report = service::import(c, &actor, &rows)?;
            Ok((report, plan_lines(&rows, &plan)))
        })
        .await;
    match outcome {
        Ok((mut report, lines)) => {
            report.dry_run = true;
            Ok((report, lines))
        }
        Err(DomainError::Invalid(faults)) => Err(Ok(faults)),
        Err(e) => Err(Err(e.into())),
    }
}

/// Imports the file for real: the counts, or its faults (nothing written).
async fn commit(
    state: &AppState,
    actor: Actor,
    bytes: &[u8],
) -> Result<ImportReport, Result<Vec<FieldError>, WebError>> {
    let rows = csv_import::parse(bytes).map_err(Ok)?;
    match state
        .db
        .write(move |c| service::import(c, &actor, &rows))
        .await
    {
        Ok(r) => Ok(r),
        Err(DomainError::Invalid(faults)) => Err(Ok(faults)),
        Err(e) => Err(Err(e.into())),
    }
}

fn done(r: &ImportReport) -> HttpResponse {
    flash::redirect(
        "/quan-tri/don-vi",
        Flash::ok(format!(
            "Đã nhập tệp: thêm mới {} đơn vị, cập nhật {}, giữ nguyên {}.",
            r.created, r.updated, r.unchanged
        )),
    )
}

/// The preview page, or the faults page (422) when the file cannot be imported.
fn page(
    req: &HttpRequest,
    user: &WebUser,
    file_name: String,
    bytes: &[u8],
    result: Result<(ImportReport, Vec<PlanLine>), Vec<FieldError>>,
) -> HttpResponse {
    let layout = Layout::new(req, user, "Xem trước việc nhập đơn vị");
    let (status, faults, report, mut rows) = match result {
        Ok((report, rows)) => (StatusCode::OK, Vec::new(), report, rows),
        Err(f) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            fault_lines(&f),
            ImportReport::default(),
            Vec::new(),
        ),
    };
    let hidden_rows = rows.len().saturating_sub(SHOWN_ROWS);
    rows.truncate(SHOWN_ROWS);
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    let p = PreviewPage {
        layout,
        file_name,
        faults,
        report,
        rows,
        hidden_rows,
        text: text.into_owned(),
    };
    let mut res = render::with_status(status, &p);
    if flash::present(req) {
        let _ = res.add_removal_cookie(&flash::removal_cookie());
    }
    res
}

/// The upload: previewed, or imported at once.
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, WebError> {
    // The caller and their role first: a refused caller learns nothing about the form.
    let user = WebUser::extract(&req).await?;
    user.me.require_admin()?;
    let mut payload = payload.into_inner();
    let Ok(form) = MultipartForm::<Upload>::from_request(&req, &mut payload).await else {
        return Ok(flash::redirect(
            "/quan-tri/don-vi",
            Flash::err("Không đọc được tệp tải lên (tối đa 2 MB). Hãy chọn lại tệp CSV."),
        ));
    };
    let form = form.into_inner();
    csrf::check(&user, form._csrf.as_ref().map_or("", |t| t.as_str()))?;
    let Some(file) = form.tep.filter(|f| !f.data.is_empty()) else {
        return Ok(flash::redirect(
            "/quan-tri/don-vi",
            Flash::err("Chưa chọn tệp CSV, hoặc tệp trống."),
        ));
    };
    let name = file.file_name.clone().unwrap_or_default();
    let actor = user.me.actor();
    if form.mode.as_ref().map(|m| m.as_str()) == Some("nhap") {
        return match commit(&state, actor, &file.data).await {
            Ok(r) => Ok(done(&r)),
            Err(Ok(faults)) => Ok(page(&req, &user, name, &file.data, Err(faults))),
            Err(Err(e)) => Err(e),
        };
    }
    match preview(&state, actor, &file.data).await {
        Ok(p) => Ok(page(&req, &user, name, &file.data, Ok(p))),
        Err(Ok(faults)) => Ok(page(&req, &user, name, &file.data, Err(faults))),
        Err(Err(e)) => Err(e),
    }
}

/// The preview's button: imports the text it carried.
pub async fn confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    action: Action<Confirm>,
) -> Result<HttpResponse, WebError> {
    let Action { user, form } = action;
    user.me.require_admin()?;
    if form.text.trim().is_empty() {
        return Ok(flash::redirect(
            "/quan-tri/don-vi",
            Flash::err("Không có nội dung để nhập. Hãy chọn lại tệp CSV."),
        ));
    }
    let bytes = form.text.into_bytes();
    match commit(&state, user.me.actor(), &bytes).await {
        Ok(r) => Ok(done(&r)),
        Err(Ok(faults)) => Ok(page(&req, &user, String::new(), &bytes, Err(faults))),
        Err(Err(e)) if e.needs_sign_in() => Ok(e.error_response()),
        Err(Err(e)) => Err(e),
    }
}
