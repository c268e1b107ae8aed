//! `GET /dot/{id}/ket-luan`: conclusions, report recommendations, document settings and
//! downloads of one round, over the teams the caller sees. It reads what `GET /rounds/{id}/
//! summary` reads (same scope check, same compilation), so the recommendations stand grouped
//! as the report prints them: by team, then by the lead's grouping, the lead's rows in place
//! of the inspectors' ones they replace.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::{downloads, settings};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::reports::conclusions;
use crate::reports::labels;
use crate::reports::service as reports;
use crate::reports::store::{self as loaded, Loaded};
use crate::reports::summary::{self, RecommendationLine, Summary};
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

/// An inspector's recommendation a lead's row may stand for.
pub struct Original {
    pub id: String,
    pub content: String,
    pub unit: String,
}

/// One line of the report's recommendations.
pub struct RecLine {
    pub id: String,
    /// The number the report's table gives it.
    pub n: usize,
    /// A lead's row (editable by the team's lead), not an inspector's own.
    pub lead: bool,
    pub content: String,
    pub unit: String,
    pub responsible: String,
    pub due: String,
    pub follow_up: &'static str,
    /// For the edit form: the lead's own words, not the responsible unit's name.
    pub grouping: String,
    pub responsible_words: String,
    pub due_iso: String,
    pub version: i64,
    /// The inspectors' recommendations the row stands for.
    pub stands_for: Vec<Original>,
}

/// Lines under one grouping (blank: none given).
pub struct RecGroup {
    pub heading: String,
    pub lines: Vec<RecLine>,
}

pub struct TeamBlock {
    pub id: String,
    pub name: String,
    /// The caller leads the team (or administers): the forms are shown.
    pub can_write: bool,
    pub conclusion: String,
    pub version: i64,
    pub updated: String,
    pub groups: Vec<RecGroup>,
    /// Approved inspections' recommendations no lead's row stands for yet.
    pub free: Vec<Original>,
}

#[derive(Template)]
#[template(path = "documents_page.html")]
pub struct DocumentsPage {
    pub layout: Layout,
    pub round_id: String,
    pub round_name: String,
    pub pending: usize,
    pub teams: Vec<TeamBlock>,
    pub settings: Vec<settings::IssuerBlock>,
    pub downloads: downloads::Links,
}

/// Whether the caller may write the team's conclusion and report recommendations: the
/// service's own rule, asked without writing.
fn may_write(
    c: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    team_id: &str,
) -> Result<bool, DomainError> {
    match conclusions::lead_of(c, scope, round_id, team_id) {
        Ok(()) => Ok(true),
        Err(DomainError::Forbidden | DomainError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The approved inspections' recommendations by id, with their unit and team.
fn originals(l: &Loaded) -> HashMap<&str, (Original, &str)> {
    let unit_of: HashMap<&str, (&str, &str)> = l
        .units
        .iter()
        .filter_map(|u| {
            let x = u.inspection.as_ref().filter(|x| x.approved())?;
            Some((x.id.as_str(), (u.name.as_str(), u.team_id.as_str())))
        })
        .collect();
    l.recommendations
        .iter()
        .filter_map(|r| {
            let (unit, team) = unit_of.get(r.inspection_id.as_str())?;
            let o = Original {
                id: r.id.clone(),
                content: r.content.clone(),
                unit: (*unit).to_owned(),
            };
            Some((r.id.as_str(), (o, *team)))
        })
        .collect()
}

fn copy(o: &Original) -> Original {
    Original {
        id: o.id.clone(),
        content: o.content.clone(),
        unit: o.unit.clone(),
    }
}

fn line(
    n: usize,
    r: &RecommendationLine,
    l: &Loaded,
    orig: &HashMap<&str, (Original, &str)>,
) -> RecLine {
    let raw = l.lead_recommendations.iter().find(|x| x.id == r.id);
    RecLine {
        id: r.id.clone(),
        n,
        lead: r.source == "lead",
        content: r.content.clone(),
        unit: r.unit_name.clone().unwrap_or_else(|| r.team_name.clone()),
        responsible: r.responsible.clone().unwrap_or_default(),
        due: r.due_on.map(format::date).unwrap_or_default(),
        follow_up: labels::follow_up(&r.follow_up),
        grouping: r.grouping.clone().unwrap_or_default(),
        responsible_words: raw.and_then(|x| x.responsible.clone()).unwrap_or_default(),
        due_iso: r.due_on.map(|d| d.to_string()).unwrap_or_default(),
        version: r.version.unwrap_or(0),
        stands_for: r
            .replaces
            .iter()
            .filter_map(|id| orig.get(id.as_str()).map(|(o, _)| copy(o)))
            .collect(),
    }
}

/// The team's lines, numbered as the report numbers them, grouped as it orders them.
fn groups(
    team_id: &str,
    s: &Summary,
    l: &Loaded,
    orig: &HashMap<&str, (Original, &str)>,
) -> Vec<RecGroup> {
    let mut out: Vec<RecGroup> = Vec::new();
    for (i, r) in s.recommendations.iter().enumerate() {
        if r.team_id != team_id {
            continue;
        }
        let heading = r.grouping.clone().unwrap_or_default();
        let line = line(i + 1, r, l, orig);
        match out.last_mut() {
            Some(g) if g.heading == heading => g.lines.push(line),
            _ => out.push(RecGroup {
                heading,
                lines: vec![line],
            }),
        }
    }
    out
}

/// The teams in view, (id, name), by name.
fn team_list(l: &Loaded) -> Vec<(String, String)> {
    let mut t: Vec<(String, String)> = Vec::new();
    for u in &l.units {
        if !t.iter().any(|(id, _)| *id == u.team_id) {
            t.push((u.team_id.clone(), u.team_name.clone()));
        }
    }
    t.sort_by(|a, b| a.1.cmp(&b.1));
    t
}

fn team_blocks(
    c: &mut DbConn,
    scope: &Scope,
    l: &Loaded,
    s: &Summary,
    teams: &[(String, String)],
) -> Result<Vec<TeamBlock>, DomainError> {
    let orig = originals(l);
    let mut out = Vec::new();
    for (id, name) in teams {
        let id = id.as_str();
        let conclusion = l.conclusions.iter().find(|c| c.team_id == id);
        let taken: Vec<&str> = s
            .recommendations
            .iter()
            .filter(|r| r.team_id == id)
            .flat_map(|r| r.replaces.iter().map(String::as_str))
            .collect();
        let mut free: Vec<&Original> = orig
            .iter()
            .filter(|(rid, (_, team))| *team == id && !taken.contains(rid))
            .map(|(_, (o, _))| o)
            .collect();
        free.sort_by(|a, b| (&a.unit, &a.content).cmp(&(&b.unit, &b.content)));
        out.push(TeamBlock {
            id: id.to_owned(),
            name: name.clone(),
            can_write: may_write(c, scope, &l.round.id, id)?,
            conclusion: conclusion.map(|c| c.body.clone()).unwrap_or_default(),
            version: conclusion.map_or(0, |c| c.version),
            updated: conclusion
                .map(|c| format::datetime(c.updated_at))
                .unwrap_or_default(),
            groups: groups(id, s, l, &orig),
            free: free.into_iter().map(copy).collect(),
        });
    }
    Ok(out)
}

fn build(
    c: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    layout: Layout,
) -> Result<DocumentsPage, WebError> {
    // As `GET /rounds/{id}/summary`: the teams in view, loaded and compiled.
    let (round, teams) = reports::in_view(c, Some(scope), round_id)?;
    let l = loaded::load(c, &round, teams.as_deref())?;
    let s = summary::compile(&summary::Inputs {
        round: &l.round,
        template: &l.template,
        units: &l.units,
        recommendations: &l.recommendations,
        lead_recommendations: &l.lead_recommendations,
        conclusions: &l.conclusions,
    });
    let team_list = team_list(&l);
    Ok(DocumentsPage {
        layout,
        round_id: round.id.clone(),
        round_name: round.name.clone(),
        pending: s.counts.pending,
        teams: team_blocks(c, scope, &l, &s, &team_list)?,
        settings: settings::blocks(c, scope, &round.id, &team_list)?,
        downloads: downloads::links(c, scope, &round.id, &team_list, &l)?,
    })
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let title = "Kết luận, văn bản và tải về";
    render::scoped_page(&req, &state, &user, title, &id, build).await
}
