//! Sở Nội vụ's due dates: the year's, per kind, and a unit's own where it must differ.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::kind::Kind;
use super::service::Dues;
use super::store;
use crate::audit::{self, Actor};
use crate::db::DbConn;
use crate::domain::DomainError;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ObligationDueDate)]
pub struct DueDate {
    pub kind: Kind,
    pub kind_label: String,
    pub due_on: NaiveDate,
    /// No date set for the year: the documented default applies.
    pub default: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ObligationDueOverride)]
pub struct DueOverride {
    pub unit_id: String,
    pub kind: Kind,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ObligationDueSettings)]
pub struct DueSettings {
    pub year: i32,
    pub due_dates: Vec<DueDate>,
    pub overrides: Vec<DueOverride>,
}

/// The year's due dates to set; kinds left out keep theirs.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SetObligationDueDates)]
pub struct SetDueDates {
    pub programme: Option<NaiveDate>,
    pub half_year: Option<NaiveDate>,
    pub year: Option<NaiveDate>,
    pub dan_van_article: Option<NaiveDate>,
}

impl SetDueDates {
    pub fn pairs(&self) -> Vec<(Kind, NaiveDate)> {
        [
            (Kind::Programme, self.programme),
            (Kind::HalfYear, self.half_year),
            (Kind::Year, self.year),
            (Kind::DanVanArticle, self.dan_van_article),
        ]
        .into_iter()
        .filter_map(|(k, d)| Some((k, d?)))
        .collect()
    }
}

/// A unit's own due date; `due_on: null` removes it (the year's applies again).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SetObligationDueOverride)]
pub struct SetOverride {
    pub kind: Kind,
    pub due_on: Option<NaiveDate>,
}

pub fn settings(conn: &mut DbConn, year: i32) -> Result<DueSettings, DomainError> {
    let dues = Dues::load(conn, year)?;
    let due_dates = Kind::ALL
        .into_iter()
        .filter_map(|k| {
            Some(DueDate {
                kind: k,
                kind_label: k.label().to_owned(),
                due_on: dues.of_year(k)?,
                default: !dues.set.contains_key(&k),
            })
        })
        .collect();
    let mut overrides: Vec<DueOverride> = dues
        .own
        .iter()
        .map(|((u, k), d)| DueOverride {
            unit_id: u.clone(),
            kind: *k,
            due_on: *d,
        })
        .collect();
    overrides.sort_by(|a, b| (&a.unit_id, a.kind).cmp(&(&b.unit_id, b.kind)));
    Ok(DueSettings {
        year,
        due_dates,
        overrides,
    })
}

/// [`settings`] as `scope` may read them: a lead sees the own due dates of the units in their
/// teams' reach only (another team's units are not theirs to know of).
pub fn settings_for(
    conn: &mut DbConn,
    scope: &crate::scope::Scope,
    year: i32,
) -> Result<DueSettings, DomainError> {
    let mut s = settings(conn, year)?;
    if let Some(units) = super::service::reach(conn, scope)? {
        s.overrides.retain(|o| units.contains(&o.unit_id));
    }
    Ok(s)
}

/// A due date belongs to its year or the next (a year report may be due in January).
pub fn check_date(year: i32, kind: Kind, d: NaiveDate) -> Result<(), DomainError> {
    if d.year() == year || d.year() == year + 1 {
        return Ok(());
    }
    Err(DomainError::invalid(
        &format!("/{}", kind.as_str()),
        "due_date_out_of_year",
        format!("The due date must fall in {year} or {}.", year + 1),
        format!("Hạn nộp phải thuộc năm {year} hoặc {}.", year + 1),
    ))
}

pub fn check_settings_year(year: i32) -> Result<(), DomainError> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(DomainError::NotFound)
    }
}

pub fn set_year(
    conn: &mut DbConn,
    actor: &Actor,
    year: i32,
    body: &SetDueDates,
) -> Result<DueSettings, DomainError> {
    let pairs = body.pairs();
    for (k, d) in &pairs {
        check_date(year, *k, *d)?;
    }
    let before = settings(conn, year)?;
    let user = actor.user_id.clone().unwrap_or_default();
    for (k, d) in &pairs {
        store::set_due(conn, year, k.as_str(), *d, &user)?;
    }
    let after = settings(conn, year)?;
    audit::append(
        conn,
        actor,
        "update",
        "report_due_dates",
        &year.to_string(),
        Some(&json!(before.due_dates)),
        Some(&json!(after.due_dates)),
    )?;
    Ok(after)
}

pub fn set_unit(
    conn: &mut DbConn,
    actor: &Actor,
    year: i32,
    unit_id: &str,
    body: &SetOverride,
) -> Result<DueSettings, DomainError> {
    use crate::db::schema::units;
    use diesel::prelude::*;
    let exists: i64 = units::table
        .filter(units::id.eq(unit_id))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        return Err(DomainError::NotFound);
    }
    if let Some(d) = body.due_on {
        check_date(year, body.kind, d)?;
    }
    let user = actor.user_id.clone().unwrap_or_default();
    let was = Dues::load(conn, year)?
        .own
        .get(&(unit_id.to_owned(), body.kind))
        .copied();
    store::set_override(conn, year, body.kind.as_str(), unit_id, body.due_on, &user)?;
    // The date it replaced too: the trail tells who moved a unit's deadline from what to what.
    audit::append(
        conn,
        actor,
        "update",
        "report_due_override",
        unit_id,
        Some(&json!({"year": year, "kind": body.kind.as_str(), "due_on": was})),
        Some(&json!({"year": year, "kind": body.kind.as_str(), "due_on": body.due_on})),
    )?;
    settings(conn, year)
}
