//! One integration-test binary: every module starts the real server (see `helpers`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod hostile;
mod pg;
mod photos;
mod s3;

mod audit;
mod auth;
mod cli;
mod convergence;
mod corpus;
mod crash;
mod errors;
mod evidence;
mod inspections;
mod matrix;
mod node;
mod operations;
mod reports;
mod sync;
mod sync_trust;
mod templates;
mod units;
mod upload_crash;
mod uploads;
mod users;
mod watermelon;
mod world;
