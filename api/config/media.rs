//! Settings of photo evidence (limits, workers, the checks' thresholds) and of the S3 store.

use serde::{Deserialize, Serialize};

use super::Secret;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct S3Settings {
    /// e.g. `http://127.0.0.1:9000` for MinIO (`KIEMTRA_S3__ENDPOINT`; else `AWS_ENDPOINT_URL`).
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<Secret>,
    /// Allow a plain-HTTP endpoint (a store on the same private network).
    pub allow_http: Option<bool>,
}

/// Limits and workers for photo evidence.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct MediaSettings {
    /// Largest original accepted, bytes (40 MiB).
    pub max_upload_bytes: u64,
    /// Largest image accepted, in pixels (width × height), checked from the header before
    /// any pixel is decoded.
    pub max_pixels: u64,
    /// Longest side accepted, pixels: a 1 × 100,000 strip is no photo.
    pub max_side: u32,
    /// Memory a decoder may allocate for one image, bytes.
    pub max_decode_alloc: u64,
    /// Images decoded at once (uploads being verified plus thumbnails being made): bounds CPU
    /// and memory whatever the burst of uploads. 0 means one per core.
    pub workers: usize,
    /// Thumbnail jobs waiting beyond which new ones are dropped (they are made on demand).
    pub thumbnail_queue: usize,
    /// Hours an unfinished resumable (tus) upload is kept before it is cleaned up.
    pub upload_expiry_hours: u64,
    /// A photo taken further than this many metres from its unit's recorded location is
    /// flagged for the lead (`media::checks`; never refused).
    pub flag_distance_m: f64,
    /// A photo whose camera time and claimed time differ by more minutes than this is flagged.
    pub flag_clock_minutes: i64,
    /// Two photos whose perceptual hashes differ in at most this many of their 64 bits are
    /// flagged as near-duplicates (`media::phash`; the default is chosen by its tests).
    pub flag_hash_distance: u32,
}

impl MediaSettings {
    /// The thresholds of the evidence checks.
    pub fn check_limits(&self) -> crate::media::checks::Limits {
        crate::media::checks::Limits {
            max_distance_m: self.flag_distance_m,
            max_clock_minutes: self.flag_clock_minutes,
            max_hash_distance: self.flag_hash_distance,
        }
    }
}

impl Default for MediaSettings {
    fn default() -> Self {
        MediaSettings {
            max_upload_bytes: 40 * 1024 * 1024,
            max_pixels: 100_000_000,
            max_side: 20_000,
            max_decode_alloc: 512 * 1024 * 1024,
            workers: 0,
            thumbnail_queue: 256,
            upload_expiry_hours: 24,
            flag_distance_m: 1000.0,
            flag_clock_minutes: 60,
            flag_hash_distance: 12,
        }
    }
}
