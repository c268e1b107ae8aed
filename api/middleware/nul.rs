//! No NUL character reaches the database. PostgreSQL cannot store one in text (it answers
//! an error, which a client would meet as a 500, and a device would resend the same batch
//! forever), and SQLite would store what no person typed. A JSON body that spells one
//! (`\u0000`) is refused with a 422 naming each field, on both engines alike, before any
//! handler runs. Only bodies that contain the escape are parsed here; others pass untouched.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use serde_json::Value;

use crate::domain::Faults;
use crate::error::ApiError;

/// Bodies up to this size are scanned; larger ones are refused by the endpoints' own limits.
const SCAN_LIMIT: usize = 4 * 1024 * 1024;

fn is_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            let ct = ct.to_ascii_lowercase();
            ct.starts_with("application/json") || ct.contains("+json")
        })
}

/// The escape `\u0000` (any case) somewhere in the bytes.
fn spells_nul(buf: &[u8]) -> bool {
    buf.windows(6)
        .any(|w| w[0] == b'\\' && (w[1] | 0x20) == b'u' && &w[2..] == b"0000")
}

/// The pointer of every string holding a NUL, as field faults.
pub fn nul_faults(body: &[u8]) -> Vec<crate::error::FieldError> {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    let mut f = Faults::default();
    crate::sync::push::find_nul(&v, "", &mut f);
    f.0
}

pub async fn refuse_nul(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    // Answered here, as a response (not an error of the middleware chain), so the outer
    // middleware renders it like any handler's refusal.
    let refuse = |req: ServiceRequest, e: ApiError| Ok(req.error_response(e).map_into_right_body());
    if req.query_string().contains("%00") {
        let e = ApiError::InvalidQuery(
            "the query string may not contain the NUL character (%00)".into(),
        );
        return refuse(req, e);
    }
    if !is_json(&req) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let mut payload = req.take_payload();
    let mut buf = BytesMut::new();
    let mut whole = true;
    while let Some(chunk) = payload.next().await {
        let chunk: Bytes = match chunk {
            Ok(c) => c,
            Err(e) => return refuse(req, super::payload_error(&e)),
        };
        buf.extend_from_slice(&chunk);
        if buf.len() > SCAN_LIMIT {
            whole = false;
            break;
        }
    }
    if whole && spells_nul(&buf) {
        let faults = nul_faults(&buf);
        if !faults.is_empty() {
            return refuse(req, ApiError::Invalid(faults));
        }
    }
    let head: Bytes = buf.freeze();
    let stream = futures_util::stream::once(async move { Ok::<_, PayloadError>(head) });
    let rest: Payload = payload;
    req.set_payload(Payload::Stream {
        payload: Box::pin(stream.chain(rest)),
    });
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_escape_and_names_the_field() {
        assert!(spells_nul(br#"{"a":"x\u0000y"}"#));
        assert!(!spells_nul(br#"{"a":"x\u0001y"}"#));
        let f = nul_faults(br#"{"a":{"b":["ok","x\u0000"]}}"#);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pointer, "/a/b/1");
        assert_eq!(f[0].code, "nul_character");
    }
}
