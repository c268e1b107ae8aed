//! HTTP edge of reports.

pub mod bien_ban;
pub mod comparison;
pub mod conclusions;
pub mod documents;
pub mod exports;
pub mod missing;
pub mod progress;
pub mod summary;
