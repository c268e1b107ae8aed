//! Evidence, blob and upload queries.

use std::collections::HashMap;

use diesel::prelude::*;

use super::model::{BlobRow, EvidenceRow, UploadRow};
use crate::db::schema::{blobs, evidence, uploads};
use crate::db::DbConn;

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<EvidenceRow>> {
    evidence::table
        .find(id)
        .select(EvidenceRow::as_select())
        .first(conn)
        .optional()
}

pub fn of_inspection(conn: &mut DbConn, inspection_id: &str) -> QueryResult<Vec<EvidenceRow>> {
    evidence::table
        .filter(evidence::inspection_id.eq(inspection_id))
        .order((
            evidence::item_id.asc(),
            evidence::created_at.asc(),
            evidence::id.asc(),
        ))
        .select(EvidenceRow::as_select())
        .load(conn)
}

/// Received photos per item: what the template's evidence rules count at submission. A photo
/// still uploading does not count yet.
pub fn photo_counts(conn: &mut DbConn, inspection_id: &str) -> QueryResult<HashMap<String, usize>> {
    let items: Vec<String> = evidence::table
        .filter(evidence::inspection_id.eq(inspection_id))
        .filter(evidence::upload_state.eq("stored"))
        .select(evidence::item_id)
        .load(conn)?;
    let mut counts = HashMap::new();
    for i in items {
        *counts.entry(i).or_insert(0) += 1;
    }
    Ok(counts)
}

pub fn blob(conn: &mut DbConn, sha256: &str) -> QueryResult<Option<BlobRow>> {
    blobs::table
        .find(sha256)
        .select(BlobRow::as_select())
        .first(conn)
        .optional()
}

pub fn upload(conn: &mut DbConn, id: &str) -> QueryResult<Option<UploadRow>> {
    uploads::table
        .find(id)
        .select(UploadRow::as_select())
        .first(conn)
        .optional()
}

pub fn expired_uploads(conn: &mut DbConn, now: chrono::NaiveDateTime) -> QueryResult<Vec<String>> {
    uploads::table
        .filter(uploads::expires_at.lt(now))
        .select(uploads::id)
        .load(conn)
}

pub fn all_upload_ids(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    uploads::table.select(uploads::id).load(conn)
}
