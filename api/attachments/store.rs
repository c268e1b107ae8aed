//! The `attachments` rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::attachments;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, ToSchema, PartialEq)]
#[diesel(table_name = attachments)]
pub struct AttachmentRow {
    pub id: String,
    /// `unit_report`, `remedy`, `self_assessment_item` or `bright_spot` (docs/attachments.md).
    pub owner_kind: String,
    pub owner_id: String,
    /// The name the sender gave, cleaned; downloads offer it.
    pub filename: String,
    /// Decided from the bytes.
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_by: String,
    #[serde(serialize_with = "crate::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<AttachmentRow>> {
    attachments::table
        .find(id)
        .select(AttachmentRow::as_select())
        .first(conn)
        .optional()
}

/// An owner's files, oldest first.
pub fn of_owner(
    conn: &mut DbConn,
    kind: &str,
    owner_ids: &[String],
) -> QueryResult<Vec<AttachmentRow>> {
    attachments::table
        .filter(attachments::owner_kind.eq(kind))
        .filter(attachments::owner_id.eq_any(owner_ids.to_vec()))
        .order((attachments::created_at.asc(), attachments::id.asc()))
        .select(AttachmentRow::as_select())
        .load(conn)
}

/// Inserts the row unless its id is taken (0 then): a retry racing its first send finds the
/// first's row instead of failing on the key (PostgreSQL aborts the transaction on that).
pub fn insert(conn: &mut DbConn, row: &AttachmentRow) -> QueryResult<usize> {
    crate::per_engine!(conn, c => diesel::insert_into(attachments::table)
        .values(row)
        .on_conflict(attachments::id)
        .do_nothing()
        .execute(c))
}

/// Files whose owner id starts with `prefix` (a self-assessment's items: `<id>/…`), oldest
/// first. `prefix` is a UUID and a slash: nothing in it is a `LIKE` wildcard.
pub fn of_owner_prefix(
    conn: &mut DbConn,
    kind: &str,
    prefix: &str,
) -> QueryResult<Vec<AttachmentRow>> {
    attachments::table
        .filter(attachments::owner_kind.eq(kind))
        .filter(attachments::owner_id.like(format!("{prefix}%")))
        .order((attachments::created_at.asc(), attachments::id.asc()))
        .select(AttachmentRow::as_select())
        .load(conn)
}
