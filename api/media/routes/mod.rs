//! HTTP edge of photo evidence: records, bytes (plain and resumable), thumbnails.

pub mod archive;
pub mod content;
pub mod evidence;
pub mod uploads;
