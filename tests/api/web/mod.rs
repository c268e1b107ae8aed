//! The web app, tested as a browser calls it: forms, cookies, redirects, tokens. The browser
//! journeys themselves (Chromium) are in `browser`; the role × page matrix in `matrix`.

mod admin_config;
mod admin_people;
mod bright_spots;
mod browser;
pub mod client;
mod conflicts;
mod documents;
mod field;
mod field_record;
mod field_session;
mod head;
mod matrix;
mod paging;
mod resend;
mod review;
mod session;
mod stale;
