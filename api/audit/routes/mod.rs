//! `GET /api/v1/audit` for administrators.

pub mod list_audit;
