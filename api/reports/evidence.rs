//! Photo counts per inspection and item, for the progress report's "missing evidence".
//!
//! The one place reports learn about photos: when evidence lands (issue 5), this reads the
//! evidence table and nothing else in `reports` changes.

use std::collections::HashMap;

use crate::db::DbConn;
use crate::domain::DomainError;

/// Photos attached, by inspection id, then by item id. Inspections with none are absent.
pub fn photo_counts(
    _conn: &mut DbConn,
    _inspection_ids: &[String],
) -> Result<HashMap<String, HashMap<String, usize>>, DomainError> {
    // evidence lands with issue 5: until then no inspection has photos.
    Ok(HashMap::new())
}
