//! Settings: defaults, then an optional TOML file, then `KIEMTRA_*` environment variables,
//! then command-line flags. Nothing secret is ever printed: secrets are [`Secret`].

mod login;
mod media;
mod notify;
mod proxies;
mod secret;
mod smtp;

pub use login::LoginThrottle;
pub use media::{MediaSettings, S3Settings};
pub use notify::RemindersSettings;
pub use proxies::{canonical, Cidr, TrustedProxies};
pub use secret::Secret;
pub use smtp::SmtpSettings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

use crate::db::Backend;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address to listen on (`KIEMTRA_BIND`).
    pub bind: String,
    /// Data folder: SQLite file, photo blobs, generated secrets (`KIEMTRA_DATA_DIR`).
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL; a file path (optionally `sqlite://path`) for SQLite.
    /// Defaults to `<data_dir>/kiemtra.db` (`KIEMTRA_DATABASE_URL`).
    pub database_url: Option<Secret>,
    /// HMAC key for access tokens (`KIEMTRA_JWT_SECRET`). When absent, one is generated on
    /// first start and kept in `<data_dir>/jwt-secret` (mode 0600).
    pub jwt_secret: Option<Secret>,
    /// Lifetime of access tokens, seconds.
    pub access_token_ttl_secs: u64,
    /// Lifetime of refresh tokens, days. Long, so an inspector offline for weeks can still sync.
    pub refresh_token_ttl_days: u64,
    /// Largest JSON body accepted, bytes.
    pub json_body_limit: usize,
    /// Connections for reads: pulls, sign-ins, pages (`KIEMTRA_DB_POOL_SIZE`).
    pub db_pool_size: u32,
    /// Connections for write transactions on PostgreSQL (`KIEMTRA_DB_WRITE_POOL_SIZE`); SQLite
    /// writes through one connection. Apart from the reads', so a burst of pushes cannot
    /// starve pulls (docs/operations.md, "Connections and timeouts").
    pub db_write_pool_size: u32,
    /// Seconds a statement may run, or wait on a lock, before it is cancelled: PostgreSQL's
    /// `statement_timeout`, SQLite's `busy_timeout` (`KIEMTRA_DB_STATEMENT_TIMEOUT_SECS`;
    /// 0 for none). Migrations are not limited.
    pub db_statement_timeout_secs: u64,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// Seconds a client has to send a request's headers (`KIEMTRA_HEADER_TIMEOUT_SECS`).
    pub header_timeout_secs: u64,
    /// Seconds a request body may go without a byte arriving before it is answered 408
    /// (`KIEMTRA_BODY_IDLE_TIMEOUT_SECS`). A slow upload that keeps moving is never cut.
    pub body_idle_timeout_secs: u64,
    /// `text` or `json` log lines.
    pub log_format: String,
    /// The failed-login throttle (`KIEMTRA_LOGIN__…`); see [`LoginThrottle`].
    pub login: LoginThrottle,
    /// Reverse proxies whose `X-Forwarded-For` is believed: addresses or CIDR blocks
    /// (`KIEMTRA_TRUSTED_PROXIES=10.0.0.5,10.1.0.0/16`). Empty (the default): the client is
    /// the socket's peer and `X-Forwarded-For` is ignored.
    pub trusted_proxies: TrustedProxies,
    /// Bearer token `/metrics` asks for (`KIEMTRA_METRICS_TOKEN`, at least 16 characters).
    /// Unset (the default): `/metrics` answers 404.
    pub metrics_token: Option<Secret>,
    /// Where evidence originals and thumbnails live: absent for `<data_dir>/blobs`, or
    /// `s3://bucket[/prefix]` for an S3-compatible store shared by several API processes
    /// (`KIEMTRA_BLOB_URL`; endpoint and credentials from the usual `AWS_*` variables).
    pub blob_url: Option<String>,
    /// Where and how to reach the S3-compatible store; each field, when set, overrides the
    /// matching `AWS_*` variable.
    pub s3: S3Settings,
    pub media: MediaSettings,
    /// Inspections started after their round's `ends_on` (`KIEMTRA_LATE_INSPECTIONS`): `warn`
    /// (the default: created, with a `round_ended` warning) or `refuse` (409 `round_ended`).
    pub late_inspections: LateInspections,
    /// The zone every date a person reads is in: documents, XLSX, CSV, the evidence manifest,
    /// deadlines (`KIEMTRA_TIMEZONE`, an IANA name; `Asia/Ho_Chi_Minh` by default). The JSON API
    /// writes UTC whatever this is.
    pub timezone: String,
    /// The LibreOffice program PDFs are made with (`KIEMTRA_SOFFICE`; default `soffice` on
    /// the PATH). Without it, PDF downloads answer 503 `pdf_unavailable`.
    pub soffice: String,
    /// Seconds one DOCX → PDF conversion may take before it is killed
    /// (`KIEMTRA_SOFFICE_TIMEOUT_SECS`).
    pub soffice_timeout_secs: u64,
    /// Minutes a web-app sign-in lasts without use (`KIEMTRA_WEB_SESSION_IDLE_MINUTES`); it
    /// never outlives the refresh token it is built on (`refresh_token_ttl_days`).
    pub web_session_idle_minutes: u64,
    /// The daily reminder run (`KIEMTRA_REMINDERS__…`); see [`RemindersSettings`].
    pub reminders: RemindersSettings,
    /// E-mail of notifications over SMTP (`KIEMTRA_SMTP__…`); off without a URL.
    pub smtp: SmtpSettings,
    /// Largest document (a unit's report, …) accepted, bytes (`KIEMTRA_ATTACHMENT_MAX_BYTES`,
    /// 20 MiB by default; docs/attachments.md).
    pub attachment_max_bytes: u64,
}

/// What happens to an inspection started after its round's end date
/// (`crate::inspections::late` applies it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LateInspections {
    /// Created, and the answer carries a `round_ended` warning.
    #[default]
    Warn,
    /// Refused: 409 `round_ended`.
    Refuse,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: None,
            jwt_secret: None,
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_days: 30,
            json_body_limit: 2 * 1024 * 1024,
            header_timeout_secs: 30,
            body_idle_timeout_secs: 30,
            db_pool_size: 8,
            db_write_pool_size: 8,
            db_statement_timeout_secs: 30,
            workers: 0,
            shutdown_timeout_secs: 30,
            log_format: "text".into(),
            login: LoginThrottle::default(),
            trusted_proxies: TrustedProxies::default(),
            metrics_token: None,
            blob_url: None,
            s3: S3Settings::default(),
            media: MediaSettings::default(),
            late_inspections: Default::default(),
            timezone: crate::time::DEFAULT_ZONE.into(),
            soffice: "soffice".into(),
            soffice_timeout_secs: 120,
            web_session_idle_minutes: 8 * 60,
            reminders: RemindersSettings::default(),
            smtp: SmtpSettings::default(),
            attachment_max_bytes: 20 * 1024 * 1024,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Figment(#[from] Box<figment::Error>),
    #[error("configuration: {0}")]
    Invalid(String),
    #[error("cannot prepare the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Settings {
    /// Defaults < TOML file (if given) < `KIEMTRA_*` environment.
    pub fn load(config_file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = config_file {
            if !path.exists() {
                return Err(ConfigError::Invalid(format!(
                    "config file {} not found",
                    path.display()
                )));
            }
            fig = fig.merge(Toml::file(path));
        }
        // `KIEMTRA_LOGIN__LOCK_AFTER` reaches `login.lock_after`.
        fig = fig.merge(Env::prefixed("KIEMTRA_").split("__"));
        let settings: Settings = fig
            .extract()
            .map_err(|e| ConfigError::Figment(Box::new(e)))?;
        settings.check()?;
        crate::time::install(settings.zone()?).map_err(ConfigError::Invalid)?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), ConfigError> {
        if self.access_token_ttl_secs == 0 || self.refresh_token_ttl_days == 0 {
            return Err(ConfigError::Invalid(
                "token lifetimes must be positive".into(),
            ));
        }
        if self.db_pool_size == 0 || self.db_write_pool_size == 0 {
            return Err(ConfigError::Invalid(
                "db_pool_size and db_write_pool_size must be at least 1".into(),
            ));
        }
        if self.media.max_upload_bytes == 0
            || self.media.max_pixels == 0
            || self.media.max_side == 0
        {
            return Err(ConfigError::Invalid("media limits must be positive".into()));
        }
        if let Some(url) = &self.blob_url {
            if !url.starts_with("s3://") {
                return Err(ConfigError::Invalid(format!(
                    "blob_url must be s3://bucket[/prefix] (or unset for local files), not `{url}`"
                )));
            }
        }
        self.login.check().map_err(ConfigError::Invalid)?;
        self.smtp.check().map_err(ConfigError::Invalid)?;
        if self
            .metrics_token
            .as_ref()
            .is_some_and(|t| t.expose().chars().count() < 16)
        {
            return Err(ConfigError::Invalid(
                "metrics_token must be at least 16 characters (or unset, which hides /metrics)"
                    .into(),
            ));
        }
        self.zone()?;
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(ConfigError::Invalid(
                "log_format must be `text` or `json`".into(),
            ));
        }
        Ok(())
    }

    /// The configured local zone (`timezone`), refused with a clear message when unknown.
    pub fn zone(&self) -> Result<chrono_tz::Tz, ConfigError> {
        crate::time::parse_zone(&self.timezone)
            .map_err(|e| ConfigError::Invalid(format!("KIEMTRA_TIMEZONE: {e}")))
    }

    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose().to_owned(),
            None => self
                .data_dir
                .join("kiemtra.db")
                .to_string_lossy()
                .into_owned(),
        }
    }

    /// The database pools' sizes and statement timeout.
    pub fn pools(&self) -> crate::db::PoolSettings {
        crate::db::PoolSettings {
            read: self.db_pool_size,
            write: self.db_write_pool_size,
            statement_timeout: Duration::from_secs(self.db_statement_timeout_secs),
        }
    }

    pub fn backend(&self) -> Backend {
        Backend::from_url(&self.database_url())
    }

    /// Where the database is, with any password removed, for the start-up line.
    pub fn database_display(&self) -> String {
        let url = self.database_url();
        match self.backend() {
            Backend::Sqlite => format!("SQLite {}", crate::db::sqlite_path(&url)),
            Backend::Postgres => format!("PostgreSQL {}", redact_url_password(&url)),
        }
    }

    pub fn access_token_ttl(&self) -> Duration {
        Duration::from_secs(self.access_token_ttl_secs)
    }

    pub fn refresh_token_ttl(&self) -> Duration {
        Duration::from_secs(self.refresh_token_ttl_days * 24 * 3600)
    }

    pub fn ensure_data_dir(&self) -> Result<(), ConfigError> {
        std::fs::create_dir_all(&self.data_dir).map_err(|source| ConfigError::DataDir {
            path: self.data_dir.clone(),
            source,
        })
    }

    /// The configured JWT secret, or the one kept in the data folder (made on first use).
    pub fn jwt_secret(&self) -> Result<Secret, ConfigError> {
        if let Some(s) = &self.jwt_secret {
            if s.expose().len() < 32 {
                return Err(ConfigError::Invalid(
                    "KIEMTRA_JWT_SECRET must be at least 32 characters".into(),
                ));
            }
            return Ok(s.clone());
        }
        self.ensure_data_dir()?;
        secret::load_or_create(&self.data_dir.join("jwt-secret")).map_err(|source| {
            ConfigError::DataDir {
                path: self.data_dir.clone(),
                source,
            }
        })
    }
}

fn redact_url_password(url: &str) -> String {
    // postgres://user:pass@host/db → postgres://user:***@host/db
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_redacted_for_display() {
        assert_eq!(
            redact_url_password("postgres://kt:s3cret@db:5432/kiemtra"),
            "postgres://kt:***@db:5432/kiemtra"
        );
        assert_eq!(
            redact_url_password("postgres://db/kiemtra"),
            "postgres://db/kiemtra"
        );
    }

    #[test]
    fn debug_output_hides_secrets() {
        let s = Settings {
            jwt_secret: Some(Secret::new("super-secret-value-that-is-long-enough")),
            database_url: Some(Secret::new("postgres://u:pw@h/d")),
            metrics_token: Some(Secret::new("scrape-token-0123456789")),
            ..Settings::default()
        };
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("super-secret"));
        assert!(!dbg.contains("scrape-token"));
        assert!(!dbg.contains("pw@"));
    }

    #[test]
    fn an_unknown_timezone_is_refused_by_name() {
        let s = Settings {
            timezone: "Asia/Hanoi_City".into(),
            ..Settings::default()
        };
        let e = s.check().unwrap_err().to_string();
        assert!(
            e.contains("KIEMTRA_TIMEZONE") && e.contains("Asia/Hanoi_City"),
            "{e}"
        );
        assert_eq!(
            Settings::default().zone().unwrap(),
            chrono_tz::Asia::Ho_Chi_Minh
        );
    }

    #[test]
    fn default_database_is_in_data_dir() {
        let s = Settings {
            data_dir: PathBuf::from("/tmp/kt"),
            ..Settings::default()
        };
        assert_eq!(s.database_url(), "/tmp/kt/kiemtra.db");
        assert_eq!(s.backend(), Backend::Sqlite);
    }
}
