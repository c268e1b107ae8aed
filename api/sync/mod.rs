//! Offline sync: the change log, pull, push with field-level merge, and conflicts kept for
//! the lead. The protocol is specified in `docs/sync.md`.

pub mod hlc;
pub mod log;
pub mod merge;
