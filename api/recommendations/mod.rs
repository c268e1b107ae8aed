//! Recommendations followed across rounds (kiến nghị and khắc phục).
//!
//! A recommendation is made on an inspection (`inspections::service::recommendations`, while
//! the inspection is filled); once the inspection is approved it becomes official and is
//! followed up here, across rounds: its status with time (`status.rs`, pure), the scoped list
//! and remedies (`service.rs`), what a re-inspection and the round report see of earlier
//! rounds (`earlier.rs`, `report.rs`), and the rows devices sync (`sync.rs`). It is its own
//! area rather than part of `inspections` because it outlives the inspection that made it:
//! it is read by unit and round, by people of later rounds' teams. See
//! docs/recommendations.md.

pub mod earlier;
pub mod files;
pub mod report;
pub mod routes;
pub mod service;
pub mod status;
pub mod store;
pub mod sync;
