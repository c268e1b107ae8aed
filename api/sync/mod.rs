//! Offline sync: the change log, pull, push with field-level merge, and conflicts kept for
//! the lead. The protocol is specified in `docs/sync.md`.

pub mod conflicts;
pub mod hlc;
pub mod log;
pub mod merge;
pub mod pull;
pub mod push;
pub mod routes;
pub mod scope_change;
pub mod watermelon;

/// The sync schema version this server speaks. A client sends its own with every sync call;
/// any other answers 426 with what to do.
pub const SCHEMA_VERSION: u32 = 1;
pub const SUPPORTED_SCHEMA_VERSIONS: [u32; 1] = [1];
