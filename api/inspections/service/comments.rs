//! Comments on an inspection or one of its items.

use diesel::prelude::*;

use super::{keys, template_of, visible};
use crate::audit::{self, Actor};
use crate::db::schema::comments;
use crate::db::{self, DbConn};
use crate::domain::{DomainError, Faults};
use crate::inspections::store;
use crate::role::Role;
use crate::scope::Scope;
use crate::sync::log as changes;

/// Adds a comment on the inspection or one of its items, in any state (review is a
/// conversation). Viewers only read. Idempotent by id.
pub fn add_comment(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    inspection_id: &str,
    id: &str,
    item_id: Option<&str>,
    body: &str,
) -> Result<store::CommentRow, DomainError> {
    let (row, _) = visible(conn, scope, inspection_id)?;
    if scope.standing(&row.team_id).is_none() {
        return Err(if scope.role == Role::Viewer {
            DomainError::Forbidden
        } else {
            DomainError::NotFound
        });
    }
    if let Some(existing) = store::find_comment(conn, id)? {
        return if existing.inspection_id == inspection_id {
            Ok(existing)
        } else {
            Err(DomainError::id_taken())
        };
    }
    let mut f = Faults::default();
    let body = f.text("/body", body, 10_000);
    if let Some(item) = item_id {
        if template_of(conn, &row)?.item(item).is_none() {
            f.push(
                "/item_id",
                "unknown_item",
                format!("The checklist has no item `{item}`."),
                format!("Phiếu không có mục `{item}`."),
            );
        }
    }
    f.finish()?;
    diesel::insert_into(comments::table)
        .values((
            comments::id.eq(id),
            comments::inspection_id.eq(inspection_id),
            comments::item_id.eq(item_id),
            comments::author_id.eq(&scope.user_id),
            comments::body.eq(&body),
            comments::version.eq(1),
            comments::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    let c = store::find_comment(conn, id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "comment",
        id,
        None,
        Some(&serde_json::to_value(&c).unwrap_or_default()),
    )?;
    changes::record(conn, "comment", id, keys(&row), false)?;
    Ok(c)
}
