//! Sở Nội vụ's pages: units, users, teams, checklist templates, rounds, the audit log.

pub mod audit;
pub mod rounds;
pub mod teams;
pub mod templates;
pub mod units;
pub mod users;
