//! Sync conflicts for the team's lead: when two devices changed the same answer, or the server
//! refused a device's change, the lead sees both values in words and chooses.
//!
//! - `list`: a round's open conflicts in the caller's scope, and the last resolved;
//! - `resolve`: the lead's choice, through the service the API uses;
//! - `value`: conflict values in words, and typed words back into values.

pub mod list;
pub mod resolve;
pub mod value;
