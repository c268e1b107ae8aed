//! Inspection teams (đoàn kiểm tra): a lead (trưởng đoàn) and members. A user may be in
//! several teams.

pub mod routes;
pub mod service;
pub mod store;

pub use store::TeamView;
