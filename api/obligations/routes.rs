//! HTTP edge of unit reports: the obligations list (scoped), a unit's upload, Sở Nội vụ's due
//! dates and reminders.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dues::{self, DueSettings, SetDueDates, SetOverride};
use super::kind::Kind;
use super::service::{self, Counts, Filter, Obligation};
use crate::attachments::service::{self as files, Recorded};
use crate::attachments::OwnerKind;
use crate::auth::CurrentUser;
use crate::domain::{client_id, parse_id, DomainError};
use crate::error::{ApiError, Problem};
use crate::role::Role;
use crate::scope::Scope;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_unit_reports)
        .service(get_due_dates)
        .service(put_due_dates)
        .service(put_unit_due_date)
        .service(send_unit_report_reminders)
        .service(submit_unit_report);
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The year (default: this year, local).
    pub year: Option<i32>,
    /// `programme`, `half_year`, `year` or `dan_van_article`.
    pub kind: Option<String>,
    /// `not_submitted`, `on_time`, `late`, or `overdue` (not sent, past due).
    pub status: Option<String>,
    /// `department`, `commune`, `ward` or `other`.
    pub unit_kind: Option<String>,
    pub unit_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = UnitReportList)]
pub struct ObligationList {
    pub year: i32,
    /// Counts of the items listed.
    pub counts: Counts,
    pub items: Vec<Obligation>,
}

fn bad_query(field: &str) -> ApiError {
    DomainError::invalid(
        &format!("/{field}"),
        "invalid_filter",
        format!("Unknown {field} filter."),
        format!("Bộ lọc {field} không hợp lệ."),
    )
    .into()
}

/// The filter of a query, checked.
pub fn filter_of(q: &ListQuery) -> Result<Filter, ApiError> {
    let kind = match q.kind.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(k) => Some(Kind::parse(k).ok_or_else(|| bad_query("kind"))?),
    };
    let status = q.status.clone().filter(|s| !s.is_empty());
    if let Some(s) = &status {
        if !["not_submitted", "on_time", "late", "overdue"].contains(&s.as_str()) {
            return Err(bad_query("status"));
        }
    }
    let unit_kind = q.unit_kind.clone().filter(|s| !s.is_empty());
    let unit_id = match q.unit_id.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(u) => Some(parse_id(u).map_err(|_| bad_query("unit_id"))?),
    };
    Ok(Filter {
        kind,
        status,
        unit_kind,
        unit_id,
    })
}

/// The list for the API and the web pages alike.
pub async fn list(
    state: &AppState,
    me: CurrentUser,
    q: ListQuery,
) -> Result<ObligationList, ApiError> {
    let today = crate::time::today_local();
    let year = q.year.unwrap_or(today.year());
    dues::check_settings_year(year)?;
    let f = filter_of(&q)?;
    let items = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            service::list(c, &scope, year, &f, today)
        })
        .await?;
    Ok(ObligationList {
        year,
        counts: Counts::of(&items),
        items,
    })
}

/// Reports units owe under the plan for a year (programme, half-year, year, "Dân vận"
/// article), each with its due date, status (`not_submitted`, `on_time`, `late`), `overdue`
/// and what was sent. Administrators and viewers: every unit; leads and inspectors: their
/// teams' units; a unit's representative: their own unit.
#[utoipa::path(tag = "unit-reports", security(("bearer" = [])), params(ListQuery), responses((status = 200, body = ObligationList), (status = 422, description = "Unknown filter (`invalid_filter`)", body = Problem, content_type = "application/problem+json")))]
#[get("/unit-reports")]
pub async fn list_unit_reports(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(list(&state, me, q.into_inner()).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// The file's name as the unit knows it (kept for downloads; the type is checked from the
    /// bytes, not from this).
    pub filename: Option<String>,
}

/// Send the unit's document for an obligation (unit representatives, their own unit). The
/// body is the file: DOCX or PDF, checked by its bytes (415 `attachment_type_unsupported`
/// otherwise), at most the configured size (413 `attachment_too_large`). `id` is made by the
/// client: the same id with the same bytes again answers 200 and changes nothing; other bytes
/// under a used id answer 409 `attachment_content_differs`. Sending again with a new id keeps
/// the earlier ones: the latest is the document, the first decides on time or late.
#[utoipa::path(tag = "unit-reports", security(("bearer" = [])),
    params(("year" = i32, Path, description = "Year"), ("kind" = Kind, Path, description = "The obligation"), ("id" = String, Path, description = "Submission id (a UUID made by the client)"), FileQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The document, byte-exact (PDF or DOCX). Its kind is read from the bytes, so any `Content-Type` is taken (`application/pdf`, the DOCX type, or `application/octet-stream`, as documented here so generic clients can send it)"),
    responses(
        (status = 201, description = "Received", body = Obligation),
        (status = 200, description = "These bytes were already received under this id", body = Obligation),
        (status = 409, description = "Other bytes under this id (`attachment_content_differs`), or the id used elsewhere (`id_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the size limit (`attachment_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not DOCX or PDF (`attachment_type_unsupported`)", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/unit-reports/{year}/{kind}/files/{id}")]
pub async fn submit_unit_report(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(i32, String, String)>,
    q: web::Query<FileQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    me.require(&[Role::Unit])?;
    let (year, kind, id) = path.into_inner();
    let kind = Kind::parse(&kind).ok_or(ApiError::NotFound)?;
    let id = client_id("/id", Some(&id))?;
    service::check_year(year, crate::time::today_local())?;
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit = state.settings.attachment_max_bytes;
    let file = files::receive(
        &state.media,
        payload,
        limit,
        declared,
        OwnerKind::UnitReport,
    )
    .await?;
    let filename = q.into_inner().filename.unwrap_or_default();
    let (o, rec) = submit(&state, me, year, kind, id, filename, file).await?;
    Ok(match rec {
        Recorded::New => HttpResponse::Created().json(o),
        Recorded::Same => HttpResponse::Ok().json(o),
    })
}

/// Records a received file for the caller's unit (the API's upload and the web form's).
pub async fn submit(
    state: &AppState,
    me: CurrentUser,
    year: i32,
    kind: Kind,
    id: String,
    filename: String,
    file: files::Received,
) -> Result<(Obligation, Recorded), ApiError> {
    let actor = me.actor();
    Ok(state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            service::submit(c, &actor, &scope, year, kind, &id, &filename, &file)
        })
        .await?)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// Default: this year.
    pub year: Option<i32>,
}

/// The year's due dates per kind (the defaults where Sở Nội vụ set none) and units' own.
/// Administrators, viewers and leads.
#[utoipa::path(tag = "unit-reports", security(("bearer" = [])), params(YearQuery), responses((status = 200, body = DueSettings)))]
#[get("/unit-reports/due-dates")]
pub async fn get_due_dates(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, ApiError> {
    me.require(&[Role::Admin, Role::Viewer, Role::Lead])?;
    let year = q.year.unwrap_or(crate::time::today_local().year());
    dues::check_settings_year(year)?;
    let v = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            dues::settings_for(c, &scope, year)
        })
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Set the year's due dates (administrators); kinds left out keep theirs. A date must fall in
/// the year or the next (422 `due_date_out_of_year`).
#[utoipa::path(tag = "unit-reports", security(("bearer" = [])), params(("year" = i32, Path, description = "Year")), request_body = SetDueDates, responses((status = 200, body = DueSettings), (status = 422, description = "A date outside the year", body = Problem, content_type = "application/problem+json")))]
#[put("/unit-reports/due-dates/{year}")]
pub async fn put_due_dates(
    state: web::Data<AppState>,
    me: CurrentUser,
    year: web::Path<i32>,
    body: web::Json<SetDueDates>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let year = year.into_inner();
    dues::check_settings_year(year)?;
    let actor = me.actor();
    let body = body.into_inner();
    let v = state
        .db
        .write(move |c| dues::set_year(c, &actor, year, &body))
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Set (or with `due_on: null` remove) one unit's own due date for a kind (administrators).
#[utoipa::path(tag = "unit-reports", security(("bearer" = [])), params(("year" = i32, Path, description = "Year"), ("unit_id" = String, Path, description = "Unit id")), request_body = SetOverride, responses((status = 200, body = DueSettings)))]
#[put("/unit-reports/due-dates/{year}/units/{unit_id}")]
pub async fn put_unit_due_date(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(i32, String)>,
    body: web::Json<SetOverride>,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let (year, unit) = path.into_inner();
    dues::check_settings_year(year)?;
    let unit = parse_id(&unit)?;
    let actor = me.actor();
    let body = body.into_inner();
    let v = state
        .db
        .write(move |c| dues::set_unit(c, &actor, year, &unit, &body))
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

#[derive(Serialize, ToSchema)]
#[schema(as = UnitReportRemindersSent)]
pub struct RemindersSent {
    /// Notifications made now (those already sent today are not made again).
    pub created: usize,
}

/// Remind units' representatives of reports due within 7 days or overdue, now (the daily run
/// does the same). At most one a day per person, unit, kind and year. Administrators.
#[utoipa::path(tag = "unit-reports", security(("bearer" = [])), responses((status = 200, body = RemindersSent)))]
#[post("/unit-reports/reminders")]
pub async fn send_unit_report_reminders(
    state: web::Data<AppState>,
    me: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    me.require_admin()?;
    let actor = me.actor();
    let created = state
        .db
        .write(move |c| super::remind::send(c, &actor, crate::time::today_local()))
        .await?;
    Ok(HttpResponse::Ok().json(RemindersSent { created }))
}
