//! Template families and their versions, as stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{template_versions, templates};
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = templates)]
pub struct TemplateRow {
    pub id: String,
    pub code: String,
    pub title: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = template_versions)]
pub struct VersionRow {
    pub id: String,
    pub template_id: String,
    pub number: Option<i32>,
    pub status: String,
    pub content: String,
    pub content_hash: Option<String>,
    pub created_by: String,
    pub published_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A version without its content, for lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionSummary {
    pub id: String,
    /// 1, 2, … for published versions; absent for the draft.
    pub number: Option<i32>,
    /// `draft` or `published`.
    pub status: String,
    /// SHA-256 of the published content; a published version never changes.
    pub content_hash: Option<String>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<&VersionRow> for VersionSummary {
    fn from(v: &VersionRow) -> Self {
        VersionSummary {
            id: v.id.clone(),
            number: v.number,
            status: v.status.clone(),
            content_hash: v.content_hash.clone(),
            published_at: v.published_at.map(|t| t.and_utc()),
            updated_at: v.updated_at.and_utc(),
        }
    }
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<TemplateRow>> {
    templates::table
        .find(id)
        .select(TemplateRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn find_by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<TemplateRow>> {
    templates::table
        .filter(templates::code.eq(code))
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<TemplateRow>> {
    templates::table
        .order(templates::code.asc())
        .select(TemplateRow::as_select())
        .load(conn)
}

pub fn versions(conn: &mut DbConn, template_id: &str) -> QueryResult<Vec<VersionRow>> {
    template_versions::table
        .filter(template_versions::template_id.eq(template_id))
        .order((
            template_versions::number.is_null().asc(),
            template_versions::number.asc(),
        ))
        .select(VersionRow::as_select())
        .load(conn)
}

pub fn find_version(conn: &mut DbConn, id: &str) -> QueryResult<Option<VersionRow>> {
    template_versions::table
        .find(id)
        .select(VersionRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn draft_of(conn: &mut DbConn, template_id: &str) -> QueryResult<Option<VersionRow>> {
    template_versions::table
        .filter(template_versions::template_id.eq(template_id))
        .filter(template_versions::status.eq("draft"))
        .select(VersionRow::as_select())
        .first(conn)
        .optional()
}

pub fn latest_published(conn: &mut DbConn, template_id: &str) -> QueryResult<Option<VersionRow>> {
    template_versions::table
        .filter(template_versions::template_id.eq(template_id))
        .filter(template_versions::status.eq("published"))
        .order(template_versions::number.desc())
        .select(VersionRow::as_select())
        .first(conn)
        .optional()
}
