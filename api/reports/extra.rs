//! Sections the round report gains from the plan's wider work: the earlier rounds'
//! recommendations and how far they were carried out, self-assessment beside inspection, the
//! units' điểm sáng, the reports the units owe. Each area builds its own section from the
//! database, over the teams the report covers, and the exports print them in this order after
//! the findings, numbered in turn. A section is plain data, so the exports know nothing of where it came from.

use crate::db::DbConn;
use crate::domain::DomainError;
use crate::rounds::store::RoundRow;
// The type lives below the areas that build sections; re-exported where the exports read it.
pub use crate::section::Section;

/// The sections for a round's report over `teams` (`None`: every team), in print order.
// One push per area, each on its own line, rather than one `vec![…]` all areas edit.
#[allow(clippy::vec_init_then_push)]
pub fn gather(
    conn: &mut DbConn,
    round: &RoundRow,
    teams: Option<&[String]>,
) -> Result<Vec<Section>, DomainError> {
    // Each area adds its section here, one line each.
    let mut out: Vec<Section> = Vec::new();
    out.push(crate::recommendations::report::section(conn, round, teams)?);
    out.push(crate::selfcheck::report::section(conn, round, teams)?);
    out.push(crate::brightspots::report::section(conn, round, teams)?);
    out.push(crate::obligations::report::section(conn, round, teams)?);
    Ok(out)
}
