//! The audit log: every change by anyone (who, when, from which device, what, before and
//! after), append-only and hash-chained so that altering a stored entry shows.

pub mod chain;
pub mod routes;
pub mod store;

pub use store::{append, Actor};
