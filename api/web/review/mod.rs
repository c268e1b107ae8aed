//! The review of one inspection by its team's lead (`/phieu/{id}`): the answers on the pinned
//! checklist with points and photos, the findings, the recommendations, the comment thread and
//! the review history; returning, approving and commenting; the photos themselves.
//!
//! - `page`: the page, built through `inspections::service::visible`;
//! - `sheet`: the answers by section, with each item's photos and their facts;
//! - `actions`: return, approve, comment, through the service the API uses;
//! - `photos`: the small and large views of a photo, through the API's thumbnail function;
//! - `words`: answers, times, places and people in words (the conflicts page uses it too).

pub mod actions;
pub mod page;
pub mod photos;
pub mod sheet;
pub mod words;
