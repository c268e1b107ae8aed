//! Users and their management by administrators.

pub mod model;
pub mod routes;
pub mod service;
pub mod store;

pub use model::{UserRow, UserView};
pub use service::UserError;
