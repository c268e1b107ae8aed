//! Which team inspects which unit in a round: the current assignments by team, the units to
//! pick from (searchable, without diacritics: `nghi loc` finds Nghi Lộc), assigning
//! (`rounds::assign::assign`, as `PUT /api/v1/rounds/{id}/assignments`: a unit of another
//! team moves while its inspection is a draft) and removing (`rounds::assign::unassign`, as
//! `DELETE …/assignments/{unit_id}`: only before the unit's inspection starts).

use std::collections::HashMap;

use actix_web::{web, HttpResponse, ResponseError};

use crate::db::DbConn;
use crate::domain::{parse_id, DomainError};
use crate::rounds::{assign, store};
use crate::state::AppState;
use crate::teams::store as teams;
use crate::units::fold::fold;
use crate::units::store::{self as units, UnitFilter};
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::WebError;

/// How many units the picker lists at once; a search narrows the rest.
const PICK_LIMIT: i64 = 300;

pub struct TeamOption {
    pub id: String,
    pub name: String,
}

pub struct AssignedUnit {
    pub id: String,
    pub name: String,
    pub code: String,
    /// The assignment's own deadline (`yyyy-mm-dd` for the date input; empty: the round's).
    pub due_on: String,
    /// The same, as people read it (dd/mm/yyyy).
    pub due: String,
    pub version: i64,
}

pub struct TeamGroup {
    pub name: String,
    pub units: Vec<AssignedUnit>,
}

pub struct UnitChoice {
    pub id: String,
    pub name: String,
    pub code: String,
    /// The team it is assigned to in this round, if any.
    pub team: String,
}

pub struct AssignView {
    pub teams: Vec<TeamOption>,
    pub groups: Vec<TeamGroup>,
    pub assigned: usize,
    pub choices: Vec<UnitChoice>,
    pub total: i64,
    pub q: String,
}

/// The round's assignments and the units to pick from (matching `q`).
pub fn view(c: &mut DbConn, round_id: &str, q: &str) -> Result<AssignView, DomainError> {
    let team_rows = teams::list(c, None)?;
    let names: HashMap<String, String> = team_rows
        .iter()
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect();
    let rows = store::assignments_of(c, round_id)?;
    let team_of: HashMap<String, String> = rows
        .iter()
        .map(|a| (a.unit_id.clone(), a.team_id.clone()))
        .collect();
    let mut groups = Vec::new();
    for t in &team_rows {
        let mut list = Vec::new();
        for a in rows.iter().filter(|a| a.team_id == t.id) {
            if let Some(u) = units::find(c, &a.unit_id)? {
                list.push(AssignedUnit {
                    id: u.id,
                    name: u.name,
                    code: u.code,
                    due_on: a.due_on.map(|d| d.to_string()).unwrap_or_default(),
                    due: a.due_on.map(crate::web::format::date).unwrap_or_default(),
                    version: a.version,
                });
            }
        }
        if !list.is_empty() {
            list.sort_by(|a, b| crate::collate::cmp(&a.name, &b.name));
            groups.push(TeamGroup {
                name: t.name.clone(),
                units: list,
            });
        }
    }
    let filter = UnitFilter {
        q: Some(fold(q)).filter(|s| !s.is_empty()),
        kind: None,
        parent_id: None,
        limit: PICK_LIMIT,
        offset: 0,
    };
    let (unit_rows, total) = units::list(c, &filter)?;
    let choices = unit_rows
        .into_iter()
        .map(|u| UnitChoice {
            team: team_of
                .get(&u.id)
                .and_then(|t| names.get(t))
                .cloned()
                .unwrap_or_default(),
            id: u.id,
            name: u.name,
            code: u.code,
        })
        .collect();
    Ok(AssignView {
        teams: team_rows
            .into_iter()
            .map(|t| TeamOption {
                id: t.id,
                name: t.name,
            })
            .collect(),
        groups,
        assigned: rows.len(),
        choices,
        total,
        q: q.to_owned(),
    })
}

/// What an assignment did, in words.
struct Done {
    team: String,
    added: Vec<String>,
    moved: Vec<String>,
}

fn unit_name(c: &mut DbConn, id: &str) -> Result<String, DomainError> {
    Ok(units::find(c, id)?
        .map(|u| u.name)
        .unwrap_or_else(|| id.to_owned()))
}

/// Assigns `units` to `team`; a unit already in that team is refused by name (the form
/// offered it, so picking it again is a mistake worth saying), the rest is the API's work.
fn run(
    c: &mut DbConn,
    actor: &crate::audit::Actor,
    round_id: &str,
    team: &str,
    unit_ids: &[String],
) -> Result<Result<Done, String>, DomainError> {
    store::find(c, round_id)?.ok_or(DomainError::NotFound)?;
    let team_name = teams::find(c, team)?.map(|t| t.name).unwrap_or_default();
    let (mut added, mut moved, mut twice) = (Vec::new(), Vec::new(), Vec::new());
    for u in unit_ids {
        let name = unit_name(c, u)?;
        match store::assignment(c, round_id, u)? {
            Some(a) if a.team_id == team => twice.push(name),
            Some(_) => moved.push(name),
            None => added.push(name),
        }
    }
    if !twice.is_empty() {
        return Ok(Err(format!(
            "Đơn vị {} đã được phân công cho «{team_name}» trong đợt này. Bỏ chọn rồi thử lại.",
            twice
                .iter()
                .map(|n| format!("«{n}»"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let pairs: Vec<(String, String)> = unit_ids
        .iter()
        .map(|u| (u.clone(), team.to_owned()))
        .collect();
    assign::assign(c, actor, round_id, &pairs)?;
    Ok(Ok(Done {
        team: team_name,
        added,
        moved,
    }))
}

fn message(d: &Done) -> String {
    let mut s = format!(
        "Đã phân công {} đơn vị cho «{}»",
        d.added.len() + d.moved.len(),
        d.team
    );
    if !d.added.is_empty() {
        s.push_str(&format!(": {}", d.added.join(", ")));
    }
    s.push('.');
    if !d.moved.is_empty() {
        s.push_str(&format!(" Chuyển từ đoàn khác: {}.", d.moved.join(", ")));
    }
    s
}

/// The form: `team` and any number of `unit` (checkboxes), so it is read as pairs.
pub async fn assign_units(
    state: web::Data<AppState>,
    action: Action<Vec<(String, String)>>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let id = parse_id(&id)?;
    let back = format!("/quan-tri/dot/{id}#phan-cong");
    let field = |name: &str| -> Vec<String> {
        action
            .form
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| parse_id(v).unwrap_or_else(|_| v.clone()))
            .collect()
    };
    let (team, mut unit_ids) = (field("team").pop(), field("unit"));
    unit_ids.sort();
    unit_ids.dedup();
    let refuse = |m: &str| Ok(flash::redirect(&back, Flash::err(m)));
    let Some(team) = team else {
        return refuse("Hãy chọn đoàn kiểm tra.");
    };
    if unit_ids.is_empty() {
        return refuse("Hãy chọn ít nhất một đơn vị để phân công.");
    }
    let actor = action.user.me.actor();
    let rid = id.clone();
    let done = state
        .db
        .write(move |c| run(c, &actor, &rid, &team, &unit_ids))
        .await
        .map_err(WebError::from);
    match done {
        Ok(Ok(d)) => Ok(flash::redirect(&back, Flash::ok(message(&d)))),
        Ok(Err(why)) => refuse(&why),
        Err(e) if e.needs_sign_in() => Ok(e.error_response()),
        Err(e) => refuse(&format!("Chưa phân công được. {}", e.message())),
    }
}

#[derive(serde::Deserialize)]
pub struct NoFields {}

#[derive(serde::Deserialize)]
pub struct DueForm {
    /// `yyyy-mm-dd`; empty clears it (the round's deadline counts).
    due_on: String,
    version: Option<i64>,
}

/// One unit's own deadline (`rounds::assign::set_due`, as `PATCH …/assignments/{unit_id}`).
pub async fn set_due(
    state: web::Data<AppState>,
    action: Action<DueForm>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (id, unit) = path.into_inner();
    let (id, unit) = (parse_id(&id)?, parse_id(&unit)?);
    let back = format!("/quan-tri/dot/{id}#phan-cong");
    let raw = action.form.due_on.trim().to_owned();
    let due = if raw.is_empty() {
        None
    } else {
        match chrono::NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                return Ok(flash::redirect(
                    &back,
                    Flash::err("Hạn hoàn thành không hợp lệ (ngày/tháng/năm)."),
                ))
            }
        }
    };
    let version = action.form.version;
    let actor = action.user.me.actor();
    let done = state
        .db
        .write(move |c| {
            let name = unit_name(c, &unit)?;
            assign::set_due(c, &actor, &id, &unit, due, version)?;
            Ok::<_, DomainError>(name)
        })
        .await
        .map_err(WebError::from);
    match done {
        Ok(name) => Ok(flash::redirect(
            &back,
            Flash::ok(match due {
                Some(d) => format!(
                    "Đã đặt hạn hoàn thành của «{name}»: {}.",
                    crate::web::format::date(d)
                ),
                None => format!("«{name}» theo hạn chung của đợt."),
            }),
        )),
        Err(e) if e.needs_sign_in() => Ok(e.error_response()),
        Err(e) => Ok(flash::redirect(
            &back,
            Flash::err(format!("Chưa đặt được hạn. {}", e.message())),
        )),
    }
}

pub async fn unassign(
    state: web::Data<AppState>,
    action: Action<NoFields>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (id, unit) = path.into_inner();
    let (id, unit) = (parse_id(&id)?, parse_id(&unit)?);
    let back = format!("/quan-tri/dot/{id}#phan-cong");
    let actor = action.user.me.actor();
    let done = state
        .db
        .write(move |c| {
            let name = unit_name(c, &unit)?;
            assign::unassign(c, &actor, &id, &unit)?;
            Ok::<_, DomainError>(name)
        })
        .await
        .map_err(WebError::from);
    match done {
        Ok(name) => Ok(flash::redirect(
            &back,
            Flash::ok(format!("Đã bỏ phân công đơn vị «{name}» khỏi đợt này.")),
        )),
        Err(e) if e.needs_sign_in() => Ok(e.error_response()),
        Err(e) => Ok(flash::redirect(
            &back,
            Flash::err(format!("Chưa bỏ phân công được. {}", e.message())),
        )),
    }
}
