//! An owner's files as its JSON lists them: name, checked type, size, and where to download
//! them (`GET /api/v1/attachments/{id}`, read by the owner's rule).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use super::owner::OwnerKind;
use super::store::{self, AttachmentRow};
use crate::db::DbConn;
use crate::domain::DomainError;

/// One attached file.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[schema(as = AttachedFile)]
pub struct FileView {
    /// The attachment's id (chosen by the client that sent it).
    pub id: String,
    pub filename: String,
    /// Decided from the bytes: PDF, DOCX, JPEG, PNG or WebP.
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_by: String,
    #[serde(serialize_with = "crate::time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// `GET` it for the file.
    pub download: String,
}

impl From<AttachmentRow> for FileView {
    fn from(r: AttachmentRow) -> Self {
        FileView {
            download: format!("/api/v1/attachments/{}", r.id),
            id: r.id,
            filename: r.filename,
            media_type: r.media_type,
            size_bytes: r.size_bytes,
            sha256: r.sha256,
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

/// The files of each of `owner_ids` (of kind `kind`), oldest first; owners without files are
/// absent.
pub fn by_owner(
    conn: &mut DbConn,
    kind: OwnerKind,
    owner_ids: &[String],
) -> Result<HashMap<String, Vec<FileView>>, DomainError> {
    let mut out: HashMap<String, Vec<FileView>> = HashMap::new();
    for chunk in owner_ids.chunks(500) {
        for row in store::of_owner(conn, kind.as_str(), chunk)? {
            out.entry(row.owner_id.clone())
                .or_default()
                .push(row.into());
        }
    }
    Ok(out)
}

/// The files of one owner, oldest first.
pub fn of(
    conn: &mut DbConn,
    kind: OwnerKind,
    owner_id: &str,
) -> Result<Vec<FileView>, DomainError> {
    Ok(by_owner(conn, kind, &[owner_id.to_owned()])?
        .remove(owner_id)
        .unwrap_or_default())
}
