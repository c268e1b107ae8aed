//! Cross-cutting HTTP concerns, applied once around the whole app.

mod metrics;
mod observe;

pub use metrics::Metrics;
pub use observe::{observe, RequestId};
