//! Pull: the latest state of every row in the caller's scope that changed after a cursor,
//! with tombstones for deleted rows and for rows that left the caller's scope.

use diesel::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::db::schema::{change_heads, scope_exits, sync_counter};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::scope::Scope;

#[derive(Debug, Serialize, ToSchema)]
pub struct Change {
    /// Position in the change log; changes come in increasing `seq`.
    pub seq: i64,
    /// `unit`, `team`, `template_version`, `round`, `assignment`, `inspection`, `answer`,
    /// `recommendation`, `comment`, `evidence` or `conflict`.
    pub entity: String,
    /// The row's id (`<inspection id>/<item id>` for answers).
    pub id: String,
    /// A tombstone: delete the row locally (and, for a team, round or inspection, everything
    /// that belongs to it).
    pub deleted: bool,
    /// For tombstones: `deleted` or `out_of_scope`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// The row's current state; absent for tombstones.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PullPage {
    pub changes: Vec<Change>,
    /// Pass as `cursor` next time. Opaque.
    pub next_cursor: String,
    /// More changes wait: pull again at once with `next_cursor`.
    pub has_more: bool,
    pub schema_version: u32,
    /// The server's clock as an HLC, for the device to merge into its own.
    pub server_hlc: String,
}

pub const MAX_LIMIT: i64 = 5000;

fn visible_rounds(conn: &mut DbConn, scope: &Scope) -> QueryResult<Vec<String>> {
    use crate::db::schema::{assignments, rounds};
    let mut q = assignments::table
        .inner_join(rounds::table)
        .filter(assignments::team_id.eq_any(scope.team_ids.clone()))
        .select(rounds::id)
        .into_boxed();
    if scope.open_rounds_only() {
        q = q.filter(rounds::status.eq("open"));
    }
    let mut ids: Vec<String> = q.load(conn)?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// One page of changes after `cursor`, in the scope of `scope`. Run it in one read.
pub fn pull(
    conn: &mut DbConn,
    scope: &Scope,
    cursor: i64,
    limit: i64,
) -> Result<PullPage, DomainError> {
    let limit = limit.clamp(1, MAX_LIMIT);
    // The counter first: every seq at or below it is committed (commit order = seq order), so
    // reading heads up to it can never skip a change that commits later.
    let snapshot: i64 = sync_counter::table
        .find(1)
        .select(sync_counter::seq)
        .get_result(conn)?;

    let mut heads = change_heads::table
        .filter(change_heads::seq.gt(cursor))
        .filter(change_heads::seq.le(snapshot))
        .into_boxed();
    if !scope.sees_all() {
        let rounds = visible_rounds(conn, scope)?;
        heads = heads
            .filter(
                change_heads::team_id
                    .is_null()
                    .or(change_heads::team_id.eq_any(scope.team_ids.clone())),
            )
            .filter(
                change_heads::round_id
                    .is_null()
                    .or(change_heads::round_id.eq_any(rounds)),
            );
    }
    let heads: Vec<(String, String, i64, bool)> = heads
        .order(change_heads::seq.asc())
        .limit(limit + 1)
        .select((
            change_heads::entity,
            change_heads::entity_id,
            change_heads::seq,
            change_heads::deleted,
        ))
        .load(conn)?;
    let exits: Vec<(String, String, i64)> = scope_exits::table
        .filter(scope_exits::user_id.eq(&scope.user_id))
        .filter(scope_exits::seq.gt(cursor))
        .filter(scope_exits::seq.le(snapshot))
        .order(scope_exits::seq.asc())
        .limit(limit + 1)
        .select((
            scope_exits::entity,
            scope_exits::entity_id,
            scope_exits::seq,
        ))
        .load(conn)?;

    let mut merged: Vec<(i64, String, String, bool, Option<&'static str>)> = heads
        .into_iter()
        .map(|(e, id, seq, deleted)| (seq, e, id, deleted, deleted.then_some("deleted")))
        .chain(
            exits
                .into_iter()
                .map(|(e, id, seq)| (seq, e, id, true, Some("out_of_scope"))),
        )
        .collect();
    merged.sort_by_key(|m| m.0);
    let has_more = merged.len() as i64 > limit;
    merged.truncate(usize::try_from(limit).unwrap_or(0));

    let mut changes = Vec::with_capacity(merged.len());
    for (seq, entity, id, deleted, reason) in merged {
        let data = if deleted {
            None
        } else {
            load(conn, &entity, &id)?
        };
        let gone = data.is_none();
        changes.push(Change {
            seq,
            entity,
            id,
            deleted: gone,
            reason: if gone {
                reason.or(Some("deleted"))
            } else {
                None
            },
            data,
        });
    }
    let next = if has_more {
        changes.last().map_or(cursor, |c| c.seq)
    } else {
        snapshot.max(cursor)
    };
    Ok(PullPage {
        changes,
        next_cursor: next.to_string(),
        has_more,
        schema_version: super::SCHEMA_VERSION,
        server_hlc: super::hlc::Hlc::server(super::hlc::now_ms()).to_string(),
    })
}

/// A row's current state as the device stores it; `None` if it no longer exists.
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

pub fn load(conn: &mut DbConn, entity: &str, id: &str) -> Result<Option<Value>, DomainError> {
    Ok(match entity {
        "unit" => crate::units::store::find(conn, id)?.map(|r| to_json(&crate::units::model::UnitView::from(&r))),
        "team" => match crate::teams::store::find(conn, id)? {
            Some(r) => Some(to_json(&crate::teams::store::view(conn, &r)?)),
            None => None,
        },
        "template_version" => crate::templates::store::find_version(conn, id)?.filter(|v| v.status == "published").map(|v| {
            json!({
                "id": v.id, "template_id": v.template_id, "number": v.number, "content_hash": v.content_hash,
                "content": serde_json::from_str::<Value>(&v.content).unwrap_or(Value::Null),
            })
        }),
        "round" => crate::rounds::store::find(conn, id)?.map(|r| to_json(&r)),
        "assignment" => {
            use crate::db::schema::assignments;
            assignments::table
                .find(id)
                .select(crate::rounds::store::AssignmentRow::as_select())
                .get_result(conn)
                .optional()?
                .map(|r| to_json(&r))
        }
        "inspection" => crate::inspections::store::find(conn, id)?.map(|r| to_json(&r)),
        "answer" => {
            let Some((inspection, item)) = id.split_once('/') else { return Ok(None) };
            crate::inspections::store::answer_row(conn, inspection, item)?.as_ref().map(answer_view)
        }
        "recommendation" => crate::inspections::store::find_recommendation(conn, id)?.map(|r| to_json(&r)),
        "comment" => crate::inspections::store::find_comment(conn, id)?.map(|r| to_json(&r)),
        "conflict" => super::conflicts::find(conn, id)?.map(|r| to_json(&r)),
        "evidence" => crate::media::store::find(conn, id)?.map(|r| to_json(&r)),
        _ => None,
    })
}

fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
