//! Cross-cutting HTTP concerns, applied once around the whole app.

mod deadline;
mod headers;
mod metrics;
mod nul;
mod observe;

pub use deadline::{body_deadline, payload_error};
pub use headers::security_headers;
pub use metrics::Metrics;
pub use nul::refuse_nul;
pub use observe::{observe, KeepBody, RequestId};
