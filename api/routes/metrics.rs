use actix_web::{get, web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// Equal in time independent of where the two differ: both are hashed first, so even their
/// lengths are compared in constant time.
fn same_secret(presented: &str, expected: &str) -> bool {
    let (a, b) = (Sha256::digest(presented), Sha256::digest(expected));
    let diff = a
        .iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Prometheus metrics, text exposition format: `kiemtra_http_requests_total` and
/// `kiemtra_http_request_duration_seconds` by method, route pattern and status; the
/// database's `kiemtra_db_statements_total` and `kiemtra_db_commits_total`.
///
/// Not public: send `Authorization: Bearer <KIEMTRA_METRICS_TOKEN>`. When the server has no
/// metrics token configured, this path does not exist (404).
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, content_type = "text/plain; version=0.0.4", body = String),
        (status = 401, description = "No or wrong metrics token (`unauthenticated`, `invalid_token`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No metrics token is configured, so metrics are not served (`route_not_found`)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let Some(expected) = &state.settings.metrics_token else {
        return Err(ApiError::RouteNotFound);
    };
    let presented = crate::auth::bearer(&req)?;
    if !same_secret(&presented, expected.expose()) {
        return Err(ApiError::InvalidToken);
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(state.metrics.render() + &state.db.stats().render()))
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn compares_whole_secrets() {
        assert!(same_secret("s3cret-metrics-token", "s3cret-metrics-token"));
        assert!(!same_secret("s3cret-metrics-toke", "s3cret-metrics-token"));
        assert!(!same_secret("", "s3cret-metrics-token"));
        assert!(!same_secret("S3cret-metrics-token", "s3cret-metrics-token"));
    }
}
