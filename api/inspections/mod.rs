//! Inspections (phiếu kiểm tra): one per unit per round, their answers, findings and review.

pub mod workflow;
