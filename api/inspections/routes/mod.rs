//! HTTP edge of inspections.

pub mod comments;
pub mod inspections;
pub mod recommendations;
pub mod review;
