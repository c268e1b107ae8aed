//! Self-assessment rules: who reaches which unit's self-assessment, filling it with the
//! round's own checklist (the inspection's validation and scoring, reused), submitting it, and
//! the comparison with the inspection. Each function runs inside the caller's transaction and
//! audits what it changes.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::compare::{compare, Comparison};
use super::store::{self, SelfRow};
use crate::audit::{self, Actor};
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::role::Role;
use crate::rounds::store::{self as rounds, RoundRow};
use crate::scope::Scope;
use crate::templates::answers::{check_answers, check_submission};
use crate::templates::model::{Answer, Answers, Template};
use crate::templates::scoring::score;

/// A unit's self-assessment for a round, as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SelfAssessmentView {
    /// `null` until the unit saves its first answer.
    pub id: Option<String>,
    pub round_id: String,
    pub round_name: String,
    /// The round's status: answers change only while it is `open`.
    pub round_status: String,
    pub unit_id: String,
    pub unit_name: String,
    /// The round's checklist version: the one the team inspects with.
    pub template_version_id: String,
    /// `not_started`, `draft` or `submitted`.
    pub status: String,
    /// The self-score, by the checklist's own scoring.
    pub score: Option<f64>,
    pub band: Option<String>,
    #[serde(serialize_with = "crate::time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub submitted_at: Option<NaiveDateTime>,
    /// 0 until the first answer; send it back as `version` to refuse stale writes.
    pub version: i64,
    /// Answers by item id (`{"value": …}` or `{"na": true}`). Readers other than the unit see
    /// them once it has submitted.
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, Value>,
    /// Evidence files by item id (PDF, DOCX, photos), shown as the answers are.
    pub files: BTreeMap<String, Vec<crate::attachments::listing::FileView>>,
}

/// The round and the unit, when the caller may read that unit's self-assessment: the unit's
/// own representative, administrators and viewers, and the team assigned to the unit in that
/// round (by the same rule as its inspections). Anyone else: not found.
pub(crate) fn reach(
    conn: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    unit_id: &str,
) -> Result<RoundRow, DomainError> {
    let round = rounds::find(conn, round_id)?.ok_or(DomainError::NotFound)?;
    let assignment = rounds::assignment(conn, round_id, unit_id)?.ok_or(DomainError::NotFound)?;
    let allowed = match scope.role {
        // Planned rounds are not announced to units yet.
        Role::Unit => scope.unit_id.as_deref() == Some(unit_id) && round.status != "planned",
        _ => scope.sees(&assignment.team_id, &round.status),
    };
    if !allowed {
        return Err(DomainError::NotFound);
    }
    Ok(round)
}

/// The unit of a unit's representative; anyone else has none here (not found).
fn own_unit(scope: &Scope) -> Result<String, DomainError> {
    match (scope.role, &scope.unit_id) {
        (Role::Unit, Some(u)) => Ok(u.clone()),
        _ => Err(DomainError::NotFound),
    }
}

pub(crate) fn template(conn: &mut DbConn, version_id: &str) -> Result<Template, DomainError> {
    Ok(crate::templates::service::published_template(conn, version_id)?.1)
}

fn view(
    conn: &mut DbConn,
    round: &RoundRow,
    unit_id: &str,
    row: Option<&SelfRow>,
    show_draft: bool,
) -> Result<SelfAssessmentView, DomainError> {
    use crate::db::schema::units;
    let unit_name: String = units::table.find(unit_id).select(units::name).first(conn)?;
    let visible = row.filter(|r| show_draft || r.status == "submitted");
    let answers = match visible {
        Some(r) => store::answers_of(&store::answer_rows(conn, &r.id)?)
            .into_iter()
            .map(|(k, a)| (k, json!(a)))
            .collect(),
        None => BTreeMap::new(),
    };
    let files = match visible {
        Some(r) => super::files::of_assessment(conn, &r.id)?,
        None => BTreeMap::new(),
    };
    Ok(SelfAssessmentView {
        id: row.map(|r| r.id.clone()),
        round_id: round.id.clone(),
        round_name: round.name.clone(),
        round_status: round.status.clone(),
        unit_id: unit_id.to_owned(),
        unit_name,
        template_version_id: row.map_or(round.template_version_id.clone(), |r| {
            r.template_version_id.clone()
        }),
        status: row.map_or("not_started".into(), |r| r.status.clone()),
        score: visible.and_then(|r| r.score),
        band: visible.and_then(|r| r.band.clone()),
        submitted_at: row.and_then(|r| r.submitted_at),
        version: row.map_or(0, |r| r.version),
        answers,
        files,
    })
}

/// The caller's own unit's self-assessment for a round (unit representatives only).
pub fn get_own(
    conn: &mut DbConn,
    scope: &Scope,
    round_id: &str,
) -> Result<SelfAssessmentView, DomainError> {
    let unit = own_unit(scope)?;
    let round = reach(conn, scope, round_id, &unit)?;
    let row = store::find(conn, round_id, &unit)?;
    view(conn, &round, &unit, row.as_ref(), true)
}

/// A unit's self-assessment for a round, for those who may read it (see [`reach`]). Its
/// answers show once the unit has submitted it, except to the unit itself.
pub fn get_for(
    conn: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    unit_id: &str,
) -> Result<SelfAssessmentView, DomainError> {
    let round = reach(conn, scope, round_id, unit_id)?;
    let row = store::find(conn, round_id, unit_id)?;
    view(
        conn,
        &round,
        unit_id,
        row.as_ref(),
        scope.role == Role::Unit,
    )
}

/// The rounds in which the caller's unit is assigned and that are under way or done, newest
/// first, with the state of the unit's self-assessment in each.
pub fn list_own(conn: &mut DbConn, scope: &Scope) -> Result<Vec<SelfAssessmentView>, DomainError> {
    use crate::db::schema::{assignments, rounds as r};
    let unit = own_unit(scope)?;
    let ids: Vec<String> = assignments::table
        .inner_join(r::table)
        .filter(assignments::unit_id.eq(&unit))
        .filter(r::status.ne("planned"))
        .order(r::starts_on.desc())
        .select(r::id)
        .load(conn)?;
    ids.iter().map(|id| get_own(conn, scope, id)).collect()
}

/// The row to write to: the unit's own, in an open round, still a draft; made on first use.
pub(crate) fn writable(
    conn: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    expected_version: Option<i64>,
) -> Result<(RoundRow, SelfRow), DomainError> {
    let unit = own_unit(scope)?;
    let round = reach(conn, scope, round_id, &unit)?;
    if round.status != "open" {
        return Err(DomainError::conflict(
            "round_not_open",
            "The round is not open; the self-assessment cannot change.",
            "Đợt kiểm tra không ở trạng thái mở; không thể sửa phiếu tự kiểm tra.",
        ));
    }
    let made = store::find(conn, round_id, &unit)?.is_none() && {
        let (id, now) = (db::new_id(), db::now());
        store::insert_draft(conn, &id, round_id, &unit, &round.template_version_id, now)?
    };
    let row = store::find(conn, round_id, &unit)?.ok_or(DomainError::NotFound)?;
    store::lock(conn, &row.id)?;
    let row = store::find(conn, round_id, &unit)?.ok_or(DomainError::NotFound)?;
    if row.status != "draft" {
        return Err(DomainError::conflict(
            "self_assessment_submitted",
            "The self-assessment is submitted and can no longer change.",
            "Phiếu tự kiểm tra đã gửi, không thể sửa nữa.",
        ));
    }
    // A client that saw no row sends 0 (or nothing): that holds only if this call made it.
    // Another tab's first save made it meanwhile, and this one would overwrite that unseen.
    if !(made && expected_version == Some(0)) {
        DomainError::check_version(expected_version, row.version)?;
    }
    Ok((round, row))
}

/// Saves one answer (`value: null` clears it), checked as an inspection's answers are (type,
/// options, ranges, visibility), and rescored.
pub fn save_answer(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    round_id: &str,
    item_id: &str,
    answer: Answer,
    expected_version: Option<i64>,
) -> Result<SelfAssessmentView, DomainError> {
    let (round, row) = writable(conn, scope, round_id, expected_version)?;
    let t = template(conn, &row.template_version_id)?;
    let current = store::answers_of(&store::answer_rows(conn, &row.id)?);
    let mut merged = current.clone();
    merged.insert(item_id.to_owned(), answer.clone());
    let changed: Answers = [(item_id.to_owned(), answer.clone())].into();
    let faults = check_answers(&t, &changed, &merged);
    if !faults.is_empty() {
        return Err(DomainError::Invalid(faults));
    }
    let user = actor.user_id.clone().unwrap_or_default();
    let now = db::now();
    store::write_answer(conn, &row.id, item_id, &answer, &user, now)?;
    let r = score(&t, &merged);
    store::bump(conn, &row, r.score, r.band.map(|b| b.code), None, now)?;
    audit::append(
        conn,
        actor,
        "answer",
        "self_assessment",
        &row.id,
        Some(&json!({ item_id: current.get(item_id) })),
        Some(&json!({ item_id: answer })),
    )?;
    get_for(conn, scope, &round.id, &row.unit_id)
}

/// Submits the self-assessment: every required visible item answered. Evidence rules are not
/// applied (a self-assessment has no photos yet: docs/self-assessment.md).
pub fn submit(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    round_id: &str,
    expected_version: Option<i64>,
) -> Result<SelfAssessmentView, DomainError> {
    let unit = own_unit(scope)?;
    reach(conn, scope, round_id, &unit)?;
    if let Some(row) = store::find(conn, round_id, &unit)? {
        // The same submit again, after its answer was lost: what it did, not a refusal.
        if row.status == "submitted" && expected_version.is_some_and(|v| v + 1 == row.version) {
            return get_for(conn, scope, round_id, &unit);
        }
    }
    let (round, row) = writable(conn, scope, round_id, expected_version)?;
    let t = template(conn, &row.template_version_id)?;
    let answers = store::answers_of(&store::answer_rows(conn, &row.id)?);
    let faults: Vec<_> = check_submission(&t, &answers, &Default::default())
        .into_iter()
        .filter(|f| !f.code.starts_with("evidence"))
        .collect();
    if !faults.is_empty() {
        return Err(DomainError::Invalid(faults));
    }
    let r = score(&t, &answers);
    let user = actor.user_id.clone().unwrap_or_default();
    store::bump(
        conn,
        &row,
        r.score,
        r.band.map(|b| b.code),
        Some(&user),
        db::now(),
    )?;
    audit::append(
        conn,
        actor,
        "submit",
        "self_assessment",
        &row.id,
        Some(&json!({"status": row.status, "version": row.version})),
        Some(&json!({"status": "submitted", "score": r.score})),
    )?;
    // The visiting team's devices get it now (docs/sync.md).
    super::sync::announce(conn, &round.id, &row.unit_id)?;
    get_for(conn, scope, &round.id, &row.unit_id)
}

/// The unit's submitted answers beside an inspection's, for whoever may read the inspection.
pub fn side_by_side(
    conn: &mut DbConn,
    scope: &Scope,
    inspection_id: &str,
) -> Result<Comparison, DomainError> {
    let (row, _) = crate::inspections::service::visible(conn, scope, inspection_id)?;
    let (inspected, _) = crate::inspections::service::report(conn, &row)?;
    let t = crate::inspections::service::template_of(conn, &row)?;
    let mine = match store::find(conn, &row.round_id, &row.unit_id)? {
        Some(s) if s.status == "submitted" => {
            Some(store::answers_of(&store::answer_rows(conn, &s.id)?))
        }
        _ => None,
    };
    Ok(compare(&t, mine.as_ref(), &inspected))
}
