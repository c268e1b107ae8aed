//! The web app for team leads, administrators and committee members: server-rendered pages
//! at `/`, in Vietnamese, beside the JSON API under `/api/v1`.
//!
//! Pages are a face of the same services: every handler loads the caller's `Scope` and calls
//! the area's service or the API handler's own helper, so a page can never reach data by a
//! path the API would refuse. The parts:
//! - `pages`: the page table (path, method, roles), the one list both the router and the
//!   security matrix test read;
//! - `session`: the sign-in cookie, built on the refresh-token machinery, and the `WebUser`
//!   extractor that checks the caller's role against the table;
//! - `csrf`: the token every state-changing form carries, and `WebForm`, which checks it;
//! - `flash`: the one-line message that tells a person what their last action did;
//! - `render`, `error`, `assets`, `format`: HTML answers, error pages, embedded assets and
//!   the Vietnamese way of writing dates and states;
//! - one folder per area of pages (`account`, `rounds`, `review`, `documents`, `admin`);
//! - `field`: the inspectors' offline app at `/thuc-dia/` (a PWA; public shells, data by API).

pub mod account;
pub mod admin;
pub mod assets;
pub mod attach;
pub mod brightspots;
pub mod conflicts;
pub mod csrf;
pub mod documents;
pub mod error;
pub mod field;
pub mod flash;
pub mod format;
pub mod notifications;
pub mod pages;
pub mod recommendations;
pub mod render;
pub mod review;
pub mod rounds;
pub mod selfcheck;
pub mod session;
pub mod unit_reports;

pub use error::WebError;
pub use pages::{Page, PAGES};
pub use session::WebUser;

/// Registers the pages and the assets.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    assets::configure(cfg);
    pages::register(cfg);
}
