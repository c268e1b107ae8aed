//! The unit's self-assessment (tự kiểm tra, issue 18 part 3): before the visit, the unit's
//! representative (`Role::Unit`) fills the round's own checklist version; the team then sees
//! it beside its inspection, item by item, and the round report prints both scores
//! (docs/self-assessment.md).
//!
//! `compare` is pure; `store` holds the rows; `service` the rules (scope, validation and
//! scoring reused from `templates`); `routes` the HTTP edge; `report` the report's section;
//! `sync` the submitted self-assessment as a pull entity for the visiting team's devices.

pub mod compare;
pub mod files;
pub mod report;
pub mod routes;
pub mod service;
pub mod store;
pub mod sync;
