//! Recording a received file for its owner and writing the audit entry when it is new: the
//! one shape every owner's upload shares (remedies, self-assessment items, bright spots), so a
//! new owner kind adds its write rule, not a copy of this.

use serde_json::{json, Value};

use super::error::AttachmentError;
use super::listing::FileView;
use super::owner::OwnerKind;
use super::service::{record, Received, Recorded};
use crate::audit::{self, Actor};
use crate::db::DbConn;

/// Whose the file is, and under which entity the audit log names the attaching.
pub struct Owner<'a> {
    pub kind: OwnerKind,
    pub id: &'a str,
    /// The audited entity (`remedy`, `bright_spot`, `self_assessment`) and its id.
    pub entity: &'static str,
    pub entity_id: &'a str,
    /// Fields the owner adds to the entry (the item of a self-assessment).
    pub extra: Option<(&'static str, &'a str)>,
}

/// Records `file` as attachment `file_id` of `owner` in the caller's transaction; a new one is
/// audited as `attach` (the same bytes again change nothing and write nothing).
pub fn record_audited(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner<'_>,
    (file_id, filename): (&str, &str),
    file: &Received,
) -> Result<(FileView, Recorded), AttachmentError> {
    let user = actor.user_id.clone().unwrap_or_default();
    let (row, recorded) = record(conn, file_id, owner.kind, owner.id, filename, file, &user)?;
    if recorded == Recorded::New {
        let mut after = json!({"attachment_id": row.id, "filename": row.filename,
            "media_type": row.media_type, "sha256": row.sha256, "size_bytes": row.size_bytes});
        if let (Some((k, v)), Value::Object(m)) = (owner.extra, &mut after) {
            m.insert(k.to_owned(), Value::from(v));
        }
        let entity = owner.entity;
        audit::append(
            conn,
            actor,
            "attach",
            entity,
            owner.entity_id,
            None,
            Some(&after),
        )?;
    }
    Ok((row.into(), recorded))
}
