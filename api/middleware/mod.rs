//! Cross-cutting HTTP concerns, applied once around the whole app.

mod metrics;
mod nul;
mod observe;

pub use metrics::Metrics;
pub use nul::refuse_nul;
pub use observe::{observe, RequestId};
