//! Who may read and write an issuer's document settings, and the letterhead and report a
//! document of that issuer is made from.
//!
//! Sở Nội vụ's and the committee's settings are administrators' to write (viewers read them);
//! a team's are its lead's (and administrators') to write, and anyone's who sees the team to
//! read, as the rest of its work. Callers who see the round but have no say get 403, those
//! who do not see it 404, as elsewhere in the reports API.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::issuer::{self, DocKind, Issuer, Letterhead, Settings};
use super::store::{self, SettingsRow};
use crate::audit::{self, Actor};
use crate::db::schema::{assignments, teams, users};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::workflow::Standing;
use crate::reports::service::{self as reports, Report};
use crate::reports::{answer_sheet, store as loaded, summary};
use crate::role::Role;
use crate::rounds::store::RoundRow;
use crate::scope::Scope;

/// What the caller means to do with an issuer's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Download its documents.
    Export,
    /// Read its settings.
    Read,
    /// Change its settings.
    Write,
}

fn assigned(conn: &mut DbConn, round_id: &str, team_id: &str) -> QueryResult<bool> {
    let n: i64 = assignments::table
        .filter(assignments::round_id.eq(round_id))
        .filter(assignments::team_id.eq(team_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The round, if `scope` may `use` the documents of `issuer` in it (`None`: the command line).
pub fn access(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
    issuer: &Issuer,
    use_: Use,
) -> Result<RoundRow, DomainError> {
    let (round, _) = reports::in_view(conn, scope, round_id)?;
    let Some(scope) = scope else {
        return Ok(round);
    };
    match issuer {
        Issuer::Snv | Issuer::Bcd => match (use_, scope.role) {
            (_, Role::Admin) | (Use::Export | Use::Read, Role::Viewer) => Ok(round),
            _ => Err(DomainError::Forbidden),
        },
        Issuer::Team(team) => {
            if !assigned(conn, round_id, team)? || !scope.sees(team, &round.status) {
                return Err(DomainError::NotFound);
            }
            match (use_, scope.standing(team)) {
                (Use::Export | Use::Read, _) | (_, Some(Standing::Lead | Standing::Admin)) => {
                    Ok(round)
                }
                _ => Err(DomainError::Forbidden),
            }
        }
    }
}

/// The team's name and its lead's full name.
pub fn team_names(conn: &mut DbConn, team_id: &str) -> QueryResult<Option<(String, String)>> {
    teams::table
        .inner_join(users::table.on(users::id.eq(teams::lead_id)))
        .filter(teams::id.eq(team_id))
        .select((teams::name, users::full_name))
        .first(conn)
        .optional()
}

pub fn stored(
    conn: &mut DbConn,
    round_id: &str,
    issuer: &Issuer,
) -> QueryResult<Option<SettingsRow>> {
    store::find(conn, round_id, &issuer.key())
}

/// The letterhead of a `kind` document of `issuer` in the round.
pub fn letterhead(
    conn: &mut DbConn,
    round_id: &str,
    issuer: &Issuer,
    kind: DocKind,
    today: NaiveDate,
) -> Result<Letterhead, DomainError> {
    let s = stored(conn, round_id, issuer)?
        .map(|r| r.settings())
        .unwrap_or_default();
    let team = match issuer.team_id() {
        Some(t) => team_names(conn, t)?,
        None => None,
    };
    let team = team.as_ref().map(|(n, l)| (n.as_str(), l.as_str()));
    Ok(issuer::resolve(issuer, kind, &s, team, today))
}

/// Replaces the issuer's settings; `expected_version` 0 for the first write.
pub fn put(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    round_id: &str,
    issuer: &Issuer,
    s: &Settings,
    expected_version: Option<i64>,
) -> Result<(), DomainError> {
    access(conn, Some(scope), round_id, issuer, Use::Write)?;
    let cur = stored(conn, round_id, issuer)?;
    DomainError::check_version(expected_version, cur.as_ref().map_or(0, |c| c.version))?;
    let before = cur.as_ref().map(|c| audit_json(&c.settings()));
    store::save(
        conn,
        cur.as_ref(),
        round_id,
        &issuer.key(),
        issuer.team_id(),
        s,
        &scope.user_id,
    )?;
    audit::append(
        conn,
        actor,
        if cur.is_some() { "update" } else { "create" },
        "document_settings",
        &format!("{round_id}/{}", issuer.key()),
        before.as_ref(),
        Some(&audit_json(s)),
    )?;
    Ok(())
}

fn audit_json(s: &Settings) -> serde_json::Value {
    serde_json::json!({
        "parent_body": s.parent_body, "issuer_name": s.issuer_name, "number": s.number,
        "issued_on": s.issued_on, "place": s.place, "signer_authority": s.signer_authority,
        "signer_title": s.signer_title, "signer_name": s.signer_name, "recipients": s.recipients,
    })
}

/// The report `issuer` signs: every team the caller sees for Sở Nội vụ and the committee,
/// the team's own units for a team.
pub fn report(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
    issuer: &Issuer,
    issued_on: NaiveDate,
) -> Result<(RoundRow, Report), DomainError> {
    let round = access(conn, scope, round_id, issuer, Use::Export)?;
    let Some(team) = issuer.team_id() else {
        let r = reports::report(conn, scope, round_id, issued_on)?;
        return Ok((round, r));
    };
    // As `reports::report` does, over the one team.
    let l = loaded::load(conn, &round, Some(&[team.to_owned()]))?;
    let s = summary::compile(&summary::Inputs {
        round: &l.round,
        template: &l.template,
        units: &l.units,
        recommendations: &l.recommendations,
        lead_recommendations: &l.lead_recommendations,
        conclusions: &l.conclusions,
    });
    let mut answers = Vec::new();
    for u in &l.units {
        let approved = u.inspection.as_ref().filter(|x| x.approved());
        if let Some(a) = approved.and_then(|x| l.answers.get(&x.id)) {
            answers.extend(answer_sheet::lines(&l.template, u, a));
        }
    }
    let checklist = l.template.title.clone();
    let extra = crate::reports::extra::gather(conn, &round, Some(&[team.to_owned()]))?;
    let r = Report {
        summary: s,
        checklist,
        answers,
        issued_on,
        extra,
    };
    Ok((round, r))
}

/// The issuer a caller's export is signed by when the request names none: Sở Nội vụ for
/// those who see every team, else the caller's first team in the round.
pub fn default_issuer(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
) -> Result<Issuer, DomainError> {
    let Some(scope) = scope.filter(|s| !s.sees_all()) else {
        return Ok(Issuer::Snv);
    };
    let (_, teams) = reports::in_view(conn, Some(scope), round_id)?;
    let first = teams.and_then(|t| t.into_iter().min());
    Ok(first.map_or(Issuer::Snv, Issuer::Team))
}

/// What a round's report document is made of: the issuer's letterhead, the plan the round
/// carries out, and the report over the issuer's units, dated as the letterhead is.
pub struct RoundDocument {
    pub letterhead: Letterhead,
    pub plan: super::nd30::Plan,
    pub report: Report,
}

/// The round's report as `issuer` (default: [`default_issuer`]) signs it.
pub fn round_document(
    conn: &mut DbConn,
    scope: Option<&Scope>,
    round_id: &str,
    issuer: Option<Issuer>,
    today: NaiveDate,
) -> Result<RoundDocument, DomainError> {
    let issuer = match issuer {
        Some(i) => i,
        None => default_issuer(conn, scope, round_id)?,
    };
    access(conn, scope, round_id, &issuer, Use::Export)?;
    let letterhead = letterhead(conn, round_id, &issuer, DocKind::Report, today)?;
    let (round, report) = report(conn, scope, round_id, &issuer, letterhead.date)?;
    Ok(RoundDocument {
        letterhead,
        plan: super::nd30::Plan {
            number: round.plan_number,
            date: round.plan_date,
        },
        report,
    })
}
