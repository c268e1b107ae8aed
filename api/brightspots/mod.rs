//! Điểm sáng về dân vận chính quyền: the bright spots each unit registers and builds under the
//! plan (quý I: "xây dựng và đăng ký điểm sáng"), evaluated in rounds.
//!
//! The parts: `status` (pure: the states and who moves them), `store` (rows), `service` (scope,
//! list, detail), `edit` (register, edit), `review` (a round's evaluation), `files` (its
//! documents and photos, through the attachments area, owner kind `bright_spot`); one
//! transaction each, audited; `routes` (the API, tag `bright-spots`) and `report` (the round
//! report's section). See docs/bright-spots.md.

pub mod edit;
pub mod files;
pub mod report;
pub mod review;
pub mod routes;
pub mod service;
pub mod status;
pub mod store;
