//! Notifications stored on the server: made by any area through [`notify`] (reminders,
//! `reminders.rs`, are the first), read on the web (`/thong-bao`), pulled by devices (entity
//! `notification`, the owner's rows only) and e-mailed from the same table as an outbox
//! (`outbox.rs`) when SMTP is configured. See docs/reminders.md.

pub mod mail;
pub mod outbox;
pub mod reminders;
pub mod routes;
pub mod schedule;
pub mod store;

pub use store::{notify, NewNotification, NotificationRow};
