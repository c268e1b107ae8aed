//! `/diem-sang/{id}`: one bright spot with its evaluations; the edit form for its unit (and
//! Sở Nội vụ) while it is being built, and the review form for whoever may evaluate it in a
//! round: `POST /diem-sang/{id}/danh-gia`; its files, and the file form for whoever may edit
//! it: `POST /diem-sang/{id}/tep`.

use actix_multipart::form::MultipartForm;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Deserialize;

use crate::attachments::OwnerKind;
use crate::brightspots::review::{self, ReviewInput};
use crate::brightspots::service::{self, BrightSpotDetail};
use crate::brightspots::status::{ReviewResult, Status};
use crate::db::DbConn;
use crate::domain::{client_id, parse_id, DomainError};
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::attach::{self, FileForm, FileLine};
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

pub struct ReviewLine {
    pub round: String,
    pub who: String,
    pub at: String,
    pub result: String,
    pub result_code: String,
    pub comment: String,
}

#[derive(Template)]
#[template(path = "brightspots_detail.html")]
struct DetailPage {
    layout: Layout,
    d: BrightSpotDetail,
    registered: String,
    reviews: Vec<ReviewLine>,
    results: Vec<(&'static str, &'static str)>,
    /// What the unit may set while building.
    statuses: Vec<(&'static str, &'static str)>,
    /// A fresh id for the review form, so a form sent twice records one review.
    review_id: String,
    files: Vec<FileLine>,
    /// A fresh id for the file form, so a form sent twice attaches one file.
    file_id: String,
}

pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render::scoped_page(&req, &state, &user, "Điểm sáng", &id, build).await
}

fn build(c: &mut DbConn, scope: &Scope, id: &str, layout: Layout) -> Result<DetailPage, WebError> {
    let d = service::detail(c, scope, id)?;
    let reviews = d
        .reviews
        .iter()
        .map(|r| ReviewLine {
            round: r.round_name.clone(),
            who: r.reviewer_name.clone(),
            at: format::datetime(r.review.reviewed_at),
            result: r.result_vi.clone(),
            result_code: r.review.result.clone(),
            comment: r.review.comment.clone(),
        })
        .collect();
    Ok(DetailPage {
        layout,
        registered: format::date(d.spot.registered_on),
        reviews,
        results: ReviewResult::ALL
            .iter()
            .map(|r| (r.code(), r.label_vi()))
            .collect(),
        statuses: [Status::Registered, Status::Building]
            .iter()
            .map(|s| (s.code(), s.label_vi()))
            .collect(),
        review_id: crate::db::new_id(),
        files: d.files.iter().map(FileLine::of).collect(),
        file_id: crate::db::new_id(),
        d,
    })
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    round_id: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    comment: String,
    /// The spot's version the page showed: an edit made meanwhile is 409, not overwritten.
    #[serde(default)]
    version: String,
}

/// `POST /diem-sang/{id}/danh-gia`: an evaluation in a round, through the API's own service.
pub async fn review(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<ReviewForm>,
) -> HttpResponse {
    let id = id.into_inner();
    let Action { user, form } = action;
    let page = format!("/diem-sang/{id}");
    let done: Result<(), WebError> = async {
        let spot = parse_id(&id)?;
        let rid = client_id("/id", Some(form.id.as_str()).filter(|s| !s.is_empty()))?;
        let round_id = parse_id(&form.round_id).map_err(|_| {
            DomainError::invalid(
                "/round_id",
                "required",
                "Choose a round.",
                "Hãy chọn đợt kiểm tra.",
            )
        })?;
        let (me, actor) = (user.me.clone(), user.me.actor());
        let input = ReviewInput {
            round_id,
            result: form.result,
            comment: form.comment,
            version: form.version.trim().parse().ok(),
        };
        state
            .db
            .write(move |c| {
                let scope = Scope::load(c, &me)?;
                review::review(c, &actor, &scope, &spot, &rid, &input)?;
                Ok::<_, DomainError>(())
            })
            .await?;
        Ok(())
    }
    .await;
    match done {
        Ok(()) => flash::redirect(&page, Flash::ok("Đã ghi kết quả đánh giá điểm sáng.")),
        Err(e) if e.needs_sign_in() || e.status_code().as_u16() == 404 => e.error_response(),
        Err(e) => flash::redirect(&page, Flash::err(e.message())),
    }
}

/// `POST /diem-sang/{id}/tep`: a document or photo for the bright spot, through the API's own
/// rule (`brightspots::files`) and the attachments' checks.
pub async fn attach_file(
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
    form: Result<MultipartForm<FileForm>, actix_web::Error>,
) -> HttpResponse {
    let id = id.into_inner();
    let page = format!("/diem-sang/{id}");
    let done = async {
        let spot = parse_id(&id)?;
        let (me, s2) = (user.me.clone(), spot.clone());
        let allowed = |_| async {
            state
                .db
                .read(move |c| {
                    let scope = Scope::load(c, &me)?;
                    crate::brightspots::files::writable(c, &scope, &s2)
                })
                .await?;
            Ok(())
        };
        let owner = OwnerKind::BrightSpot;
        let sent = attach::receive(&state, &user, form, owner, allowed).await?;
        let me = user.me.clone();
        let (f, _) =
            crate::brightspots::files::store(&state, me, (spot, sent.id), sent.name, sent.file)
                .await?;
        Ok::<_, WebError>(f)
    }
    .await;
    attach::finish(&page, done)
}
