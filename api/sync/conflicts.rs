//! Conflict records: the value that lost a concurrent edit, or a device change the server
//! refused, kept with both authors, devices and clocks until the team's lead resolves it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::hlc::{self, Hlc};
use super::log as changes;
use crate::audit::{self, Actor};
use crate::db::schema::conflicts;
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::inspections::service as inspections;
use crate::inspections::store::InspectionRow;
use crate::inspections::workflow::Standing;
use crate::scope::Scope;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = conflicts)]
pub struct ConflictRow {
    pub id: String,
    pub inspection_id: String,
    pub round_id: String,
    pub team_id: String,
    /// `answer` or `inspection` (a findings field).
    pub entity: String,
    pub entity_id: String,
    /// The item id (answers) or field name (findings).
    pub field: String,
    /// `concurrent`: both edited the field; `rejected`: the device's change was refused
    /// (e.g. the inspection was already approved) and is kept here.
    pub kind: String,
    /// For `rejected`: the problem code.
    pub reason: Option<String>,
    /// The value the device started from, as the device reported it (JSON).
    pub base_value: Option<String>,
    pub server_value: Option<String>,
    pub device_value: Option<String>,
    pub server_author: Option<String>,
    pub server_device: Option<String>,
    pub server_hlc: Option<String>,
    pub device_author: String,
    pub device_device: Option<String>,
    pub device_hlc: Option<String>,
    /// Which value is current: `server` or `device`.
    pub winner: String,
    pub mutation_id: String,
    /// `open` or `resolved`.
    pub status: String,
    /// `server`, `device` or `new`.
    pub resolution: Option<String>,
    pub resolved_value: Option<String>,
    pub resolved_by: Option<String>,
    #[serde(serialize_with = "crate::time::utc_opt")]
    pub resolved_at: Option<NaiveDateTime>,
    pub version: i64,
    #[serde(serialize_with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
}

/// What a conflict record is made from.
pub struct NewConflict<'a> {
    pub inspection: &'a InspectionRow,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub field: &'a str,
    pub kind: &'a str,
    pub reason: Option<&'a str>,
    pub base_value: Option<&'a Value>,
    pub server_value: Option<&'a Value>,
    pub device_value: Option<&'a Value>,
    pub server_author: Option<&'a str>,
    pub server_device: Option<&'a str>,
    pub server_hlc: Option<&'a str>,
    pub device_hlc: Option<&'a str>,
    pub winner: &'a str,
    pub mutation_id: &'a str,
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<ConflictRow>> {
    conflicts::table
        .find(id)
        .select(ConflictRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    c: &NewConflict<'_>,
) -> Result<String, DomainError> {
    let id = db::new_id();
    let js = |v: Option<&Value>| v.map(Value::to_string);
    diesel::insert_into(conflicts::table)
        .values((
            conflicts::id.eq(&id),
            conflicts::inspection_id.eq(&c.inspection.id),
            conflicts::round_id.eq(&c.inspection.round_id),
            conflicts::team_id.eq(&c.inspection.team_id),
            conflicts::entity.eq(c.entity),
            conflicts::entity_id.eq(c.entity_id),
            conflicts::field.eq(c.field),
            conflicts::kind.eq(c.kind),
            conflicts::reason.eq(c.reason),
            conflicts::base_value.eq(js(c.base_value)),
            conflicts::server_value.eq(js(c.server_value)),
            conflicts::device_value.eq(js(c.device_value)),
            conflicts::server_author.eq(c.server_author),
            conflicts::server_device.eq(c.server_device),
            conflicts::server_hlc.eq(c.server_hlc),
            conflicts::device_author.eq(actor.user_id.clone().unwrap_or_default()),
            conflicts::device_device.eq(&actor.device_id),
            conflicts::device_hlc.eq(c.device_hlc),
            conflicts::winner.eq(c.winner),
            conflicts::mutation_id.eq(c.mutation_id),
            conflicts::status.eq("open"),
            conflicts::version.eq(1),
            conflicts::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    changes::record(
        conn,
        "conflict",
        &id,
        inspections::keys(c.inspection),
        false,
    )?;
    audit::append(
        conn,
        actor,
        "create",
        "conflict",
        &id,
        None,
        Some(
            &json!({"inspection_id": c.inspection.id, "field": c.field, "kind": c.kind, "winner": c.winner}),
        ),
    )?;
    Ok(id)
}

pub struct ConflictFilter {
    pub round_id: Option<String>,
    pub inspection_id: Option<String>,
    pub status: Option<String>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &ConflictFilter,
) -> Result<Vec<ConflictRow>, DomainError> {
    let mut q = conflicts::table.into_boxed();
    if let Some(r) = &f.round_id {
        q = q.filter(conflicts::round_id.eq(r.clone()));
    }
    if let Some(i) = &f.inspection_id {
        q = q.filter(conflicts::inspection_id.eq(i.clone()));
    }
    if let Some(s) = &f.status {
        q = q.filter(conflicts::status.eq(s.clone()));
    }
    if !scope.sees_all() {
        q = q.filter(conflicts::team_id.eq_any(scope.team_ids.clone()));
    }
    let rows: Vec<ConflictRow> = q
        .order(conflicts::created_at.asc())
        .select(ConflictRow::as_select())
        .load(conn)?;
    let mut visible = Vec::new();
    for r in rows {
        let status = crate::inspections::store::round_status(conn, &r.round_id)?;
        if scope.sees(&r.team_id, &status) {
            visible.push(r);
        }
    }
    Ok(visible)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Keep (or restore) the server's value.
    Server,
    /// Take the device's value.
    Device,
    /// Set another value, given in `value`.
    New,
}

/// Resolves a conflict: the chosen value becomes current (a synced change like any other)
/// and the record is closed. The team's lead or an administrator.
pub fn resolve(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    how: Resolution,
    new_value: Option<&Value>,
) -> Result<ConflictRow, DomainError> {
    let c = find(conn, id)?.ok_or(DomainError::NotFound)?;
    let row = resolver(conn, scope, &c)?;
    if c.status != "open" {
        return Err(DomainError::conflict(
            "conflict_resolved",
            "This conflict is already resolved.",
            "Xung đột này đã được giải quyết.",
        ));
    }
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|v| serde_json::from_str::<Value>(v).ok())
            .unwrap_or(Value::Null)
    };
    let chosen = match how {
        Resolution::Server => parse(&c.server_value),
        Resolution::Device => parse(&c.device_value),
        Resolution::New => new_value.cloned().ok_or_else(|| {
            DomainError::invalid(
                "/value",
                "value_required",
                "Give the new value.",
                "Hãy nhập giá trị mới.",
            )
        })?,
    };
    // A rejected change resolved as "server" is simply dismissed; otherwise the chosen value
    // is written through the normal rules (validation, editable state).
    if !(c.kind == "rejected" && how == Resolution::Server) {
        write_chosen(conn, actor, scope, &row, &c, &chosen)?;
    }
    let how_str = match how {
        Resolution::Server => "server",
        Resolution::Device => "device",
        Resolution::New => "new",
    };
    diesel::update(conflicts::table.find(id))
        .set((
            conflicts::status.eq("resolved"),
            conflicts::resolution.eq(how_str),
            conflicts::resolved_value.eq(chosen.to_string()),
            conflicts::resolved_by.eq(&scope.user_id),
            conflicts::resolved_at.eq(db::now()),
            conflicts::version.eq(c.version + 1),
        ))
        .execute(conn)?;
    changes::record(conn, "conflict", id, inspections::keys(&row), false)?;
    audit::append(
        conn,
        actor,
        "resolve",
        "conflict",
        id,
        Some(&json!({"status": "open"})),
        Some(&json!({"status": "resolved", "resolution": how_str, "value": chosen})),
    )?;
    find(conn, id)?.ok_or(DomainError::NotFound)
}

/// Only the team's lead or an administrator resolves; members are refused, outsiders do not
/// learn the conflict exists.
fn resolver(
    conn: &mut DbConn,
    scope: &Scope,
    c: &ConflictRow,
) -> Result<InspectionRow, DomainError> {
    let (row, _) = inspections::visible(conn, scope, &c.inspection_id)?;
    match scope.standing(&row.team_id) {
        Some(Standing::Lead | Standing::Admin) => Ok(row),
        Some(Standing::Member) => Err(DomainError::Forbidden),
        None if scope.sees_all() => Err(DomainError::Forbidden),
        None => Err(DomainError::NotFound),
    }
}

/// Makes the chosen value current, through the same rules as any edit.
fn write_chosen(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    row: &InspectionRow,
    c: &ConflictRow,
    chosen: &Value,
) -> Result<(), DomainError> {
    let stamp = Hlc::server(hlc::now_ms());
    match c.entity.as_str() {
        "answer" => {
            let answer: crate::templates::model::Answer = serde_json::from_value(chosen.clone())
                .map_err(|_| {
                    DomainError::invalid(
                        "/value",
                        "wrong_type",
                        "An answer is {\"value\": …} or {\"na\": true}.",
                        "Câu trả lời có dạng {\"value\": …} hoặc {\"na\": true}.",
                    )
                })?;
            let current = crate::inspections::store::answers_of(
                &crate::inspections::store::answer_rows(conn, &row.id)?,
            );
            if current.get(&c.field) != Some(&answer) {
                let changed = [(c.field.clone(), answer)].into_iter().collect();
                inspections::save_answers_stamped(
                    conn, actor, scope, &row.id, &changed, None, &stamp,
                )?;
            }
        }
        "inspection" => {
            let text = chosen.as_str().map(str::to_owned);
            inspections::set_findings_field(conn, actor, scope, &row.id, &c.field, text, &stamp)?;
        }
        "recommendation" => {
            let input = recommendation_field(&c.field, chosen)?;
            let id = &c.entity_id;
            inspections::update_recommendation(conn, actor, scope, id, &input, None)?;
        }
        _ => {}
    }
    Ok(())
}

/// One field of a recommendation as the chosen value sets it (`recommendation.update` keeps
/// its refused values field by field).
fn recommendation_field(
    field: &str,
    chosen: &Value,
) -> Result<inspections::RecommendationInput, DomainError> {
    let text = chosen.as_str().map(str::to_owned).ok_or_else(|| {
        DomainError::invalid(
            "/value",
            "wrong_type",
            "A recommendation's field is a text.",
            "Trường của kiến nghị là một đoạn văn bản.",
        )
    })?;
    let mut input = inspections::RecommendationInput {
        content: None,
        responsible_unit_id: None,
        responsible: None,
        due_on: None,
        follow_up: None,
    };
    match field {
        "content" => input.content = Some(text),
        "responsible_unit_id" => input.responsible_unit_id = Some(text),
        "responsible" => input.responsible = Some(text),
        "follow_up" => input.follow_up = Some(text),
        "due_on" => {
            let d = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
                DomainError::invalid(
                    "/value",
                    "invalid_date",
                    "A date is YYYY-MM-DD.",
                    "Ngày có dạng YYYY-MM-DD.",
                )
            })?;
            input.due_on = Some(d);
        }
        _ => return Err(DomainError::NotFound),
    }
    Ok(input)
}
