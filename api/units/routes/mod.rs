//! HTTP edge of units: everyone signed in reads; administrators write.

pub mod create_unit;
pub mod delete_unit;
pub mod get_unit;
pub mod import_units;
pub mod list_units;
pub mod update_unit;
