//! A row's current state as a device stores it, by entity name, and whether the caller may
//! read it: what pull sends, and what push answers carry in `current`.

use serde::Serialize;
use serde_json::{json, Value};

use crate::db::DbConn;
use crate::domain::DomainError;
use crate::scope::Scope;

/// An answer row as sync shows it (its id is `<inspection_id>/<item_id>`).
pub fn answer_view(r: &crate::inspections::store::AnswerRow) -> Value {
    json!({
        "id": crate::inspections::service::answer_id(&r.inspection_id, &r.item_id),
        "inspection_id": r.inspection_id, "item_id": r.item_id,
        "value": r.value.as_deref().and_then(|v| serde_json::from_str::<Value>(v).ok()),
        "na": r.na, "version": r.version, "updated_by": r.updated_by,
        "updated_at": r.updated_at.and_utc(), "hlc": r.hlc,
    })
}

/// The current state of the answers among `ids` (`<inspection_id>/<item_id>`), read together:
/// a pull page is mostly answers, and one statement per answer was most of its statements.
/// Answers that no longer exist are absent.
pub fn answers(
    conn: &mut DbConn,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, Value>, DomainError> {
    use crate::db::schema::answers as a;
    use crate::inspections::store::AnswerRow;
    use diesel::prelude::*;
    let wanted: std::collections::HashSet<&str> = ids.iter().copied().collect();
    let mut inspections: Vec<&str> = Vec::new();
    let mut items: Vec<&str> = Vec::new();
    for (inspection, item) in ids.iter().filter_map(|id| id.split_once('/')) {
        inspections.push(inspection);
        items.push(item);
    }
    for v in [&mut inspections, &mut items] {
        v.sort_unstable();
        v.dedup();
    }
    let mut found = std::collections::HashMap::with_capacity(ids.len());
    // Every answer of these inspections to these items: a superset, kept to those asked for.
    for chunk in inspections.chunks(crate::db::ROWS_PER_INSERT) {
        let rows: Vec<AnswerRow> = a::table
            .filter(a::inspection_id.eq_any(chunk))
            .filter(a::item_id.eq_any(&items))
            .select(AnswerRow::as_select())
            .load(conn)?;
        for r in rows {
            let id = crate::inspections::service::answer_id(&r.inspection_id, &r.item_id);
            if wanted.contains(id.as_str()) {
                found.insert(id, answer_view(&r));
            }
        }
    }
    Ok(found)
}

/// A row's current state; `None` if it no longer exists.
pub fn load(conn: &mut DbConn, entity: &str, id: &str) -> Result<Option<Value>, DomainError> {
    use crate::inspections::store as istore;
    Ok(match entity {
        "unit" => crate::units::store::find(conn, id)?
            .map(|r| to_json(&crate::units::model::UnitView::from(&r))),
        "team" => match crate::teams::store::find(conn, id)? {
            Some(r) => Some(to_json(&crate::teams::store::view(conn, &r)?)),
            None => None,
        },
        "template_version" => template_version(conn, id)?,
        "round" => crate::rounds::store::find(conn, id)?.map(|r| to_json(&r)),
        "assignment" => assignment(conn, id)?,
        "inspection" => istore::find(conn, id)?.map(|r| to_json(&r)),
        "answer" => {
            let Some((inspection, item)) = id.split_once('/') else {
                return Ok(None);
            };
            istore::answer_row(conn, inspection, item)?
                .as_ref()
                .map(answer_view)
        }
        "recommendation" => istore::find_recommendation(conn, id)?.map(|r| to_json(&r)),
        "comment" => istore::find_comment(conn, id)?.map(|r| to_json(&r)),
        "conflict" => crate::sync::conflicts::find(conn, id)?.map(|r| to_json(&r)),
        "evidence" => crate::media::store::find(conn, id)?.map(|r| to_json(&r)),
        "notification" => crate::notifications::store::find(conn, id)?.map(|r| to_json(&r)),
        "remedy" => crate::recommendations::store::remedy_view(conn, id)?,
        crate::recommendations::sync::ENTITY => crate::recommendations::sync::load(conn, id)?,
        crate::selfcheck::sync::ENTITY => crate::selfcheck::sync::load(conn, id)?,
        _ => None,
    })
}

/// The row's state only if the caller may read it now; `None` otherwise (or if it is gone).
/// Every push answer's `current` goes through here, so a refused mutation that names another
/// team's row learns nothing of it.
pub fn load_readable(
    conn: &mut DbConn,
    scope: &Scope,
    entity: &str,
    id: &str,
) -> Result<Option<Value>, DomainError> {
    let Some(data) = load(conn, entity, id)? else {
        return Ok(None);
    };
    let inspection = match entity {
        "inspection" => Some(id),
        "answer" | "recommendation" | "remedy" | "comment" | "evidence" | "conflict" => {
            data.get("inspection_id").and_then(Value::as_str)
        }
        // A notification is its owner's alone, whatever the caller's role.
        "notification" => {
            let mine = data.get("user_id").and_then(Value::as_str) == Some(&scope.user_id);
            return Ok(mine.then_some(data));
        }
        // The unit's, and the team's assigned to it in that round (its own rule).
        crate::selfcheck::sync::ENTITY => {
            let ok = crate::selfcheck::sync::readable(conn, scope, &data)?;
            return Ok(ok.then_some(data));
        }
        // Units and published checklists are everyone's.
        "unit" | "template_version" => return Ok(Some(data)),
        _ => return Ok(scope.sees_all().then_some(data)),
    };
    let Some(inspection) = inspection else {
        return Ok(None);
    };
    match crate::inspections::service::visible(conn, scope, inspection) {
        Ok(_) => Ok(Some(data)),
        Err(DomainError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

fn template_version(conn: &mut DbConn, id: &str) -> Result<Option<Value>, DomainError> {
    Ok(crate::templates::store::find_version(conn, id)?
        .filter(|v| v.status == "published")
        .map(|v| {
            json!({
                "id": v.id, "template_id": v.template_id, "number": v.number,
                "content_hash": v.content_hash,
                "content": serde_json::from_str::<Value>(&v.content).unwrap_or(Value::Null),
            })
        }))
}

fn assignment(conn: &mut DbConn, id: &str) -> Result<Option<Value>, DomainError> {
    use crate::db::schema::assignments;
    use diesel::prelude::*;
    Ok(assignments::table
        .find(id)
        .select(crate::rounds::store::AssignmentRow::as_select())
        .get_result(conn)
        .optional()?
        .map(|r| to_json(&r)))
}

fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
