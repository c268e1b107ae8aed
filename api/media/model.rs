//! Evidence rows as stored and as clients see them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{blobs, evidence, uploads};

/// A photo attached to one checklist item of an inspection. The record exists as soon as the
/// device makes it (often offline); the bytes follow and fill in the verified facts.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = evidence)]
pub struct EvidenceRow {
    /// Made by the client.
    pub id: String,
    pub inspection_id: String,
    pub item_id: String,
    pub created_by: String,
    pub device_id: Option<String>,
    pub caption: Option<String>,
    /// When the device says the photo was taken.
    #[serde(serialize_with = "crate::time::utc_opt")]
    pub claimed_taken_at: Option<NaiveDateTime>,
    pub claimed_latitude: Option<f64>,
    pub claimed_longitude: Option<f64>,
    /// `pending` (bytes not yet received) or `stored` (received and verified).
    pub upload_state: String,
    /// SHA-256 of the original, hex: the evidence's fingerprint.
    pub sha256: Option<String>,
    pub size_bytes: Option<i64>,
    /// `image/jpeg`, `image/png` or `image/webp`, from the bytes.
    pub media_type: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    /// Capture time from the photo's EXIF (camera local time, with its offset if recorded).
    pub exif_taken_at: Option<String>,
    pub exif_latitude: Option<f64>,
    pub exif_longitude: Option<f64>,
    /// EXIF orientation 1–8.
    pub orientation: Option<i32>,
    #[serde(serialize_with = "crate::time::utc_opt")]
    pub uploaded_at: Option<NaiveDateTime>,
    pub version: i64,
    #[serde(serialize_with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = blobs)]
pub struct BlobRow {
    pub sha256: String,
    pub size_bytes: i64,
    pub media_type: String,
    pub width: i32,
    pub height: i32,
    pub orientation: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = uploads)]
pub struct UploadRow {
    pub id: String,
    pub evidence_id: String,
    pub user_id: String,
    pub length: i64,
    pub received: i64,
    pub metadata: Option<String>,
    pub expires_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}
