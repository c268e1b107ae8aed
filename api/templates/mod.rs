//! Checklist templates (phiếu kiểm tra): the format, its validation, visibility, answer rules
//! and scoring. Everything here is pure: no database, no HTTP.

pub mod answers;
pub mod model;
pub mod scoring;
pub mod validate;
pub mod visibility;

pub use model::{Answer, Answers, Template};
