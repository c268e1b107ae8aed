//! The web app, tested as a browser calls it: forms, cookies, redirects, tokens. The browser
//! journeys themselves (Chromium) are in `browser`; the role × page matrix in `matrix`.

mod admin_people;
pub mod client;
mod session;
