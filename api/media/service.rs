//! Evidence rules: who may attach, see and delete photos, and what is recorded when the bytes
//! arrive. Each function runs inside the caller's transaction, audits what it changes and
//! writes the change log, so evidence metadata syncs like any other row.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::error::MediaError;
use super::inspect::ImageFacts;
use super::model::EvidenceRow;
use super::store;
use crate::audit::{self, Actor};
use crate::db::schema::{blobs, evidence};
use crate::db::{self, DbConn};
use crate::domain::{DomainError, Faults};
use crate::inspections::service::{self as inspections, editable, keys, template_of, writer};
use crate::inspections::store::InspectionRow;
use crate::scope::Scope;
use crate::sync::log as changes;

pub struct NewEvidence {
    pub id: String,
    pub inspection_id: String,
    pub item_id: String,
    pub caption: Option<String>,
    pub taken_at: Option<DateTime<Utc>>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// The evidence and its inspection, if the caller may see them; "not found" otherwise (an
/// inspector of another team learns nothing, not even that the photo exists).
pub fn visible(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<(EvidenceRow, InspectionRow), DomainError> {
    let ev = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    let (row, _) = inspections::visible(conn, scope, &ev.inspection_id)?;
    Ok((ev, row))
}

/// As [`visible`], for callers about to send bytes: viewers may look but not upload.
pub fn uploadable(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<EvidenceRow, DomainError> {
    let ev = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    let (row, round_status) = inspections::visible(conn, scope, &ev.inspection_id)?;
    writer(scope, &row, &round_status)?;
    Ok(ev)
}

pub fn view(ev: &EvidenceRow) -> serde_json::Value {
    serde_json::to_value(ev).unwrap_or_default()
}

/// Records a photo the device took (idempotent by its id). Only while the inspection can
/// still change: evidence for a submitted inspection comes back with it when it is returned.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    n: &NewEvidence,
) -> Result<EvidenceRow, DomainError> {
    let (row, round_status) = inspections::visible_for_write(conn, scope, &n.inspection_id)?;
    writer(scope, &row, &round_status)?;
    if let Some(existing) = store::find(conn, &n.id)? {
        return if existing.inspection_id == n.inspection_id && existing.item_id == n.item_id {
            Ok(existing)
        } else {
            Err(DomainError::id_taken())
        };
    }
    editable(&row)?;
    let known = template_of(conn, &row)?.item(&n.item_id).is_some();
    let caption = checked(n, known)?;
    let now = db::now();
    diesel::insert_into(evidence::table)
        .values((
            evidence::id.eq(&n.id),
            evidence::inspection_id.eq(&n.inspection_id),
            evidence::item_id.eq(&n.item_id),
            evidence::created_by.eq(&scope.user_id),
            evidence::device_id.eq(&actor.device_id),
            evidence::caption.eq(caption.as_deref()),
            evidence::claimed_taken_at.eq(n.taken_at.map(|t| t.naive_utc())),
            evidence::claimed_latitude.eq(n.latitude),
            evidence::claimed_longitude.eq(n.longitude),
            evidence::upload_state.eq("pending"),
            evidence::version.eq(1),
            evidence::created_at.eq(now),
            evidence::updated_at.eq(now),
        ))
        .execute(conn)?;
    let ev = store::find(conn, &n.id)?.ok_or(DomainError::NotFound)?;
    audit::append(
        conn,
        actor,
        "create",
        "evidence",
        &n.id,
        None,
        Some(&view(&ev)),
    )?;
    changes::record(conn, "evidence", &n.id, keys(&row), false)?;
    Ok(ev)
}

/// A new photo's record checked: the item exists (`known`), the caption (NFC, trimmed, at most
/// 2000 characters; `None` when blank) and the claimed position. Returns the caption to store.
fn checked(n: &NewEvidence, known: bool) -> Result<Option<String>, DomainError> {
    let mut f = Faults::default();
    if !known {
        f.push(
            "/item_id",
            "unknown_item",
            format!("The checklist has no item `{}`.", n.item_id),
            format!("Phiếu không có mục `{}`.", n.item_id),
        );
    }
    let caption = n
        .caption
        .as_deref()
        .map(|c| crate::domain::nfc(c.trim()))
        .filter(|c| !c.is_empty());
    if caption.as_ref().is_some_and(|c| c.chars().count() > 2000) {
        f.push(
            "/caption",
            "invalid_text",
            "At most 2000 characters.",
            "Tối đa 2000 ký tự.",
        );
    }
    if n.latitude.is_some_and(|v| !(-90.0..=90.0).contains(&v)) {
        f.push(
            "/latitude",
            "invalid_latitude",
            "Between -90 and 90.",
            "Trong khoảng -90 đến 90.",
        );
    }
    if n.longitude.is_some_and(|v| !(-180.0..=180.0).contains(&v)) {
        f.push(
            "/longitude",
            "invalid_longitude",
            "Between -180 and 180.",
            "Trong khoảng -180 đến 180.",
        );
    }
    if n.latitude.is_some() != n.longitude.is_some() {
        f.push(
            "/longitude",
            "incomplete_position",
            "Send both latitude and longitude, or neither.",
            "Hãy gửi cả vĩ độ và kinh độ, hoặc không gửi cả hai.",
        );
    }
    f.finish()?;
    Ok(caption)
}

/// Removes a photo from an inspection that can still change; a submitted or approved
/// inspection keeps its evidence. The stored bytes stay (they may back other evidence, and
/// the audit log names them).
pub fn delete(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
) -> Result<(), DomainError> {
    let ev = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    let (row, round_status) = inspections::visible_for_write(conn, scope, &ev.inspection_id)?;
    writer(scope, &row, &round_status)?;
    editable(&row)?;
    diesel::delete(evidence::table.find(id)).execute(conn)?;
    audit::append(
        conn,
        actor,
        "delete",
        "evidence",
        id,
        Some(&view(&ev)),
        None,
    )?;
    changes::record(conn, "evidence", id, keys(&row), true)?;
    Ok(())
}

/// What the verified bytes are.
pub struct Received<'a> {
    pub sha256: &'a str,
    pub size: u64,
    pub facts: &'a ImageFacts,
    /// The perceptual hash (`media::phash`), when the image could be hashed.
    pub phash: Option<&'a str>,
}

/// Whether this request stored the bytes, or they were already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attached {
    New,
    Same,
}

/// Records verified, stored bytes as the evidence's content. Content never changes: the same
/// bytes again change nothing; other bytes are refused.
pub fn attach(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    r: &Received<'_>,
) -> Result<(EvidenceRow, Attached), MediaError> {
    let ev = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    let (row, round_status) = inspections::visible_for_write(conn, scope, &ev.inspection_id)?;
    writer(scope, &row, &round_status)?;
    match ev.sha256.as_deref() {
        Some(s) if s == r.sha256 => return Ok((ev, Attached::Same)),
        Some(_) => return Err(MediaError::ContentDiffers),
        None => {}
    }
    let now = db::now();
    let size = i64::try_from(r.size).unwrap_or(i64::MAX);
    let (w, h) = (
        i32::try_from(r.facts.width).unwrap_or(i32::MAX),
        i32::try_from(r.facts.height).unwrap_or(i32::MAX),
    );
    let orientation = i32::from(r.facts.exif.orientation.max(1));
    if store::blob(conn, r.sha256)?.is_none() {
        // In a savepoint: the same photo stored for another inspection at this very moment
        // (PostgreSQL) makes this insert fail harmlessly, and the transaction goes on.
        let inserted = crate::db::savepoint(conn, |c| {
            diesel::insert_into(blobs::table)
                .values((
                    blobs::sha256.eq(r.sha256),
                    blobs::size_bytes.eq(size),
                    blobs::media_type.eq(r.facts.format.media_type()),
                    blobs::width.eq(w),
                    blobs::height.eq(h),
                    blobs::orientation.eq(orientation),
                    blobs::created_at.eq(now),
                    blobs::phash.eq(r.phash),
                ))
                .execute(c)
        });
        match inserted {
            Ok(_)
            | Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let x = &r.facts.exif;
    diesel::update(evidence::table.find(id))
        .set((
            evidence::upload_state.eq("stored"),
            evidence::sha256.eq(r.sha256),
            evidence::size_bytes.eq(size),
            evidence::media_type.eq(r.facts.format.media_type()),
            evidence::width.eq(w),
            evidence::height.eq(h),
            evidence::exif_taken_at.eq(&x.taken_at),
            evidence::exif_latitude.eq(x.latitude),
            evidence::exif_longitude.eq(x.longitude),
            evidence::orientation.eq(orientation),
            evidence::uploaded_at.eq(now),
            evidence::version.eq(ev.version + 1),
            evidence::updated_at.eq(now),
        ))
        .execute(conn)?;
    let new = store::find(conn, id)?.ok_or(DomainError::NotFound)?;
    // The original's fingerprint goes into the hash-chained log: proof of what was received.
    audit::append(
        conn,
        actor,
        "upload",
        "evidence",
        id,
        Some(&json!({"upload_state": ev.upload_state})),
        Some(
            &json!({"upload_state": "stored", "sha256": r.sha256, "size_bytes": size, "media_type": r.facts.format.media_type()}),
        ),
    )?;
    changes::record(conn, "evidence", id, keys(&row), false)?;
    Ok((new, Attached::New))
}
