//! The inspectors' offline web app (`/thuc-dia/`): an installable PWA that keeps a local
//! copy of the inspector's work in IndexedDB and syncs it through the same API a native app
//! uses (`/api/v1/auth/*`, `/api/v1/sync/pull|push`, tus at `/api/v1/uploads`).
//!
//! Everything here is a **public shell**: the HTML, the script bundle, the service worker and
//! the manifest hold no data of anyone's, so they are served to anonymous callers (the
//! service worker must fetch them before the inspector signs in, and again offline). The data
//! only ever comes through the API, with the bearer token the app got at sign-in; this module
//! must never render a row of the database.
//!
//! The script is a bundle built from `field/src` by `field/build.mjs` (esbuild) and committed;
//! `tests/api/web/field.rs` re-bundles it and fails when it differs from its sources. Every
//! address carries a hash of the build, so a new binary brings a new service worker, whose
//! cache replaces the old one.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use sha2::{Digest, Sha256};

use super::assets;

const SHELL: &str = include_str!("assets/index.html");
const WORKER: &str = include_str!("assets/sw.js");
const MANIFEST: &str = include_str!("assets/manifest.webmanifest");
/// The bundle (field/src → field/build.mjs).
pub const APP_JS: &str = include_str!("assets/app.js");
pub const FIELD_CSS: &str = include_str!("assets/field.css");
const ICON_PNG_192: &[u8] = include_bytes!("assets/icon-192.png");
const ICON_PNG_512: &[u8] = include_bytes!("assets/icon-512.png");

/// Where the app lives; the service worker's scope.
pub const ROOT: &str = "/thuc-dia/";

/// A short hash of everything the app is made of: the cache's name in the service worker.
static BUILD: LazyLock<String> = LazyLock::new(|| {
    let mut h = Sha256::new();
    for part in [SHELL, WORKER, MANIFEST, APP_JS, FIELD_CSS, assets::CSS] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..6])
});

fn asset_url(name: &str) -> String {
    format!("{ROOT}tai-nguyen/{name}?v={}", BUILD.as_str())
}

/// The shell, with the versioned addresses of its assets filled in.
static SHELL_HTML: LazyLock<String> = LazyLock::new(|| {
    SHELL
        .replace("{{css}}", assets::css_url())
        .replace("{{field_css}}", &asset_url("field.css"))
        .replace("{{js}}", &asset_url("app.js"))
        .replace("{{build}}", BUILD.as_str())
});

/// The service worker, told its cache name and what to keep for offline use.
static WORKER_JS: LazyLock<String> = LazyLock::new(|| {
    let precache = [
        ROOT.to_owned(),
        assets::css_url().to_owned(),
        asset_url("field.css"),
        asset_url("app.js"),
        format!("{ROOT}manifest.webmanifest"),
        "/tai-nguyen/icon.svg".to_owned(),
    ];
    let list = serde_json::to_string(&precache).unwrap_or_else(|_| "[]".into());
    WORKER
        .replace("__BUILD__", BUILD.as_str())
        .replace("__PRECACHE__", &list)
});

/// `/thuc-dia` without its slash: the app's address as people type it.
pub async fn redirect() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, ROOT))
        .finish()
}

/// The app's one page; the script draws everything from the local store.
pub async fn shell() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(SHELL_HTML.as_str())
}

/// The service worker. Never cached by HTTP, so a new build is seen at the next visit.
pub async fn worker() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("Service-Worker-Allowed", ROOT))
        .body(WORKER_JS.as_str())
}

pub async fn manifest() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/manifest+json")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(MANIFEST)
}

/// The bundle, the app's stylesheet and its icons.
pub async fn asset(name: web::Path<String>) -> HttpResponse {
    let (body, kind): (&[u8], &str) = match name.as_str() {
        "app.js" => (APP_JS.as_bytes(), "text/javascript; charset=utf-8"),
        "field.css" => (FIELD_CSS.as_bytes(), "text/css; charset=utf-8"),
        "icon-192.png" => (ICON_PNG_192, "image/png"),
        "icon-512.png" => (ICON_PNG_512, "image/png"),
        _ => return HttpResponse::NotFound().finish(),
    };
    HttpResponse::Ok()
        .content_type(kind)
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body)
}
