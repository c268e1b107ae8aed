//! `/dot/{id}/xung-dot`: the round's open sync conflicts in the caller's scope, as the API's
//! `GET /api/v1/sync/conflicts` filters them (`sync::conflicts::list`), each with both values
//! in words beside the value they started from, who wrote each, on which device and when;
//! with a form to resolve it for the team's lead, and the last ones resolved.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::value;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::service as inspections;
use crate::inspections::store::{self, InspectionRow};
use crate::inspections::workflow::Standing;
use crate::rounds::service as rounds;
use crate::scope::Scope;
use crate::state::AppState;
use crate::sync::conflicts::{self, ConflictFilter, ConflictRow};
use crate::sync::hlc::Hlc;
use crate::templates::model::{Item, Template as Checklist};
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::review::words;
use crate::web::{WebError, WebUser};

/// How many resolved conflicts the page shows, newest first.
const RESOLVED_SHOWN: usize = 10;

/// One side of a conflict: its value and where it came from.
pub struct Side {
    pub value: String,
    pub who: String,
    pub device: String,
    pub at: String,
    /// This value is the current one.
    pub current: bool,
}

pub struct ConflictView {
    pub id: String,
    pub inspection_id: String,
    pub unit: String,
    pub item: String,
    pub rejected: bool,
    pub reason: String,
    pub base: String,
    pub server: Side,
    pub device: Side,
    pub created: String,
    pub can_resolve: bool,
    pub can_type: bool,
    pub hint: String,
    pub options: Vec<String>,
}

pub struct ResolvedView {
    pub unit: String,
    pub item: String,
    pub how: &'static str,
    pub value: String,
    pub by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "conflicts_round.html")]
pub struct ConflictsPage {
    pub layout: Layout,
    pub round_id: String,
    pub round_name: String,
    pub open: Vec<ConflictView>,
    pub resolved: Vec<ResolvedView>,
}

/// What the conflicts' rows name, loaded once for the page.
struct Context {
    inspections: HashMap<String, (InspectionRow, Arc<Checklist>)>,
    units: HashMap<String, (String, String)>,
    names: HashMap<String, String>,
    devices: HashMap<String, String>,
}

impl Context {
    fn load(c: &mut DbConn, rows: &[&ConflictRow]) -> Result<Context, DomainError> {
        let mut inspections = HashMap::new();
        for r in rows {
            if inspections.contains_key(&r.inspection_id) {
                continue;
            }
            // Rows `conflicts::list` let through: their inspections are in scope.
            if let Some(row) = store::find(c, &r.inspection_id)? {
                let t = inspections::template_of(c, &row)?;
                inspections.insert(r.inspection_id.clone(), (row, t));
            }
        }
        let unit_ids: Vec<&str> = inspections
            .values()
            .map(|(i, _)| i.unit_id.as_str())
            .collect();
        let units = store::unit_names(c, &unit_ids)?;
        let mut people: Vec<&str> = Vec::new();
        let mut devices: Vec<&str> = Vec::new();
        for r in rows {
            people.push(&r.device_author);
            people.extend(r.server_author.as_deref());
            people.extend(r.resolved_by.as_deref());
            devices.extend(r.server_device.as_deref());
            devices.extend(r.device_device.as_deref());
        }
        Ok(Context {
            names: words::names(c, &people)?,
            devices: words::device_names(c, &devices)?,
            inspections,
            units,
        })
    }

    fn unit(&self, r: &ConflictRow) -> String {
        self.inspections
            .get(&r.inspection_id)
            .and_then(|(i, _)| self.units.get(&i.unit_id))
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    }

    fn item(&self, r: &ConflictRow) -> Option<&Item> {
        let (_, t) = self.inspections.get(&r.inspection_id)?;
        t.item(&r.field)
    }

    fn label(&self, r: &ConflictRow) -> String {
        match (r.entity.as_str(), self.item(r)) {
            ("answer", Some(i)) => i.label.clone(),
            ("evidence", Some(i)) => format!("Ảnh minh chứng cho mục: {}", i.label),
            ("inspection", _) => value::field_label(&r.field).to_owned(),
            ("recommendation", _) => format!("Kiến nghị: {}", value::field_label(&r.field)),
            _ => r.field.clone(),
        }
    }

    fn shown(&self, r: &ConflictRow, raw: Option<&str>) -> String {
        value::shown(&r.entity, &r.field, self.item(r), raw)
    }

    fn device(&self, id: Option<&str>) -> String {
        id.and_then(|d| self.devices.get(d).cloned())
            .unwrap_or_default()
    }
}

/// An HLC's wall-clock part on the local clock.
fn hlc_time(raw: Option<&str>) -> String {
    raw.and_then(Hlc::parse)
        .and_then(|h| chrono::DateTime::from_timestamp_millis(i64::try_from(h.ms).ok()?))
        .map(|t| format::datetime(t.naive_utc()))
        .unwrap_or_default()
}

fn refusal(code: Option<&str>) -> String {
    let why = match code.unwrap_or_default() {
        "inspection_submitted" => "phiếu đã gửi duyệt",
        "inspection_read_only" => "phiếu đã được duyệt",
        "round_not_open" => "đợt kiểm tra không còn mở",
        "" => "dữ liệu không hợp lệ",
        other => return format!("Máy chủ không nhận thay đổi này ({other})."),
    };
    format!("Máy chủ không nhận thay đổi này vì {why}.")
}

fn open_view(ctx: &Context, scope: &Scope, r: &ConflictRow) -> ConflictView {
    let rejected = r.kind == "rejected";
    let (hint, options) = value::hint(&r.entity, &r.field, ctx.item(r));
    ConflictView {
        id: r.id.clone(),
        inspection_id: r.inspection_id.clone(),
        unit: ctx.unit(r),
        item: ctx.label(r),
        rejected,
        reason: if rejected {
            refusal(r.reason.as_deref())
        } else {
            String::new()
        },
        base: ctx.shown(r, r.base_value.as_deref()),
        server: Side {
            value: ctx.shown(r, r.server_value.as_deref()),
            who: words::name_in(&ctx.names, r.server_author.as_deref()),
            device: ctx.device(r.server_device.as_deref()),
            at: hlc_time(r.server_hlc.as_deref()),
            current: r.winner == "server",
        },
        device: Side {
            value: ctx.shown(r, r.device_value.as_deref()),
            who: words::name_in(&ctx.names, Some(&r.device_author)),
            device: ctx.device(r.device_device.as_deref()),
            at: hlc_time(r.device_hlc.as_deref()),
            current: r.winner == "device",
        },
        created: format::datetime(r.created_at),
        // As the service's own check: the team's lead or an administrator.
        can_resolve: matches!(
            scope.standing(&r.team_id),
            Some(Standing::Lead | Standing::Admin)
        ),
        can_type: matches!(r.entity.as_str(), "answer" | "inspection"),
        hint,
        options,
    }
}

fn resolved_view(ctx: &Context, r: &ConflictRow) -> ResolvedView {
    ResolvedView {
        unit: ctx.unit(r),
        item: ctx.label(r),
        how: match r.resolution.as_deref() {
            Some("server") if r.kind == "rejected" => "Bỏ qua thay đổi bị từ chối",
            Some("server") => "Giữ giá trị trên máy chủ",
            Some("device") => "Lấy giá trị của thiết bị",
            Some("new") => "Nhập giá trị mới",
            _ => "",
        },
        value: ctx.shown(r, r.resolved_value.as_deref()),
        by: words::name_in(&ctx.names, r.resolved_by.as_deref()),
        at: format::datetime_opt(r.resolved_at),
    }
}

fn filter(round_id: &str, status: &str) -> ConflictFilter {
    ConflictFilter {
        round_id: Some(round_id.to_owned()),
        inspection_id: None,
        status: Some(status.to_owned()),
    }
}

pub fn build(
    c: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    layout: Layout,
) -> Result<ConflictsPage, WebError> {
    let round = rounds::visible_round(c, scope, round_id)?;
    let open = conflicts::list(c, scope, &filter(round_id, "open"))?;
    let mut resolved = conflicts::list(c, scope, &filter(round_id, "resolved"))?;
    resolved.sort_by_key(|r| std::cmp::Reverse(r.resolved_at));
    resolved.truncate(RESOLVED_SHOWN);
    let all: Vec<&ConflictRow> = open.iter().chain(resolved.iter()).collect();
    let ctx = Context::load(c, &all)?;
    Ok(ConflictsPage {
        layout,
        round_id: round.id,
        round_name: round.name,
        open: open.iter().map(|r| open_view(&ctx, scope, r)).collect(),
        resolved: resolved.iter().map(|r| resolved_view(&ctx, r)).collect(),
    })
}

pub async fn round_conflicts(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    render::scoped_page(&req, &state, &user, "Xung đột dữ liệu", &id, build).await
}
