//! A body that stops moving is cut off. Without this, a client that opens a request and sends
//! its body a byte a minute holds a worker for as long as it likes (a slowloris). The limit is
//! on silence, not on total time: a slow upload over a weak network that keeps moving is never
//! cut, however long it takes. Headers have their own limit (`client_request_timeout`).

use std::io;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use futures_util::{Stream, StreamExt};

use crate::error::ApiError;
use crate::state::AppState;

/// What a body that timed out reads as, to whoever reads it next.
fn timed_out() -> PayloadError {
    PayloadError::Io(io::Error::new(
        io::ErrorKind::TimedOut,
        "no byte of the request body arrived in time",
    ))
}

/// The error a handler or extractor gives for a body it could not read: 408 when it stopped
/// moving, 400 otherwise.
pub fn payload_error(e: &PayloadError) -> ApiError {
    match e {
        PayloadError::Io(io) if io.kind() == io::ErrorKind::TimedOut => ApiError::RequestTimeout,
        _ => ApiError::BadRequest,
    }
}

/// The payload, ending with a timeout error once `idle` passes without a chunk.
fn idle_limited<S>(
    payload: S,
    idle: Duration,
) -> impl Stream<Item = Result<bytes::Bytes, PayloadError>>
where
    S: Stream<Item = Result<bytes::Bytes, PayloadError>> + Unpin,
{
    futures_util::stream::unfold(Some(payload), move |state| async move {
        let mut payload = state?;
        match tokio::time::timeout(idle, payload.next()).await {
            Ok(Some(item)) => Some((item, Some(payload))),
            Ok(None) => None,
            Err(_) => Some((Err(timed_out()), None)),
        }
    })
    // A payload may be polled again after it ended; an unfused unfold panics then.
    .fuse()
}

pub async fn body_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let idle = req
        .app_data::<web::Data<AppState>>()
        .map_or(30, |s| s.settings.body_idle_timeout_secs)
        .max(1);
    let payload: Payload = req.take_payload();
    req.set_payload(Payload::Stream {
        payload: Box::pin(idle_limited(payload, Duration::from_secs(idle))),
    });
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn silence_ends_the_body_but_slow_progress_does_not() {
        let slow = futures_util::stream::iter(0..3).then(|i| async move {
            tokio::time::sleep(Duration::from_millis(30)).await;
            Ok::<_, PayloadError>(bytes::Bytes::from(vec![i; 1]))
        });
        let got: Vec<_> = idle_limited(Box::pin(slow), Duration::from_millis(200))
            .collect()
            .await;
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(Result::is_ok));
        let stuck = futures_util::stream::pending::<Result<bytes::Bytes, PayloadError>>();
        let got: Vec<_> = idle_limited(stuck, Duration::from_millis(50))
            .collect()
            .await;
        assert_eq!(got.len(), 1);
        assert!(matches!(
            payload_error(got[0].as_ref().unwrap_err()),
            ApiError::RequestTimeout
        ));
    }
}
