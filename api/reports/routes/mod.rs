//! HTTP edge of reports.

pub mod conclusions;
pub mod exports;
pub mod progress;
pub mod summary;
