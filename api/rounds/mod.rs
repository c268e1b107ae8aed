//! Inspection rounds (đợt kiểm tra) and their assignments of units to teams.

pub mod assign;
pub mod routes;
pub mod service;
pub mod store;
