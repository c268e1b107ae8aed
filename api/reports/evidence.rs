//! Photo counts per inspection and item, for the progress report's "missing evidence": the
//! one place reports learn about photos. Only received (stored) photos count, as at
//! submission.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::schema::evidence;
use crate::db::DbConn;
use crate::domain::DomainError;

/// Photos attached, by inspection id, then by item id. Inspections with none are absent.
pub fn photo_counts(
    conn: &mut DbConn,
    inspection_ids: &[String],
) -> Result<HashMap<String, HashMap<String, usize>>, DomainError> {
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
