//! Inspection rules, tying the pure parts together: scope, the review state machine, answer
//! validation and scoring. Each function runs inside the caller's transaction and audits
//! what it changes.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{json, Value};

use super::store::{self, InspectionRow, RecommendationRow};
use super::workflow::{self, Action, Refusal, Standing, Status};
use crate::audit::{self, Actor};
use crate::db::schema::{answers, comments, inspection_events, inspections, recommendations};
use crate::db::{self, DbConn};
use crate::domain::{DomainError, Faults};
use crate::role::Role;
use crate::scope::Scope;
use crate::sync::hlc::{self, Hlc};
use crate::sync::log::{self as changes, Keys};
use crate::templates::answers::{check_answers, check_submission};
use crate::templates::model::{Answers, Template};
use crate::templates::scoring::{score, ScoreReport};

/// The inspection if the caller may see it; "not found" otherwise, so that nobody learns
/// what exists outside their scope.
pub fn visible(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<(InspectionRow, String), DomainError> {
    let row = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    let round_status = store::round_status(conn, &row.round_id)?;
    if !scope.sees(&row.team_id, &round_status) {
        return Err(DomainError::NotFound);
    }
    Ok((row, round_status))
}

/// Locks the inspection for the rest of the transaction, then reads it: every change to an
/// inspection (its answers, findings, state) starts here, so concurrent writers of one
/// inspection queue up instead of racing (PostgreSQL; SQLite writers are serialized anyway).
pub fn visible_for_write(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<(InspectionRow, String), DomainError> {
    diesel::update(inspections::table.find(id))
        .set(inspections::version.eq(inspections::version))
        .execute(conn)?;
    visible(conn, scope, id)
}

/// The caller's standing for changing this inspection: viewers are refused (403), and only
/// administrators change inspections of rounds that are not open.
pub fn writer(
    scope: &Scope,
    row: &InspectionRow,
    round_status: &str,
) -> Result<Standing, DomainError> {
    let standing = scope
        .standing(&row.team_id)
        .ok_or(if scope.role == Role::Viewer {
            DomainError::Forbidden
        } else {
            DomainError::NotFound
        })?;
    if round_status != "open" && standing != Standing::Admin {
        return Err(DomainError::conflict(
            "round_not_open",
            "The round is not open; its inspections cannot change.",
            "Đợt kiểm tra không ở trạng thái mở; không thể thay đổi phiếu.",
        ));
    }
    Ok(standing)
}

fn status_of(row: &InspectionRow) -> Status {
    Status::parse(&row.status).unwrap_or(Status::Draft)
}

pub fn editable(row: &InspectionRow) -> Result<(), DomainError> {
    match status_of(row) {
        s if s.editable() => Ok(()),
        Status::Approved => Err(DomainError::conflict("inspection_read_only", "The inspection is approved and can no longer change.", "Phiếu kiểm tra đã được duyệt, không thể sửa.")),
        _ => Err(DomainError::conflict("inspection_submitted", "The inspection is submitted for review; it can change again only if the lead returns it.", "Phiếu đã gửi duyệt; chỉ sửa được khi trưởng đoàn trả lại.")),
    }
}

/// The inspection's pinned checklist. Published versions never change, so each is parsed once
/// per process and shared.
pub fn template_of(
    conn: &mut DbConn,
    row: &InspectionRow,
) -> Result<std::sync::Arc<Template>, DomainError> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static PARSED: OnceLock<Mutex<HashMap<String, Arc<Template>>>> = OnceLock::new();
    let cache = PARSED.get_or_init(Default::default);
    if let Some(t) = cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&row.template_version_id)
    {
        return Ok(t.clone());
    }
    let (_, t) = crate::templates::service::published_template(conn, &row.template_version_id)?;
    let t = Arc::new(t);
    cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(row.template_version_id.clone(), t.clone());
    Ok(t)
}

pub fn report(
    conn: &mut DbConn,
    row: &InspectionRow,
) -> Result<(Answers, ScoreReport), DomainError> {
    let t = template_of(conn, row)?;
    let a = store::answers_of(&store::answer_rows(conn, &row.id)?);
    let r = score(&t, &a);
    Ok((a, r))
}

pub(super) fn bump(
    conn: &mut DbConn,
    row: &InspectionRow,
    report: Option<&ScoreReport>,
) -> Result<InspectionRow, DomainError> {
    let now = db::now();
    let q = diesel::update(inspections::table.find(&row.id));
    match report {
        Some(r) => q
            .set((
                inspections::score.eq(r.score),
                inspections::band.eq(r.band.as_ref().map(|b| b.code.clone())),
                inspections::version.eq(row.version + 1),
                inspections::updated_at.eq(now),
            ))
            .execute(conn)?,
        None => q
            .set((
                inspections::version.eq(row.version + 1),
                inspections::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    changes::record(conn, "inspection", &row.id, keys(row), false)?;
    store::find(conn, &row.id)?.ok_or(DomainError::NotFound)
}

/// The sync scope of everything that belongs to an inspection.
pub fn keys(row: &InspectionRow) -> Keys<'_> {
    Keys {
        team_id: Some(&row.team_id),
        round_id: Some(&row.round_id),
    }
}

/// The sync id of an answer row.
pub fn answer_id(inspection_id: &str, item_id: &str) -> String {
    format!("{inspection_id}/{item_id}")
}

/// Writes one answer row (a cleared one keeps its row, with no value), stamped with `hlc`, and
/// records the change for sync. `old_version` is the row's version, if it exists.
pub fn write_answer(
    conn: &mut DbConn,
    actor: &Actor,
    row: &InspectionRow,
    item: &str,
    answer: &crate::templates::model::Answer,
    stamp: &Hlc,
    old_version: Option<i64>,
) -> Result<(), DomainError> {
    let id = &row.id;
    let now = db::now();
    let cleared = !answer.na && answer.value.is_null();
    let value = (!answer.value.is_null()).then(|| answer.value.to_string());
    // Clearing keeps the row, versioned, with no value (see `batch`).
    match (old_version, cleared) {
        (None, true) => return Ok(()),
        (Some(v), _) => {
            diesel::update(answers::table.find((id, item)))
                .set((
                    answers::value.eq(value),
                    answers::na.eq(answer.na),
                    answers::version.eq(v + 1),
                    answers::updated_by.eq(actor.user_id.clone().unwrap_or_default()),
                    answers::updated_device.eq(&actor.device_id),
                    answers::updated_at.eq(now),
                    answers::hlc.eq(stamp.to_string()),
                ))
                .execute(conn)?;
        }
        (None, false) => {
            diesel::insert_into(answers::table)
                .values((
                    answers::inspection_id.eq(id),
                    answers::item_id.eq(item),
                    answers::value.eq(value),
                    answers::na.eq(answer.na),
                    answers::version.eq(1),
                    answers::updated_by.eq(actor.user_id.clone().unwrap_or_default()),
                    answers::updated_device.eq(&actor.device_id),
                    answers::updated_at.eq(now),
                    answers::hlc.eq(stamp.to_string()),
                ))
                .execute(conn)?;
        }
    }
    changes::record(conn, "answer", &answer_id(id, item), keys(row), false)?;
    Ok(())
}

/// Starts the inspection of a unit in a round. Idempotent by id: creating the same id again
/// returns it (`false`: not created now), so an offline device can retry safely.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    round_id: &str,
    unit_id: &str,
) -> Result<(InspectionRow, bool), DomainError> {
    if let Some(existing) = store::find(conn, id)? {
        let round_status = store::round_status(conn, &existing.round_id)?;
        // Only one who could have made it gets it back: a retry by its maker's team.
        if existing.round_id == round_id
            && existing.unit_id == unit_id
            && scope.sees(&existing.team_id, &round_status)
        {
            scope
                .standing(&existing.team_id)
                .ok_or(DomainError::Forbidden)?;
            return Ok((existing, false));
        }
        return Err(DomainError::conflict(
            "id_taken",
            "This id is already used for another inspection.",
            "Mã này đã được dùng cho phiếu kiểm tra khác.",
        ));
    }
    let round = crate::rounds::store::find(conn, round_id)?.ok_or(DomainError::NotFound)?;
    let assignment =
        crate::rounds::store::assignment(conn, round_id, unit_id)?.ok_or(DomainError::NotFound)?;
    if !scope.sees(&assignment.team_id, &round.status) {
        return Err(DomainError::NotFound);
    }
    let standing = scope
        .standing(&assignment.team_id)
        .ok_or(DomainError::Forbidden)?;
    if round.status != "open" && standing != Standing::Admin {
        return Err(DomainError::conflict(
            "round_not_open",
            "The round is not open.",
            "Đợt kiểm tra chưa mở hoặc đã đóng.",
        ));
    }
    if let Some(other) = store::find_for_unit(conn, round_id, unit_id)? {
        return Err(DomainError::conflict(
            "inspection_exists",
            format!(
                "This unit already has an inspection in this round: {}.",
                other.id
            ),
            format!("Đơn vị đã có phiếu kiểm tra trong đợt này: {}.", other.id),
        ));
    }
    let now = db::now();
    diesel::insert_into(inspections::table)
        .values((
            inspections::id.eq(id),
            inspections::round_id.eq(round_id),
            inspections::unit_id.eq(unit_id),
            inspections::team_id.eq(&assignment.team_id),
            inspections::template_version_id.eq(&round.template_version_id),
            inspections::status.eq(Status::Draft.as_str()),
            inspections::created_by.eq(&scope.user_id),
            inspections::version.eq(1),
            inspections::created_at.eq(now),
            inspections::updated_at.eq(now),
        ))
        .execute(conn)?;
    let row = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    let (_, r) = report(conn, &row)?;
    let row = bump(conn, &row, Some(&r))?;
    audit::append(
        conn,
        actor,
        "create",
        "inspection",
        id,
        None,
        Some(&json!({"round_id": round_id, "unit_id": unit_id, "team_id": row.team_id})),
    )?;
    Ok((row, true))
}

/// Saves some answers (`value: null` clears one). Types, options, ranges and visibility are
/// checked now; required items and evidence only at submission.
/// Saves answers through the REST API, stamped with the server's clock.
pub fn save_answers(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    changed: &Answers,
    expected_version: Option<i64>,
) -> Result<InspectionRow, DomainError> {
    save_answers_stamped(
        conn,
        actor,
        scope,
        id,
        changed,
        expected_version,
        &Hlc::server(hlc::now_ms()),
    )
}

/// Saves answers with the given HLC stamp (a device's, for pushed changes).
pub fn save_answers_stamped(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    changed: &Answers,
    expected_version: Option<i64>,
    stamp: &Hlc,
) -> Result<InspectionRow, DomainError> {
    let (row, round_status) = visible_for_write(conn, scope, id)?;
    writer(scope, &row, &round_status)?;
    editable(&row)?;
    DomainError::check_version(expected_version, row.version)?;
    let template = template_of(conn, &row)?;
    let current_rows = store::answer_rows(conn, id)?;
    let current = store::answers_of(&current_rows);
    let mut merged = current.clone();
    for (k, v) in changed {
        merged.insert(k.clone(), v.clone());
    }
    let faults = check_answers(&template, changed, &merged);
    if !faults.is_empty() {
        return Err(DomainError::Invalid(faults));
    }
    let mut before = serde_json::Map::new();
    let mut after = serde_json::Map::new();
    for (item, answer) in changed {
        let old = current_rows
            .iter()
            .find(|r| &r.item_id == item)
            .map(|r| r.version);
        before.insert(
            item.clone(),
            current.get(item).map_or(Value::Null, |a| json!(a)),
        );
        after.insert(item.clone(), json!(answer));
        write_answer(conn, actor, &row, item, answer, stamp, old)?;
    }
    let r = score(&template, &merged);
    let new = bump(conn, &row, Some(&r))?;
    audit::append(
        conn,
        actor,
        "answer",
        "inspection",
        id,
        Some(&Value::Object(before)),
        Some(&Value::Object(after)),
    )?;
    Ok(new)
}

pub struct Findings {
    pub strengths: Option<String>,
    pub shortcomings: Option<String>,
    pub causes: Option<String>,
}

/// Writes the findings (ưu điểm, hạn chế, nguyên nhân); absent fields keep their value.
pub fn update_findings(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    f: &Findings,
    expected_version: Option<i64>,
) -> Result<InspectionRow, DomainError> {
    let fields: Vec<(&str, Option<String>)> = [
        ("strengths", &f.strengths),
        ("shortcomings", &f.shortcomings),
        ("causes", &f.causes),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().map(|v| (k, Some(v))))
    .collect();
    write_findings(
        conn,
        actor,
        scope,
        id,
        &fields,
        expected_version,
        &Hlc::server(hlc::now_ms()),
    )
}

/// Sets one findings field (`None` clears it), e.g. when a conflict is resolved.
pub fn set_findings_field(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    field: &str,
    value: Option<String>,
    stamp: &Hlc,
) -> Result<InspectionRow, DomainError> {
    write_findings(conn, actor, scope, id, &[(field, value)], None, stamp)
}

pub const FINDINGS_FIELDS: [&str; 3] = ["strengths", "shortcomings", "causes"];

/// Per findings field, the inspection version and HLC of its last change.
pub fn field_meta(row: &InspectionRow) -> serde_json::Map<String, Value> {
    row.field_meta
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default()
}

pub fn finding(row: &InspectionRow, field: &str) -> Option<String> {
    match field {
        "strengths" => row.strengths.clone(),
        "shortcomings" => row.shortcomings.clone(),
        "causes" => row.causes.clone(),
        _ => None,
    }
}

/// Writes findings fields, stamping each with `stamp` in `field_meta`.
pub fn write_findings(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    fields: &[(&str, Option<String>)],
    expected_version: Option<i64>,
    stamp: &Hlc,
) -> Result<InspectionRow, DomainError> {
    let (row, round_status) = visible_for_write(conn, scope, id)?;
    writer(scope, &row, &round_status)?;
    editable(&row)?;
    DomainError::check_version(expected_version, row.version)?;
    let mut faults = Faults::default();
    for (name, v) in fields {
        if !FINDINGS_FIELDS.contains(name) {
            faults.push(
                &format!("/{name}"),
                "unknown_field",
                "Not a findings field.",
                "Không phải trường kết quả kiểm tra.",
            );
        }
        if v.as_ref().is_some_and(|t| t.chars().count() > 50_000) {
            faults.push(
                &format!("/{name}"),
                "too_long",
                "At most 50,000 characters.",
                "Tối đa 50.000 ký tự.",
            );
        }
    }
    faults.finish()?;
    let value_of = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map_or_else(|| finding(&row, name), |(_, v)| v.clone())
    };
    let mut meta = field_meta(&row);
    for (name, _) in fields {
        meta.insert(
            (*name).to_owned(),
            json!({"v": row.version + 1, "hlc": stamp.to_string(), "dev": actor.device_id}),
        );
    }
    diesel::update(inspections::table.find(id))
        .set((
            inspections::strengths.eq(value_of("strengths")),
            inspections::shortcomings.eq(value_of("shortcomings")),
            inspections::causes.eq(value_of("causes")),
            inspections::field_meta.eq(Value::Object(meta).to_string()),
        ))
        .execute(conn)?;
    let new = bump(conn, &row, None)?;
    let view = |r: &InspectionRow| json!({"strengths": r.strengths, "shortcomings": r.shortcomings, "causes": r.causes});
    audit::append(
        conn,
        actor,
        "findings",
        "inspection",
        id,
        Some(&view(&row)),
        Some(&view(&new)),
    )?;
    Ok(new)
}

/// Moves the inspection through review. Submitting checks required items and evidence;
/// approving needs the team's lead (or an administrator).
pub fn act(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    action: Action,
    reason: Option<&str>,
) -> Result<InspectionRow, DomainError> {
    let (row, round_status) = visible_for_write(conn, scope, id)?;
    let standing = writer(scope, &row, &round_status)?;
    let from = status_of(&row);
    let to = workflow::transition(from, action, standing, reason).map_err(|r| match r {
        Refusal::NotAllowed => DomainError::Forbidden,
        Refusal::ReasonRequired => DomainError::invalid(
            "/reason",
            "reason_required",
            "Say why the inspection is returned.",
            "Hãy nêu lý do trả lại phiếu.",
        ),
        Refusal::InvalidTransition { from, action } => DomainError::conflict(
            "invalid_transition",
            format!(
                "An inspection that is {} cannot be {}.",
                from.as_str(),
                match action {
                    Action::Submit => "submitted",
                    Action::Return => "returned",
                    Action::Approve => "approved",
                }
            ),
            format!(
                "Phiếu ở trạng thái {} không thể {}.",
                from.as_str(),
                match action {
                    Action::Submit => "gửi duyệt",
                    Action::Return => "trả lại",
                    Action::Approve => "duyệt",
                }
            ),
        ),
    })?;
    if action == Action::Approve && store::blocking_count(conn, id)? > 0 {
        return Err(DomainError::conflict(
            "unresolved_conflicts",
            "Resolve this inspection's sync conflicts before approving it.",
            "Hãy giải quyết các xung đột đồng bộ của phiếu trước khi duyệt.",
        ));
    }
    if action == Action::Submit {
        let (answers, _) = report(conn, &row)?;
        let template = template_of(conn, &row)?;
        let photos = crate::media::store::photo_counts(conn, id)?;
        let missing = check_submission(&template, &answers, &photos);
        if !missing.is_empty() {
            return Err(DomainError::Invalid(missing));
        }
    }
    let now = db::now();
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    diesel::update(inspections::table.find(id))
        .set((
            inspections::status.eq(to.as_str()),
            inspections::return_reason.eq(if to == Status::Returned { reason } else { None }),
            inspections::submitted_at.eq(if to == Status::Submitted {
                Some(now)
            } else {
                row.submitted_at
            }),
            inspections::approved_at.eq(if to == Status::Approved {
                Some(now)
            } else {
                None
            }),
            inspections::approved_by.eq(if to == Status::Approved {
                Some(scope.user_id.clone())
            } else {
                None
            }),
        ))
        .execute(conn)?;
    diesel::insert_into(inspection_events::table)
        .values((
            inspection_events::id.eq(db::new_id()),
            inspection_events::inspection_id.eq(id),
            inspection_events::from_status.eq(from.as_str()),
            inspection_events::to_status.eq(to.as_str()),
            inspection_events::actor_id.eq(&scope.user_id),
            inspection_events::reason.eq(reason),
            inspection_events::at.eq(now),
        ))
        .execute(conn)?;
    let new = bump(conn, &row, None)?;
    audit::append(
        conn,
        actor,
        "transition",
        "inspection",
        id,
        Some(&json!({"status": from.as_str()})),
        Some(&json!({"status": to.as_str(), "reason": reason})),
    )?;
    Ok(new)
}

pub struct RecommendationInput {
    pub content: Option<String>,
    pub responsible_unit_id: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub follow_up: Option<String>,
}

const FOLLOW_UP: [&str; 3] = ["open", "in_progress", "done"];

fn check_recommendation(
    conn: &mut DbConn,
    r: &RecommendationInput,
    creating: bool,
) -> Result<(), DomainError> {
    let mut f = Faults::default();
    if creating || r.content.is_some() {
        f.text("/content", r.content.as_deref().unwrap_or(""), 10_000);
    }
    if let Some(u) = &r.responsible_unit_id {
        if crate::units::store::find(conn, u)?.is_none() {
            f.push(
                "/responsible_unit_id",
                "unknown_unit",
                "No such unit.",
                "Không có đơn vị này.",
            );
        }
    }
    if r.follow_up
        .as_ref()
        .is_some_and(|s| !FOLLOW_UP.contains(&s.as_str()))
    {
        f.push(
            "/follow_up",
            "invalid_follow_up",
            "One of open, in_progress, done.",
            "Một trong: open, in_progress, done.",
        );
    }
    f.finish()
}

/// Adds a recommendation (kiến nghị) while the inspection is editable. Idempotent by id.
pub fn add_recommendation(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    inspection_id: &str,
    id: &str,
    r: &RecommendationInput,
) -> Result<RecommendationRow, DomainError> {
    let (row, round_status) = visible_for_write(conn, scope, inspection_id)?;
    writer(scope, &row, &round_status)?;
    if let Some(existing) = store::find_recommendation(conn, id)? {
        return if existing.inspection_id == inspection_id {
            Ok(existing)
        } else {
            Err(DomainError::id_taken())
        };
    }
    editable(&row)?;
    check_recommendation(conn, r, true)?;
    let now = db::now();
    diesel::insert_into(recommendations::table)
        .values((
            recommendations::id.eq(id),
            recommendations::inspection_id.eq(inspection_id),
            recommendations::content.eq(r.content.as_deref().unwrap_or("").trim()),
            recommendations::responsible_unit_id.eq(&r.responsible_unit_id),
            recommendations::responsible.eq(&r.responsible),
            recommendations::due_on.eq(r.due_on),
            recommendations::follow_up.eq(r.follow_up.as_deref().unwrap_or("open")),
            recommendations::version.eq(1),
            recommendations::created_by.eq(&scope.user_id),
            recommendations::created_at.eq(now),
            recommendations::updated_at.eq(now),
        ))
        .execute(conn)?;
    bump(conn, &row, None)?;
    let rec = store::find_recommendation(conn, id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "recommendation",
        id,
        None,
        Some(&serde_json::to_value(&rec).unwrap_or_default()),
    )?;
    changes::record(conn, "recommendation", id, keys(&row), false)?;
    Ok(rec)
}

/// Changes a recommendation. Its content only while the inspection is editable; its
/// follow-up status at any time, by the team's lead or an administrator (follow-up happens
/// after approval).
pub fn update_recommendation(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    r: &RecommendationInput,
    expected_version: Option<i64>,
) -> Result<RecommendationRow, DomainError> {
    let rec = store::find_recommendation(conn, id)?.ok_or(DomainError::NotFound)?;
    let (row, round_status) = visible_for_write(conn, scope, &rec.inspection_id)?;
    let standing = writer(scope, &row, &round_status)?;
    DomainError::check_version(expected_version, rec.version)?;
    let only_follow_up = r.content.is_none()
        && r.responsible_unit_id.is_none()
        && r.responsible.is_none()
        && r.due_on.is_none();
    if only_follow_up {
        if standing == Standing::Member && !status_of(&row).editable() {
            return Err(DomainError::Forbidden);
        }
    } else {
        editable(&row)?;
    }
    check_recommendation(conn, r, false)?;
    diesel::update(recommendations::table.find(id))
        .set((
            recommendations::content.eq(r
                .content
                .as_deref()
                .map(str::trim)
                .unwrap_or(&rec.content)),
            recommendations::responsible_unit_id.eq(r
                .responsible_unit_id
                .clone()
                .or(rec.responsible_unit_id.clone())),
            recommendations::responsible.eq(r.responsible.clone().or(rec.responsible.clone())),
            recommendations::due_on.eq(r.due_on.or(rec.due_on)),
            recommendations::follow_up.eq(r.follow_up.as_deref().unwrap_or(&rec.follow_up)),
            recommendations::version.eq(rec.version + 1),
            recommendations::updated_at.eq(db::now()),
        ))
        .execute(conn)?;
    let new = store::find_recommendation(conn, id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "update",
        "recommendation",
        id,
        Some(&serde_json::to_value(&rec).unwrap_or_default()),
        Some(&serde_json::to_value(&new).unwrap_or_default()),
    )?;
    changes::record(conn, "recommendation", id, keys(&row), false)?;
    Ok(new)
}

/// Adds a comment on the inspection or one of its items, in any state (review is a
/// conversation). Viewers only read. Idempotent by id.
pub fn add_comment(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    inspection_id: &str,
    id: &str,
    item_id: Option<&str>,
    body: &str,
) -> Result<store::CommentRow, DomainError> {
    let (row, _) = visible(conn, scope, inspection_id)?;
    if scope.standing(&row.team_id).is_none() {
        return Err(if scope.role == Role::Viewer {
            DomainError::Forbidden
        } else {
            DomainError::NotFound
        });
    }
    if let Some(existing) = store::find_comment(conn, id)? {
        return if existing.inspection_id == inspection_id {
            Ok(existing)
        } else {
            Err(DomainError::id_taken())
        };
    }
    let mut f = Faults::default();
    let body = f.text("/body", body, 10_000);
    if let Some(item) = item_id {
        if template_of(conn, &row)?.item(item).is_none() {
            f.push(
                "/item_id",
                "unknown_item",
                format!("The checklist has no item `{item}`."),
                format!("Phiếu không có mục `{item}`."),
            );
        }
    }
    f.finish()?;
    diesel::insert_into(comments::table)
        .values((
            comments::id.eq(id),
            comments::inspection_id.eq(inspection_id),
            comments::item_id.eq(item_id),
            comments::author_id.eq(&scope.user_id),
            comments::body.eq(&body),
            comments::version.eq(1),
            comments::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    let c = store::find_comment(conn, id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "comment",
        id,
        None,
        Some(&serde_json::to_value(&c).unwrap_or_default()),
    )?;
    changes::record(conn, "comment", id, keys(&row), false)?;
    Ok(c)
}
