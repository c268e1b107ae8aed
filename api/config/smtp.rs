//! Settings of e-mail over SMTP (`KIEMTRA_SMTP__…`): notifications are mailed from their table
//! as an outbox when a URL is set (`notifications::outbox`). See docs/reminders.md.

use serde::{Deserialize, Serialize};

use super::Secret;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SmtpSettings {
    /// The relay (`KIEMTRA_SMTP__URL`): `smtp://host:25` (no TLS),
    /// `smtp://host:587?tls=required` (STARTTLS, refused without it),
    /// `smtp://host:587?tls=opportunistic`, or `smtps://host:465` (TLS from the first byte).
    /// Unset (the default): nothing is e-mailed. A secret, since it may carry a password.
    pub url: Option<Secret>,
    /// The sender, e.g. `Kiểm tra dân vận <kiemtra@nghean.gov.vn>` (`KIEMTRA_SMTP__FROM`);
    /// required with a URL.
    pub from: Option<String>,
    /// Sign in to the relay with these (`KIEMTRA_SMTP__USERNAME`, `KIEMTRA_SMTP__PASSWORD`).
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// Seconds one SMTP command may take before the try fails (`KIEMTRA_SMTP__TIMEOUT_SECS`).
    pub timeout_secs: u64,
    /// Where people open the web app, e.g. `https://kiemtra.nghean.gov.vn`
    /// (`KIEMTRA_SMTP__PUBLIC_URL`): a mail's link is this and the notification's path.
    /// Required with a URL.
    pub public_url: Option<String>,
    /// Seconds between looks at the outbox (`KIEMTRA_SMTP__POLL_SECS`).
    pub poll_secs: u64,
    /// The wait after the first failed try, doubled after each further one
    /// (`KIEMTRA_SMTP__RETRY_BASE_SECS`) up to `retry_max_secs`.
    pub retry_base_secs: u64,
    pub retry_max_secs: u64,
    /// Tries after which a mail is given up (`KIEMTRA_SMTP__MAX_ATTEMPTS`); its error stays.
    pub max_attempts: u32,
    /// Notifications older than this many hours when first due are not mailed: an address
    /// added today does not bring last month's reminders (`KIEMTRA_SMTP__MAX_AGE_HOURS`).
    pub max_age_hours: u64,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        SmtpSettings {
            url: None,
            from: None,
            username: None,
            password: None,
            timeout_secs: 30,
            public_url: None,
            poll_secs: 30,
            retry_base_secs: 60,
            retry_max_secs: 6 * 3600,
            max_attempts: 10,
            max_age_hours: 72,
        }
    }
}

impl SmtpSettings {
    pub fn enabled(&self) -> bool {
        self.url.is_some()
    }

    /// With a URL: a sender address lettre can parse, a public URL, a known scheme, and a
    /// username and password together.
    pub fn check(&self) -> Result<(), String> {
        let Some(url) = &self.url else {
            return Ok(());
        };
        let url = url.expose();
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            return Err("KIEMTRA_SMTP__URL must start with smtp:// or smtps://".into());
        }
        match &self.from {
            None => return Err("KIEMTRA_SMTP__FROM is required with KIEMTRA_SMTP__URL".into()),
            Some(f) if f.parse::<lettre::message::Mailbox>().is_err() => {
                return Err(format!(
                    "KIEMTRA_SMTP__FROM `{f}` is not an address (name <user@host> or user@host)"
                ))
            }
            Some(_) => {}
        }
        match self.public_url.as_deref() {
            Some(u) if u.starts_with("https://") || u.starts_with("http://") => {}
            _ => {
                return Err(
                    "KIEMTRA_SMTP__PUBLIC_URL (https://… where people open the web app) is required with KIEMTRA_SMTP__URL"
                        .into(),
                )
            }
        }
        if self.username.is_some() != self.password.is_some() {
            return Err("KIEMTRA_SMTP__USERNAME and KIEMTRA_SMTP__PASSWORD go together".into());
        }
        if self.timeout_secs == 0 || self.poll_secs == 0 || self.max_attempts == 0 {
            return Err(
                "KIEMTRA_SMTP__TIMEOUT_SECS, POLL_SECS and MAX_ATTEMPTS must be positive".into(),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> SmtpSettings {
        SmtpSettings {
            url: Some(Secret::new("smtp://relay:2525")),
            from: Some("Kiểm tra dân vận <kiemtra@nghean.gov.vn>".into()),
            public_url: Some("https://kiemtra.nghean.gov.vn".into()),
            ..SmtpSettings::default()
        }
    }

    #[test]
    fn off_without_url_and_checked_with_one() {
        assert!(!SmtpSettings::default().enabled());
        assert!(SmtpSettings::default().check().is_ok());
        assert!(on().check().is_ok());
        let bad = |s: SmtpSettings| s.check().unwrap_err();
        assert!(bad(SmtpSettings { from: None, ..on() }).contains("FROM"));
        assert!(bad(SmtpSettings {
            from: Some("not an address".into()),
            ..on()
        })
        .contains("FROM"));
        assert!(bad(SmtpSettings {
            public_url: None,
            ..on()
        })
        .contains("PUBLIC_URL"));
        assert!(bad(SmtpSettings {
            url: Some(Secret::new("http://relay")),
            ..on()
        })
        .contains("smtp://"));
        assert!(bad(SmtpSettings {
            username: Some("u".into()),
            ..on()
        })
        .contains("PASSWORD"));
    }

    #[test]
    fn the_password_never_shows() {
        let s = SmtpSettings {
            url: Some(Secret::new("smtps://u:url-pw@relay")),
            password: Some(Secret::new("relay-password")),
            ..on()
        };
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("relay-password") && !dbg.contains("url-pw"));
    }
}
