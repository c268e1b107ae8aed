use actix_web::{get, web, HttpResponse};

use crate::state::AppState;

/// Prometheus metrics, text exposition format: `kiemtra_http_requests_total` and
/// `kiemtra_http_request_duration_seconds` by method, route pattern and status.
#[utoipa::path(tag = "operations", responses((status = 200, content_type = "text/plain; version=0.0.4", body = String)))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
