//! Serving stored bytes: strong ETags (content-addressed bytes never change, so they are
//! cached for a year), `If-None-Match`, and single byte ranges so a photo viewer on a weak
//! network can resume or seek.

use std::ops::Range;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

use super::blob::BlobStore;
use super::error::MediaError;
use crate::error::ApiError;

/// What a `Range` header asks of an object of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Wanted {
    All,
    Part(Range<u64>),
    Unsatisfiable,
}

/// Single ranges only; anything else (several ranges, other units, nonsense) is answered
/// with the whole object, as RFC 9110 allows.
pub fn wanted(header: Option<&str>, size: u64) -> Wanted {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Wanted::All;
    };
    if spec.contains(',') {
        return Wanted::All;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Wanted::All;
    };
    let (a, b) = (a.trim(), b.trim());
    let range = if a.is_empty() {
        // Suffix: the last n bytes.
        match b.parse::<u64>() {
            Ok(0) => return Wanted::Unsatisfiable,
            Ok(n) => size.saturating_sub(n)..size,
            Err(_) => return Wanted::All,
        }
    } else {
        let Ok(start) = a.parse::<u64>() else {
            return Wanted::All;
        };
        let end = if b.is_empty() {
            size
        } else {
            match b.parse::<u64>() {
                Ok(e) if e >= start => (e + 1).min(size),
                _ => return Wanted::All,
            }
        };
        if start >= size {
            return Wanted::Unsatisfiable;
        }
        start..end
    };
    if range.start >= range.end {
        Wanted::Unsatisfiable
    } else {
        Wanted::Part(range)
    }
}

fn etag_matches(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.trim_start_matches("W/") == etag
            })
        })
}

pub async fn blob(
    req: &HttpRequest,
    store: &dyn BlobStore,
    key: &str,
    etag_value: &str,
    content_type: &str,
) -> Result<HttpResponse, ApiError> {
    let etag = format!("\"{etag_value}\"");
    let cache = "private, max-age=31536000, immutable";
    if etag_matches(req, &etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, cache))
            .finish());
    }
    let size = store.size(key).await?.ok_or_else(|| {
        ApiError::from(MediaError::Store(format!(
            "{key} is missing from the store"
        )))
    })?;
    let range_header = req
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok());
    // A stale If-Range means the client's partial copy is of other bytes: send all.
    let if_range_ok = req
        .headers()
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let wanted = if if_range_ok {
        wanted(range_header, size)
    } else {
        Wanted::All
    };
    let (status, range) = match wanted {
        Wanted::All => (StatusCode::OK, None),
        Wanted::Part(r) => (StatusCode::PARTIAL_CONTENT, Some(r)),
        Wanted::Unsatisfiable => {
            let mut res = HttpResponse::from_error(ApiError::Upload {
                status: StatusCode::RANGE_NOT_SATISFIABLE,
                code: "range_not_satisfiable",
                message: crate::error::Text::new(
                    format!("The range asked for is outside the {size} bytes of this file."),
                    format!("Khoảng byte yêu cầu nằm ngoài {size} byte của tệp."),
                ),
            });
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                res.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return Ok(res);
        }
    };
    let body = store.get(key, range.clone()).await?.ok_or_else(|| {
        ApiError::from(MediaError::Store(format!(
            "{key} is missing from the store"
        )))
    })?;
    let mut res = HttpResponse::build(status);
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::CONTENT_TYPE, content_type));
    let len = match &range {
        Some(r) => {
            res.insert_header((
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{size}", r.start, r.end - 1),
            ));
            r.end - r.start
        }
        None => size,
    };
    if let Ok(v) = HeaderValue::from_str(&len.to_string()) {
        res.insert_header((header::CONTENT_LENGTH, v));
    }
    Ok(res.streaming(body.stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_rfc9110() {
        assert_eq!(wanted(None, 100), Wanted::All);
        assert_eq!(wanted(Some("bytes=0-9"), 100), Wanted::Part(0..10));
        assert_eq!(wanted(Some("bytes=90-"), 100), Wanted::Part(90..100));
        assert_eq!(wanted(Some("bytes=-10"), 100), Wanted::Part(90..100));
        assert_eq!(wanted(Some("bytes=50-500"), 100), Wanted::Part(50..100));
        assert_eq!(wanted(Some("bytes=100-"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-1,5-6"), 100), Wanted::All);
        assert_eq!(wanted(Some("items=0-1"), 100), Wanted::All);
        assert_eq!(wanted(Some("bytes=9-3"), 100), Wanted::All);
    }
}
