//! Checklist templates (phiếu kiểm tra): the format, its validation, visibility, answer rules
//! and scoring (pure: `model`, `validate`, `visibility`, `answers`, `scoring`), and their
//! versions as stored (`store`, `service`, `routes`).

pub mod answers;
pub mod install;
pub mod model;
pub mod routes;
pub mod scoring;
pub mod service;
pub mod store;
pub mod validate;
pub mod visibility;

pub use model::{Answer, Answers, Template};

/// The default checklist for 2026, built from the plan (`schemas/templates/dvcq-2026.json`).
pub const DEFAULT_2026: &str = include_str!("../../schemas/templates/dvcq-2026.json");
