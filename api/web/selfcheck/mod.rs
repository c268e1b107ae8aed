//! `/tu-kiem-tra`: a unit's representative fills and submits the unit's self-assessment
//! (docs/self-assessment.md), through the same service as `/api/v1/self-assessments`; and the
//! "Tự kiểm tra" part of the inspection review page (`review`).

pub mod files;
pub mod form;
pub mod page;
pub mod review;
