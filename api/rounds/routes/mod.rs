//! HTTP edge of rounds and assignments.

pub mod rounds;
