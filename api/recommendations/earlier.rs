//! Re-inspection: a unit's recommendations from rounds before this one, for whoever inspects
//! it again, and for the round report.

use diesel::prelude::*;

use super::service::{items, RecommendationItem};
use super::status::{earlier, status_now};
use super::store::{self, Filter, Located};
use crate::db::schema::{assignments, rounds};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::rounds::store::RoundRow;
use crate::scope::Scope;

/// The unit's recommendations from rounds before `round` (all of them, whatever their status).
pub fn before(
    conn: &mut DbConn,
    unit_id: &str,
    round: &RoundRow,
) -> Result<Vec<Located>, DomainError> {
    let here = (round.starts_on, round.created_at, round.id.as_str());
    let filter = Filter {
        unit_id: Some(unit_id.to_owned()),
        ..Filter::default()
    };
    Ok(store::located(conn, &filter)?
        .into_iter()
        .filter(|l| earlier(l.round_key(), here))
        .collect())
}

/// The not-done recommendations of earlier rounds for the unit of inspection `id`, for anyone
/// who may read the inspection (404 otherwise).
pub fn for_inspection(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Vec<RecommendationItem>, DomainError> {
    let (row, _) = crate::inspections::service::visible(conn, scope, id)?;
    let round = crate::rounds::store::find(conn, &row.round_id)?.ok_or(DomainError::NotFound)?;
    let open: Vec<Located> = before(conn, &row.unit_id, &round)?
        .into_iter()
        .filter(|l| status_now(&l.rec.follow_up, l.rec.due_on).open())
        .collect();
    items(conn, open)
}

/// The units a round's report covers: those assigned in it to `teams` (`None`: every team).
pub fn units_of_round(
    conn: &mut DbConn,
    round_id: &str,
    teams: Option<&[String]>,
) -> QueryResult<Vec<String>> {
    let mut q = assignments::table
        .inner_join(rounds::table)
        .filter(assignments::round_id.eq(round_id))
        .select(assignments::unit_id)
        .into_boxed();
    if let Some(t) = teams {
        q = q.filter(assignments::team_id.eq_any(t.to_vec()));
    }
    q.load(conn)
}
