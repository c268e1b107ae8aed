//! Điểm sáng về dân vận chính quyền: the bright spots each unit registers and builds under the
//! plan (quý I: "xây dựng và đăng ký điểm sáng"), evaluated in rounds.
//!
//! The parts: `status` (pure: the states and who moves them), `store` (rows), `service` (scope,
//! list, detail, register, edit, review; one transaction each, audited), `routes` (the API,
//! tag `bright-spots`) and `report` (the round report's section). Evidence is text for now;
//! file attachments will hang off the bright spot's id (owner id) through the attachments
//! area. See docs/bright-spots.md.

pub mod report;
pub mod review;
pub mod routes;
pub mod service;
pub mod status;
pub mod store;
