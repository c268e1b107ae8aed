//! Signing in and out, and changing one's own password.

pub mod login;
pub mod password;
