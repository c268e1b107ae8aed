//! Settings of reminders (and, with SMTP, of their e-mail): see docs/reminders.md.

use serde::{Deserialize, Serialize};

/// The daily reminder run (`KIEMTRA_REMINDERS__ENABLED`, `KIEMTRA_REMINDERS__HOUR`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RemindersSettings {
    /// Run it at all (default true).
    pub enabled: bool,
    /// The local hour (0–23, `KIEMTRA_TIMEZONE`) from which it runs each day (default 8).
    pub hour: u32,
}

impl Default for RemindersSettings {
    fn default() -> Self {
        RemindersSettings {
            enabled: true,
            hour: 8,
        }
    }
}

impl RemindersSettings {
    /// No daily run (tests, and a process that should only serve requests).
    pub fn off() -> Self {
        RemindersSettings {
            enabled: false,
            ..Self::default()
        }
    }
}
