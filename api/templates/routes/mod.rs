//! HTTP edge of checklist templates and the served JSON Schemas.

pub mod schemas;
pub mod templates;
