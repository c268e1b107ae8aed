//! Security headers on every response, set once here rather than per handler:
//! - `X-Content-Type-Options: nosniff`: a browser takes every body as the type it is told;
//! - `Referrer-Policy: no-referrer` (`same-origin` on the web app's pages, whose forms need a
//!   real `Origin`): no URL (with its ids) leaks to another site;
//! - a Content-Security-Policy with `frame-ancestors 'none'`: no page of ours inside another's
//!   frame. JSON and files get `default-src 'none'` (nothing in them may run or load); the
//!   offline API docs page gets what Swagger UI needs from this server only; the inspectors'
//!   offline app (`/thuc-dia/`) may also start its service worker and read its manifest; evidence files
//!   are also `sandbox`ed, so an uploaded file can never act as a page;
//! - `Cache-Control: no-store` on answers to authenticated requests, unless the handler chose
//!   its own caching (evidence bytes are `private`): no shared cache or back button keeps a
//!   team's data.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// The CSP for the Swagger UI page and its assets, all served by this binary.
pub const DOCS_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/// Everything else the API sends: nothing in it may run, load or be framed.
pub const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/// The web app's pages: scripts, styles and images from this server only, no inline script
/// or style, forms only to this server, never framed.
pub const WEB_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/// The inspectors' offline app (`/thuc-dia/`): the web app's policy, plus its own service
/// worker and manifest (from this server only), photos shown from IndexedDB as `blob:`
/// addresses, and no form that posts anywhere (it talks to the API with `fetch`).
pub const FIELD_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; worker-src 'self'; manifest-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
/// Evidence files: as above, and sandboxed even if opened directly.
pub const FILE_CSP: &str = "default-src 'none'; frame-ancestors 'none'; sandbox";

fn csp_for(path: &str) -> &'static str {
    if path == "/thuc-dia" || path.starts_with("/thuc-dia/") {
        FIELD_CSP
    } else if path.starts_with("/docs") {
        DOCS_CSP
    } else if path.starts_with("/api/v1/evidence/") {
        FILE_CSP
    } else if path.starts_with("/api/") || matches!(path, "/healthz" | "/readyz" | "/metrics") {
        API_CSP
    } else {
        WEB_CSP
    }
}

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let authenticated = req.headers().contains_key(header::AUTHORIZATION);
    let csp = csp_for(req.path());
    let mut res = next.call(req).await?;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Pages send their address to this server only: with `no-referrer`, browsers send
    // `Origin: null` on form posts, and the origin check could not tell ours from another's.
    let referrer = if csp == WEB_CSP || csp == FIELD_CSP {
        "same-origin"
    } else {
        "no-referrer"
    };
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if authenticated && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}
