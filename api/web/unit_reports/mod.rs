//! Unit reports on the web (docs/unit-reports.md): Sở Nội vụ's dashboard `/bao-cao-don-vi`
//! (readers; administrators also set the year's due dates there), the unit's own page
//! `/bao-cao` with its upload form, and the download of a sent file. Every page goes through
//! the API's own functions (`obligations::routes::list`, `files::routes::serve`).

pub mod dashboard;
pub mod own;

use crate::obligations::service::Obligation;

/// One obligation as a table cell shows it.
pub struct Cell {
    pub kind: &'static str,
    pub kind_label: &'static str,
    /// `not_submitted`, `on_time`, `late`, or `overdue` (not sent, past due): the chip's class.
    pub chip: &'static str,
    pub chip_label: &'static str,
    pub due: String,
    pub due_overridden: bool,
    /// dd/mm/yyyy of the first submission, when sent.
    pub received: String,
    /// The latest file: its name and download address.
    pub file: Option<(String, String)>,
    pub count: usize,
}

impl Cell {
    pub fn of(o: &Obligation) -> Cell {
        let (chip, chip_label) = if o.overdue {
            ("overdue", "Quá hạn, chưa nộp")
        } else {
            (o.status.as_str(), o.status.label())
        };
        Cell {
            kind: o.kind.as_str(),
            kind_label: o.kind.label(),
            chip,
            chip_label,
            due: crate::time::date_vn(o.due_on),
            due_overridden: o.due_overridden,
            received: o
                .first_submitted_at
                .map(|t| crate::time::date_vn(crate::time::local_date(t)))
                .unwrap_or_default(),
            file: o
                .latest()
                .map(|s| (s.filename.clone(), format!("/bao-cao/tep/{}", s.id))),
            count: o.submissions.len(),
        }
    }
}

/// Download of a sent file, for whoever may read its owner (404 otherwise).
pub async fn download(
    req: actix_web::HttpRequest,
    state: actix_web::web::Data<crate::state::AppState>,
    user: crate::web::WebUser,
    id: actix_web::web::Path<String>,
) -> Result<actix_web::HttpResponse, crate::web::WebError> {
    Ok(crate::files::routes::serve(&state, &req, user.me, &id).await?)
}
