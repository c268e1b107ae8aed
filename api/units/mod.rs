//! Units inspected (đơn vị): provincial departments, communes, wards.

pub mod csv_import;
pub mod fold;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
