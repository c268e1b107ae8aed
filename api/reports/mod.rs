//! Reports: a round's progress, its summary (official figures from approved inspections
//! only), the team leads' conclusions and report recommendations, and the exports the
//! committee receives (DOCX, XLSX, CSV, chart), all generated from the summary.
//!
//! Pure: `summary`, `progress`, `answer_sheet`, `labels` and the renderers in `export`.
//! IO: `store` (reads a round in a few queries), `evidence` (photo counts), `service`
//! (scope, then store, then the pure compilers), `conclusions` (the leads' writes, audited).
//! This module never changes an inspector's record.

pub mod answer_sheet;
pub mod board;
pub mod cli;
pub mod compare;
pub mod conclusions;
pub mod documents;
pub mod export;
pub mod extra;
pub mod labels;
pub mod missing;
pub mod progress;
pub mod routes;
pub mod service;
pub mod store;
pub mod summary;
