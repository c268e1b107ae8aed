//! After the engine: the device learns the outcome of its push. WatermelonDB marks every
//! pushed record synced once the push answers 200, so a record whose value did not become
//! current (refused, or the losing side of a concurrent edit) would otherwise stay on the
//! device as if saved. Its change-log head moves instead, so the next pull sends the row with
//! the server's values; a row the server does not have (a refused creation), or that the
//! pushing user may not see, gets a tombstone for that user, so the next pull deletes it.

use std::collections::HashSet;

use super::table_of;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::service as inspections;
use crate::inspections::store::{self as istore, InspectionRow};
use crate::scope::Scope;
use crate::sync::log;
use crate::sync::push::{MutationResult, Status};

/// Whether the device's value is the server's now.
fn landed(r: &MutationResult) -> bool {
    match r.status {
        Status::Applied | Status::Merged => true,
        Status::Conflict => r.device_won == Some(true),
        Status::Rejected => false,
    }
}

/// Makes the next pull bring the server's state of every row whose push did not land.
pub(super) fn settle(
    conn: &mut DbConn,
    scope: &Scope,
    results: &[MutationResult],
) -> Result<(), DomainError> {
    let mut seen = HashSet::new();
    let mut resend: Vec<(&str, &str, InspectionRow)> = Vec::new();
    for r in results {
        let (entity, id) = (r.entity.as_str(), r.id.as_str());
        if landed(r) || table_of(entity).is_none() || !seen.insert((entity, id)) {
            continue;
        }
        match readable_owner(conn, scope, entity, id)? {
            Some(row) => resend.push((entity, id, row)),
            None => log::exit(conn, std::slice::from_ref(&scope.user_id), entity, id)?,
        }
    }
    if resend.is_empty() {
        return Ok(());
    }
    let changes: Vec<log::Change<'_>> = resend
        .iter()
        .map(|(entity, id, row)| log::Change {
            entity,
            entity_id: id,
            keys: inspections::keys(row),
            deleted: false,
        })
        .collect();
    log::record_many(conn, &changes)?;
    Ok(())
}

/// The inspection a row belongs to, if the row exists and the caller may see it.
fn readable_owner(
    conn: &mut DbConn,
    scope: &Scope,
    entity: &str,
    id: &str,
) -> Result<Option<InspectionRow>, DomainError> {
    let inspection_id = match entity {
        "inspection" => Some(id.to_owned()),
        "answer" => match id.split_once('/') {
            Some((iid, item)) => istore::answer_row(conn, iid, item)?.map(|_| iid.to_owned()),
            None => None,
        },
        "recommendation" => istore::find_recommendation(conn, id)?.map(|r| r.inspection_id),
        "comment" => istore::find_comment(conn, id)?.map(|c| c.inspection_id),
        "evidence" => crate::media::store::find(conn, id)?.map(|e| e.inspection_id),
        _ => None,
    };
    let Some(iid) = inspection_id else {
        return Ok(None);
    };
    match inspections::visible(conn, scope, &iid) {
        Ok((row, _)) => Ok(Some(row)),
        Err(DomainError::Db(e)) => Err(DomainError::Db(e)),
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_values_that_became_current_have_landed() {
        let r = |status: &str, device_won: Option<bool>| {
            let mut r: MutationResult = serde_json::from_value(serde_json::json!({
                "mutation_id": "m", "status": status, "entity": "answer", "id": "i/b"
            }))
            .unwrap();
            r.device_won = device_won;
            r
        };
        assert!(landed(&r("applied", None)));
        assert!(landed(&r("merged", None)));
        assert!(landed(&r("conflict", Some(true))));
        assert!(!landed(&r("conflict", Some(false))));
        assert!(!landed(&r("conflict", None)));
        assert!(!landed(&r("rejected", None)));
    }
}
