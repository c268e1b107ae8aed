//! Downloading attachments (`GET /api/v1/attachments/{id}`): above both the store
//! (`crate::attachments`) and the areas that own files, so the owners' read rules are applied
//! here without the store importing the owners, which import it.

pub mod access;
pub mod routes;
