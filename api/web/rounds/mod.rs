//! The rounds a person sees, and each round's dashboard.

pub mod compare;
pub mod dashboard;
pub mod home;
pub mod list;
pub mod missing;
