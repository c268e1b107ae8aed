//! HTTP edge of photo evidence: records, bytes (plain and resumable), thumbnails.

pub mod archive;
pub mod content;
pub mod evidence;
pub mod uploads;

/// A request header as text, if present and readable.
fn header_str<'a>(req: &'a actix_web::HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}
