//! The outermost middleware. For every request it:
//! - assigns a request id (or keeps a sane incoming `X-Request-Id`) and echoes it;
//! - runs the request inside a tracing span and logs one line at the end;
//! - catches a panic anywhere below and answers 500 instead of dropping the connection;
//! - re-renders every error response as problem+json in the client's language, with the
//!   request id and path, whatever produced it (a handler, an extractor, actix's router);
//! - records Prometheus metrics.

use std::panic::AssertUnwindSafe;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use futures_util::FutureExt;
use tracing::Instrument;

use crate::error::{self, ApiError, Lang};
use crate::state::AppState;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Marks a response whose error body is already meant for people (the web app's HTML error
/// pages): it is kept as it is rather than re-rendered as problem+json.
#[derive(Clone, Copy, Debug)]
pub struct KeepBody;

/// The id of the current request, in request extensions.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

fn request_id(req: &ServiceRequest) -> String {
    let incoming = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok());
    match incoming {
        Some(id)
            if (1..=128).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) =>
        {
            id.to_owned()
        }
        _ => uuid::Uuid::now_v7().to_string(),
    }
}

/// An error raised where no request is left to answer with (a panic consumed it):
/// it carries what it needs to render itself.
#[derive(Debug)]
struct Unanswered {
    err: ApiError,
    lang: Lang,
    request_id: String,
    path: String,
}

impl std::fmt::Display for Unanswered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.err.fmt(f)
    }
}

impl ResponseError for Unanswered {
    fn status_code(&self) -> actix_web::http::StatusCode {
        self.err.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = self
            .err
            .render(self.lang, Some(&self.request_id), &self.path);
        if let Ok(v) = HeaderValue::from_str(&self.request_id) {
            res.headers_mut().insert(REQUEST_ID, v);
        }
        res
    }
}

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let rid = request_id(&req);
    req.extensions_mut().insert(RequestId(rid.clone()));
    let lang = Lang::from_headers(req.headers());
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.metrics.clone());
    let span = tracing::info_span!("request", request_id = %rid, method = %method, path = %path);

    let outcome = AssertUnwindSafe(next.call(req))
        .catch_unwind()
        .instrument(span.clone())
        .await;
    let _entered = span.enter();
    let mut res = match outcome {
        Ok(Ok(res)) => res.map_into_boxed_body(),
        Ok(Err(e)) => {
            // Only middleware below us can fail this way; handler errors are responses already.
            tracing::error!(error = %e, "request failed before reaching a handler");
            return Err(fail(
                &metrics,
                ApiError::Internal(e.to_string()),
                lang,
                rid,
                path,
                &method,
                started,
            ));
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            tracing::error!(panic = %what, "handler panicked");
            return Err(fail(
                &metrics,
                ApiError::Internal(what),
                lang,
                rid,
                path,
                &method,
                started,
            ));
        }
    };

    let status = res.status();
    let keep = res.response().extensions().get::<KeepBody>().is_some();
    if (status.is_client_error() || status.is_server_error()) && !keep {
        res = rerender(res, lang, &rid, &path);
    }
    if let Ok(v) = HeaderValue::from_str(&rid) {
        res.headers_mut().insert(REQUEST_ID, v);
    }

    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".into());
    let elapsed = started.elapsed();
    if let Some(m) = &metrics {
        m.observe(
            &method,
            &route,
            res.status().as_u16(),
            elapsed.as_secs_f64(),
        );
    }
    tracing::info!(status = res.status().as_u16(), route = %route, ms = elapsed.as_secs_f64() * 1000.0, "done");
    Ok(res)
}

/// An error response rendered again as problem+json in the client's language, whatever
/// produced it (a handler, an extractor, actix's router).
fn rerender(
    res: ServiceResponse<BoxBody>,
    lang: Lang,
    rid: &str,
    path: &str,
) -> ServiceResponse<BoxBody> {
    let status = res.status();
    let err = res
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>())
        .cloned()
        .unwrap_or_else(|| error::from_status(status));
    if status.is_server_error() {
        tracing::error!(error = %err, "server error");
    }
    let mut rendered = err.render(lang, Some(rid), path);
    // Protocol headers the handler set on its error (tus's `Tus-Resumable`,
    // `Upload-Offset`; caching rules) survive the re-rendering; only the body changes.
    // Headers that describe the old body (its type, length, encoding) do not.
    use actix_web::http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
    for (name, value) in res.headers() {
        if ![CONTENT_TYPE, CONTENT_LENGTH, CONTENT_ENCODING].contains(name)
            && !rendered.headers().contains_key(name)
        {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    res.into_response(rendered)
}

fn fail(
    metrics: &Option<crate::middleware::Metrics>,
    err: ApiError,
    lang: Lang,
    request_id: String,
    path: String,
    method: &str,
    started: Instant,
) -> actix_web::Error {
    if let Some(m) = metrics {
        m.observe(
            method,
            "unmatched",
            err.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Unanswered {
        err,
        lang,
        request_id,
        path,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{test, web, App};

    #[actix_web::test]
    async fn a_panic_becomes_a_problem_not_a_dropped_connection() {
        let app = test::init_service(
            App::new()
                .route(
                    "/boom",
                    web::get().to(|| async {
                        if true {
                            panic!("secret detail: db password is hunter2");
                        }
                        "unreachable"
                    }),
                )
                .wrap(from_fn(super::observe)),
        )
        .await;
        let req = test::TestRequest::get()
            .uri("/boom")
            .insert_header(("Accept-Language", "vi"))
            .to_request();
        let Err(err) = test::try_call_service(&app, req).await else {
            panic!("expected an error response");
        };
        let res = err.error_response();
        assert_eq!(res.status(), 500);
        assert_eq!(
            res.headers().get("content-type").unwrap(),
            "application/problem+json"
        );
        assert!(res.headers().contains_key("x-request-id"));
        let body = actix_web::body::to_bytes(res.into_body()).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["code"], "internal_error");
        assert_eq!(v["title"], "Lỗi hệ thống");
        assert_eq!(v["instance"], "/boom");
        assert!(!String::from_utf8_lossy(&body).contains("hunter2"));
    }
}
