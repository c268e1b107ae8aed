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
        .get_result(conn)
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

/// Received photos per item of one inspection: what the template's evidence rules count at
/// submission. A photo still uploading does not count yet.
pub fn photo_counts(conn: &mut DbConn, inspection_id: &str) -> QueryResult<HashMap<String, usize>> {
    let mut by = photo_counts_of(conn, &[inspection_id.to_owned()])?;
    Ok(by.remove(inspection_id).unwrap_or_default())
}

/// The same for many inspections at once (a round's progress), by inspection id; inspections
/// with no photo are absent.
pub fn photo_counts_of(
    conn: &mut DbConn,
    inspection_ids: &[String],
) -> QueryResult<HashMap<String, HashMap<String, usize>>> {
    let mut out: HashMap<String, HashMap<String, usize>> = HashMap::new();
    // In slices, so a province-wide round stays within every engine's parameter limit.
    for ids in inspection_ids.chunks(500) {
        let rows: Vec<(String, String)> = evidence::table
            .filter(evidence::inspection_id.eq_any(ids))
            .filter(evidence::upload_state.eq("stored"))
            .select((evidence::inspection_id, evidence::item_id))
            .load(conn)?;
        for (inspection, item) in rows {
            *out.entry(inspection).or_default().entry(item).or_insert(0) += 1;
        }
    }
    Ok(out)
}

pub fn blob(conn: &mut DbConn, sha256: &str) -> QueryResult<Option<BlobRow>> {
    blobs::table
        .find(sha256)
        .select(BlobRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn upload(conn: &mut DbConn, id: &str) -> QueryResult<Option<UploadRow>> {
    uploads::table
        .find(id)
        .select(UploadRow::as_select())
        .get_result(conn)
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
