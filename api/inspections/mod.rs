//! Inspections (phiếu kiểm tra): one per unit per round, their answers, findings,
//! recommendations, comments and review.

pub mod batch;
pub mod late;
pub mod legacy;
pub mod record;
pub mod routes;
pub mod service;
pub mod store;
pub mod workflow;
