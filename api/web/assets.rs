//! The web app's stylesheet, script and icon, embedded in the binary (no CDN: the app works
//! on a LAN with no internet). Each address carries a hash of its content, so browsers keep
//! an asset for a year and a new build is fetched at once.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

pub const CSS: &str = include_str!("assets/app.css");
pub const JS: &str = include_str!("assets/app.js");
pub const ICON: &str = include_str!("assets/icon.svg");

fn versioned(name: &str, body: &str) -> String {
    let h = hex::encode(&Sha256::digest(body.as_bytes())[..6]);
    format!("/tai-nguyen/{name}?v={h}")
}

static CSS_VERSIONED: LazyLock<String> = LazyLock::new(|| versioned("app.css", CSS));
static JS_VERSIONED: LazyLock<String> = LazyLock::new(|| versioned("app.js", JS));

/// The stylesheet's address, with its content hash.
pub fn css_url() -> &'static str {
    CSS_VERSIONED.as_str()
}

/// The script's address, with its content hash.
pub fn js_url() -> &'static str {
    JS_VERSIONED.as_str()
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/tai-nguyen/{name}", web::get().to(asset));
}

async fn asset(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let (body, kind) = match name.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        "icon.svg" => (ICON, "image/svg+xml"),
        _ => return HttpResponse::NotFound().finish(),
    };
    // Only an address with the current hash may be kept for good.
    let current = req.query_string().starts_with("v=")
        && [css_url(), js_url()]
            .iter()
            .any(|u| u.ends_with(req.query_string()));
    let cache = if current {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    HttpResponse::Ok()
        .content_type(kind)
        .insert_header((header::CACHE_CONTROL, cache))
        .body(body)
}
