//! `/quan-tri/nhat-ky`: the audit log for Sở Nội vụ, newest first, filtered as
//! `GET /api/v1/audit` filters it (entity, entity id, actor), each change with its local
//! time, who made it on which device, and the state before and after; and a check of the
//! whole hash chain (`audit::store::verify`, as `kiemtra audit verify` runs it).

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::{Deserialize, Serialize};

use crate::audit::store::{self, AuditFilter, AuditRow};
use crate::auth::sessions;
use crate::db::{DbConn, DbError};
use crate::state::AppState;
use crate::users::store::{self as users, ListFilter};
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

/// Entries per page.
const PAGE: i64 = 50;

/// What changed, as people call it, in the order the filter offers it.
const ENTITIES: [(&str, &str); 14] = [
    ("user", "Người dùng"),
    ("unit", "Đơn vị"),
    ("team", "Đoàn kiểm tra"),
    ("template", "Mẫu phiếu"),
    ("round", "Đợt kiểm tra"),
    ("assignment", "Phân công"),
    ("inspection", "Phiếu kiểm tra"),
    ("answer", "Câu trả lời"),
    ("evidence", "Minh chứng"),
    ("comment", "Ý kiến"),
    ("recommendation", "Kiến nghị của phiếu"),
    ("conflict", "Xung đột"),
    ("report_conclusion", "Kết luận"),
    ("report_recommendation", "Kiến nghị của báo cáo"),
];

fn entity_vi(code: &str) -> String {
    match code {
        "document_settings" => "Thiết lập văn bản".into(),
        _ => ENTITIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, l)| (*l).to_owned())
            .unwrap_or_else(|| code.to_owned()),
    }
}

fn action_vi(code: &str) -> String {
    match code {
        "create" => "Tạo mới",
        "update" => "Sửa",
        "delete" => "Xóa",
        "answer" => "Trả lời phiếu",
        "findings" => "Ghi kết quả kiểm tra",
        "transition" => "Chuyển trạng thái",
        "publish" => "Ban hành",
        "save_draft" => "Lưu bản nháp",
        "reassign" => "Chuyển đoàn",
        "resolve" => "Xử lý xung đột",
        "upload" => "Tải ảnh lên",
        "import_create" => "Nhập từ tệp (tạo mới)",
        "import_update" => "Nhập từ tệp (cập nhật)",
        "revoke_device" => "Thu hồi một thiết bị",
        "revoke_devices" => "Thu hồi mọi thiết bị",
        other => return other.to_owned(),
    }
    .to_owned()
}

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct Query {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    entity: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    entity_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    actor_id: String,
    /// Entries older than this `seq` (the next page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    truoc: Option<i64>,
}

impl Query {
    fn filter(&self) -> AuditFilter {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        AuditFilter {
            entity: opt(&self.entity),
            entity_id: opt(&self.entity_id),
            actor_id: opt(&self.actor_id),
            after_seq: 0,
            limit: PAGE,
        }
    }

    fn sel_entity(&self, code: &str) -> bool {
        self.entity == code
    }

    fn sel_actor(&self, id: &str) -> bool {
        self.actor_id == id
    }

    /// This query's address with another page.
    fn href(&self, truoc: Option<i64>) -> String {
        let q = Query {
            truoc,
            ..self.clone()
        };
        match serde_urlencoded::to_string(&q) {
            Ok(s) if !s.is_empty() => format!("/quan-tri/nhat-ky?{s}"),
            _ => "/quan-tri/nhat-ky".to_owned(),
        }
    }
}

pub struct Line {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub device: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: String,
    pub after: String,
}

pub struct ActorOption {
    pub id: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    layout: Layout,
    q: Query,
    lines: Vec<Line>,
    actors: Vec<ActorOption>,
    entities: [(&'static str, &'static str); 14],
    older: Option<String>,
    newest: Option<String>,
}

fn pretty(json: Option<String>) -> String {
    json.map(|s| {
        serde_json::from_str::<serde_json::Value>(&s)
            .and_then(|v| serde_json::to_string_pretty(&v))
            .unwrap_or(s)
    })
    .unwrap_or_default()
}

/// Names for ids, each looked up once per page.
#[derive(Default)]
struct Names {
    users: HashMap<String, String>,
    devices: HashMap<String, String>,
}

impl Names {
    fn user(&mut self, c: &mut DbConn, id: &Option<String>) -> Result<String, DbError> {
        let Some(id) = id else {
            return Ok("Dòng lệnh máy chủ".into());
        };
        if let Some(n) = self.users.get(id) {
            return Ok(n.clone());
        }
        let n = users::find_by_id(c, id)?
            .map(|u| u.full_name)
            .unwrap_or_else(|| id.clone());
        self.users.insert(id.clone(), n.clone());
        Ok(n)
    }

    fn device(&mut self, c: &mut DbConn, id: &Option<String>) -> Result<String, DbError> {
        let Some(id) = id else {
            return Ok(String::new());
        };
        if let Some(n) = self.devices.get(id) {
            return Ok(n.clone());
        }
        let n = sessions::find_device(c, id)?
            .map(|d| d.name.unwrap_or(d.device_key))
            .unwrap_or_else(|| id.clone());
        self.devices.insert(id.clone(), n.clone());
        Ok(n)
    }
}

fn lines(c: &mut DbConn, rows: Vec<AuditRow>) -> Result<Vec<Line>, DbError> {
    let mut names = Names::default();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(Line {
            seq: r.seq,
            at: format::datetime(r.at),
            actor: names.user(c, &r.actor_id)?,
            device: names.device(c, &r.device_id)?,
            action: action_vi(&r.action),
            entity: entity_vi(&r.entity),
            entity_id: r.entity_id,
            before: pretty(r.before),
            after: pretty(r.after),
        });
    }
    Ok(out)
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    q: web::Query<Query>,
) -> Result<HttpResponse, WebError> {
    let q = q.into_inner();
    let (filter, before) = (q.filter(), q.truoc);
    let (lines, actors) = state
        .db
        .read(move |c| {
            let rows = store::list_newest(c, &filter, before)?;
            let lines = lines(c, rows)?;
            let everyone = ListFilter {
                role: None,
                disabled: None,
                q: None,
                limit: 1000,
                offset: 0,
            };
            let actors = users::list(c, &everyone)?
                .0
                .into_iter()
                .map(|u| ActorOption {
                    label: format!("{} ({})", u.full_name, u.username),
                    id: u.id,
                })
                .collect::<Vec<_>>();
            Ok::<_, DbError>((lines, actors))
        })
        .await?;
    let older = (lines.len() as i64 == PAGE)
        .then(|| lines.last().map(|l| q.href(Some(l.seq))))
        .flatten();
    let newest = q.truoc.map(|_| q.href(None));
    let layout = Layout::new(&req, &user, "Nhật ký thay đổi");
    let page = AuditPage {
        layout,
        q,
        lines,
        actors,
        entities: ENTITIES,
        older,
        newest,
    };
    Ok(render::page(&req, &page))
}

/// A broken link's reason, in Vietnamese (`chain::Verifier` gives it in English).
fn reason_vi(reason: &str) -> &'static str {
    if reason.starts_with("sequence gap") {
        "số thứ tự không liền mạch: có bản ghi bị xóa hoặc chèn thêm"
    } else if reason.starts_with("previous-hash") {
        "mã băm của bản ghi trước không khớp: bản ghi trước đã bị sửa hoặc xóa"
    } else {
        "mã băm không khớp: bản ghi này đã bị sửa"
    }
}

#[derive(Deserialize)]
pub struct NoFields {}

pub async fn verify(
    state: web::Data<AppState>,
    // The token and the role are checked by extracting it; the form has nothing else.
    _action: Action<NoFields>,
) -> Result<HttpResponse, WebError> {
    let result = state
        .db
        .read(|c| store::verify(c).map_err(DbError::from))
        .await
        .map_err(WebError::from);
    let back = "/quan-tri/nhat-ky";
    Ok(match result {
        Ok(Ok(n)) => flash::redirect(
            back,
            Flash::ok(format!("Chuỗi nhật ký toàn vẹn: đã kiểm tra {n} bản ghi.")),
        ),
        Ok(Err(broken)) => flash::redirect(
            &format!("{back}?truoc={}", broken.seq + 1),
            Flash::err(format!(
                "Chuỗi nhật ký bị phá vỡ tại bản ghi số {}: {}.",
                broken.seq,
                reason_vi(broken.reason)
            )),
        ),
        Err(e) if e.needs_sign_in() => e.error_response(),
        Err(e) => flash::redirect(back, Flash::err(e.message())),
    })
}
