//! The lead's compilation: a team's conclusion (kết luận) for the round, and report
//! recommendations that reword, group or merge the inspectors' ones. They are rows of their
//! own, audited; the inspectors' records are never changed. Only the team's lead and
//! administrators write them; viewers and members are refused (403), other teams' people
//! told nothing exists (404).

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor};
use crate::db::schema::{
    assignments, inspections, recommendations, report_conclusions, report_recommendations,
};
use crate::db::{self, DbConn};
use crate::domain::{DomainError, Faults};
use crate::inspections::workflow::Standing;
use crate::rounds::store as rounds;
use crate::scope::Scope;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = report_conclusions)]
pub struct ConclusionRow {
    pub id: String,
    pub round_id: String,
    pub team_id: String,
    /// Kết luận.
    pub body: String,
    pub version: i64,
    pub updated_by: String,
    #[serde(serialize_with = "crate::time::utc")]
    pub created_at: chrono::NaiveDateTime,
    #[serde(serialize_with = "crate::time::utc")]
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = report_recommendations)]
pub struct ReportRecommendationRow {
    pub id: String,
    pub round_id: String,
    pub team_id: String,
    /// JSON array of the inspectors' recommendation ids this row stands for.
    #[serde(skip)]
    pub replaces: String,
    pub grouping: Option<String>,
    pub content: String,
    pub responsible_unit_id: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub version: i64,
    pub created_by: String,
    #[serde(serialize_with = "crate::time::utc")]
    pub created_at: chrono::NaiveDateTime,
    #[serde(serialize_with = "crate::time::utc")]
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Default)]
pub struct ReportRecommendationInput {
    pub replaces: Option<Vec<String>>,
    pub grouping: Option<Option<String>>,
    pub content: Option<String>,
    pub responsible_unit_id: Option<Option<String>>,
    pub responsible: Option<Option<String>>,
    pub due_on: Option<Option<NaiveDate>>,
}

/// Whether the caller may write `team_id`'s conclusion and report recommendations in the
/// round: they lead it (or administer). Not found when they do not see it, forbidden when they
/// see it but have no say; the web page asks it to decide which forms to show.
pub fn lead_of(
    conn: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    team_id: &str,
) -> Result<(), DomainError> {
    let round = rounds::find(conn, round_id)?.ok_or(DomainError::NotFound)?;
    let assigned: i64 = assignments::table
        .filter(assignments::round_id.eq(round_id))
        .filter(assignments::team_id.eq(team_id))
        .count()
        .get_result(conn)?;
    if assigned == 0 || !scope.sees(team_id, &round.status) {
        return Err(DomainError::NotFound);
    }
    match scope.standing(team_id) {
        Some(Standing::Lead | Standing::Admin) => Ok(()),
        _ => Err(DomainError::Forbidden),
    }
}

pub fn find_conclusion(
    conn: &mut DbConn,
    round_id: &str,
    team_id: &str,
) -> QueryResult<Option<ConclusionRow>> {
    report_conclusions::table
        .filter(report_conclusions::round_id.eq(round_id))
        .filter(report_conclusions::team_id.eq(team_id))
        .select(ConclusionRow::as_select())
        .first(conn)
        .optional()
}

fn conclusion_json(c: &ConclusionRow) -> serde_json::Value {
    json!({"round_id": c.round_id, "team_id": c.team_id, "body": c.body, "version": c.version})
}

/// Writes (creates or replaces) the team's conclusion for the round.
pub fn put_conclusion(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    round_id: &str,
    team_id: &str,
    body: &str,
    expected_version: Option<i64>,
) -> Result<ConclusionRow, DomainError> {
    lead_of(conn, scope, round_id, team_id)?;
    let mut f = Faults::default();
    let body = f.text("/body", body, 50_000);
    f.finish()?;
    let now = db::now();
    let before = find_conclusion(conn, round_id, team_id)?;
    match &before {
        Some(cur) => {
            DomainError::check_version(expected_version, cur.version)?;
            diesel::update(report_conclusions::table.find(&cur.id))
                .set((
                    report_conclusions::body.eq(&body),
                    report_conclusions::version.eq(cur.version + 1),
                    report_conclusions::updated_by.eq(&scope.user_id),
                    report_conclusions::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        None => {
            DomainError::check_version(expected_version, 0)?;
            diesel::insert_into(report_conclusions::table)
                .values((
                    report_conclusions::id.eq(db::new_id()),
                    report_conclusions::round_id.eq(round_id),
                    report_conclusions::team_id.eq(team_id),
                    report_conclusions::body.eq(&body),
                    report_conclusions::version.eq(1),
                    report_conclusions::updated_by.eq(&scope.user_id),
                    report_conclusions::created_at.eq(now),
                    report_conclusions::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    let row = find_conclusion(conn, round_id, team_id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        if before.is_some() { "update" } else { "create" },
        "report_conclusion",
        &row.id,
        before.as_ref().map(conclusion_json).as_ref(),
        Some(&conclusion_json(&row)),
    )?;
    Ok(row)
}

pub fn find_recommendation(
    conn: &mut DbConn,
    id: &str,
) -> QueryResult<Option<ReportRecommendationRow>> {
    report_recommendations::table
        .find(id)
        .select(ReportRecommendationRow::as_select())
        .get_result(conn)
        .optional()
}

fn rec_json(r: &ReportRecommendationRow) -> serde_json::Value {
    let replaces: serde_json::Value = serde_json::from_str(&r.replaces).unwrap_or_default();
    json!({
        "round_id": r.round_id, "team_id": r.team_id, "replaces": replaces,
        "grouping": r.grouping, "content": r.content,
        "responsible_unit_id": r.responsible_unit_id, "responsible": r.responsible,
        "due_on": r.due_on, "version": r.version,
    })
}

/// Checks the fields and that every replaced recommendation is one the inspectors of this
/// team recorded in this round.
fn check_recommendation(
    conn: &mut DbConn,
    round_id: &str,
    team_id: &str,
    r: &ReportRecommendationInput,
    creating: bool,
) -> Result<(), DomainError> {
    let mut f = Faults::default();
    if creating || r.content.is_some() {
        f.text("/content", r.content.as_deref().unwrap_or(""), 10_000);
    }
    if let Some(Some(g)) = &r.grouping {
        f.text("/grouping", g, 300);
    }
    if let Some(Some(p)) = &r.responsible {
        f.text("/responsible", p, 300);
    }
    if let Some(Some(u)) = &r.responsible_unit_id {
        if crate::units::store::find(conn, u)?.is_none() {
            f.push(
                "/responsible_unit_id",
                "unknown_unit",
                "No such unit.",
                "Không có đơn vị này.",
            );
        }
    }
    for (i, id) in r.replaces.iter().flatten().enumerate() {
        let ok: i64 = recommendations::table
            .inner_join(inspections::table.on(inspections::id.eq(recommendations::inspection_id)))
            .filter(recommendations::id.eq(id))
            .filter(inspections::round_id.eq(round_id))
            .filter(inspections::team_id.eq(team_id))
            .count()
            .get_result(conn)?;
        if ok == 0 {
            f.push(
                &format!("/replaces/{i}"),
                "unknown_recommendation",
                "Not a recommendation of this team's inspections in this round.",
                "Không phải kiến nghị trong các phiếu của đoàn ở đợt này.",
            );
        }
    }
    f.finish()
}

fn replaces_json(ids: &[String]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

fn trimmed(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

pub fn add_recommendation(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    round_id: &str,
    team_id: &str,
    r: &ReportRecommendationInput,
) -> Result<ReportRecommendationRow, DomainError> {
    lead_of(conn, scope, round_id, team_id)?;
    check_recommendation(conn, round_id, team_id, r, true)?;
    let (id, now) = (db::new_id(), db::now());
    let mut replaces = r.replaces.clone().unwrap_or_default();
    replaces.dedup();
    diesel::insert_into(report_recommendations::table)
        .values((
            report_recommendations::id.eq(&id),
            report_recommendations::round_id.eq(round_id),
            report_recommendations::team_id.eq(team_id),
            report_recommendations::replaces.eq(replaces_json(&replaces)),
            report_recommendations::grouping.eq(r.grouping.as_ref().and_then(trimmed)),
            report_recommendations::content.eq(r.content.as_deref().unwrap_or("").trim()),
            report_recommendations::responsible_unit_id.eq(r.responsible_unit_id.clone().flatten()),
            report_recommendations::responsible.eq(r.responsible.as_ref().and_then(trimmed)),
            report_recommendations::due_on.eq(r.due_on.flatten()),
            report_recommendations::version.eq(1),
            report_recommendations::created_by.eq(&scope.user_id),
            report_recommendations::created_at.eq(now),
            report_recommendations::updated_at.eq(now),
        ))
        .execute(conn)?;
    let row = find_recommendation(conn, &id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "report_recommendation",
        &id,
        None,
        Some(&rec_json(&row)),
    )?;
    Ok(row)
}

/// The report recommendation, if the caller may change it.
fn writable(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<ReportRecommendationRow, DomainError> {
    let cur = find_recommendation(conn, id)?.ok_or(DomainError::NotFound)?;
    lead_of(conn, scope, &cur.round_id, &cur.team_id)?;
    Ok(cur)
}

pub fn update_recommendation(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    r: &ReportRecommendationInput,
    expected_version: Option<i64>,
) -> Result<ReportRecommendationRow, DomainError> {
    let cur = writable(conn, scope, id)?;
    DomainError::check_version(expected_version, cur.version)?;
    check_recommendation(conn, &cur.round_id, &cur.team_id, r, false)?;
    let replaces = match &r.replaces {
        Some(ids) => {
            let mut ids = ids.clone();
            ids.dedup();
            replaces_json(&ids)
        }
        None => cur.replaces.clone(),
    };
    diesel::update(report_recommendations::table.find(id))
        .set((
            report_recommendations::replaces.eq(replaces),
            report_recommendations::grouping.eq(match &r.grouping {
                Some(g) => trimmed(g),
                None => cur.grouping.clone(),
            }),
            report_recommendations::content.eq(r
                .content
                .as_deref()
                .map_or(cur.content.clone(), |c| c.trim().to_owned())),
            report_recommendations::responsible_unit_id.eq(r
                .responsible_unit_id
                .clone()
                .unwrap_or(cur.responsible_unit_id.clone())),
            report_recommendations::responsible.eq(match &r.responsible {
                Some(p) => trimmed(p),
                None => cur.responsible.clone(),
            }),
            report_recommendations::due_on.eq(r.due_on.unwrap_or(cur.due_on)),
            report_recommendations::version.eq(cur.version + 1),
            report_recommendations::updated_at.eq(db::now()),
        ))
        .execute(conn)?;
    let row = find_recommendation(conn, id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "update",
        "report_recommendation",
        id,
        Some(&rec_json(&cur)),
        Some(&rec_json(&row)),
    )?;
    Ok(row)
}

pub fn delete_recommendation(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
) -> Result<(), DomainError> {
    let cur = writable(conn, scope, id)?;
    diesel::delete(report_recommendations::table.find(id)).execute(conn)?;
    audit::append(
        conn,
        actor,
        "delete",
        "report_recommendation",
        id,
        Some(&rec_json(&cur)),
        None,
    )?;
    Ok(())
}
