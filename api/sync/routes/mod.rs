//! HTTP edge of sync: pull, push, conflicts.

pub mod conflicts;
pub mod pull;
pub mod push;
pub mod watermelon;

use actix_web::HttpRequest;

use crate::error::ApiError;

pub const SCHEMA_HEADER: &str = "X-Kiemtra-Schema-Version";

/// Every sync call names the client's schema version (header or `schema_version` query);
/// anything else than what this server speaks is answered 426 with what to do.
pub fn check_schema(req: &HttpRequest, from_body: Option<u32>) -> Result<(), ApiError> {
    let from_header = req
        .headers()
        .get(SCHEMA_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u32>().ok());
    let from_query = req
        .query_string()
        .split('&')
        .find_map(|kv| kv.strip_prefix("schema_version="))
        .and_then(|v| v.parse::<u32>().ok());
    match from_body.or(from_header).or(from_query) {
        Some(v) if super::SUPPORTED_SCHEMA_VERSIONS.contains(&v) => Ok(()),
        _ => Err(ApiError::UpgradeRequired {
            supported: super::SUPPORTED_SCHEMA_VERSIONS.to_vec(),
        }),
    }
}
