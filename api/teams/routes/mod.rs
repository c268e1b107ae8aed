//! HTTP edge of teams. Administrators manage them; leads and inspectors see their own;
//! viewers see all.

pub mod teams;
