//! `/diem-sang`: the units' bright spots (điểm sáng) — the scoped list with its filters, one
//! with its evaluations and (for the lead of the unit's team in a round, or Sở Nội vụ) the
//! review form, and the unit's form registering or editing its own. The same services as
//! `/api/v1/bright-spots`.

pub mod detail;
pub mod form;
pub mod list;
