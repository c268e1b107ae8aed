//! `/kien-nghi`: recommendations followed across rounds — the scoped list with its filters,
//! one recommendation with its remedies, and the form adding a remedy (khắc phục). The same
//! services as `GET /api/v1/recommendations` and `POST …/remedies`.

pub mod detail;
pub mod list;
