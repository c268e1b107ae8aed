//! kiemtra: the backend for inspections of dân vận chính quyền work in Nghệ An.
//!
//! Areas, each a folder: `auth`, `users`, `db`, `error`, `config`, `routes` (the route table,
//! health, metrics, OpenAPI), `middleware`; `startup` builds the server and `cli` is the
//! command line. See `docs/architecture.md`.

pub mod attachments;
pub mod audit;
pub mod auth;
pub mod brightspots;
pub mod cli;
pub mod collate;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod files;
pub mod inspections;
pub mod media;
pub mod middleware;
pub mod notifications;
pub mod obligations;
pub mod paging;
pub mod recommendations;
pub mod reports;
pub mod role;
pub mod rounds;
pub mod routes;
pub mod scope;
pub mod section;
pub mod selfcheck;
pub mod startup;
pub mod state;
pub mod sync;
pub mod teams;
pub mod telemetry;
pub mod templates;
pub mod text;
pub mod time;
pub mod units;
pub mod upgrades;
pub mod users;
pub mod web;
