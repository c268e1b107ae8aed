//! What every handler can reach: the database, the token keys, settings and metrics.

use std::sync::Arc;

use crate::auth::JwtKeys;
use crate::config::Settings;
use crate::db::Db;
use crate::middleware::Metrics;

pub struct AppState {
    pub db: Db,
    pub jwt: JwtKeys,
    pub settings: Arc<Settings>,
    pub metrics: Metrics,
    pub media: crate::media::Media,
}
