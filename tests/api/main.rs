//! One integration-test binary: every module starts the real server (see `helpers`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod history;
mod pg;
mod photos;
mod python;
mod s3;
mod schemathesis;

mod audit;
mod auth;
mod cli;
mod client_errors;
mod convergence;
mod crash;
mod edges;
mod errors;
mod evidence;
mod inspections;
mod matrix;
mod metrics;
mod node;
mod operations;
mod reports;
mod scope_convergence;
mod sync;
mod sync_trust;
mod templates;
mod throttle;
mod timestamps;
mod units;
mod uploads;
mod users;
mod watermelon;
mod world;
