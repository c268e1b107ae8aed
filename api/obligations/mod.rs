//! Unit reports owed under the plan (issue 18 part 4; docs/unit-reports.md): each unit, each
//! year, sends its programme (by 10/3), a half-year report, a year report and the "Dân vận"
//! article (by 15/10). Sở Nội vụ sets the year's due dates (and a unit's own, when it must);
//! the unit uploads each document (DOCX or PDF, kept as an attachment); status is computed
//! when read; reminders go to the unit's people; the inspection checklist's items about the
//! programme are prefilled from what was received.
//!
//! `kind` and `status` are pure; `store` holds the rows; `service` the rules and scope;
//! `routes` the HTTP edge; `remind` the reminders; `prefill` the inspection's suggestions.

pub mod dues;
pub mod kind;
pub mod prefill;
pub mod remind;
pub mod report;
pub mod routes;
pub mod service;
pub mod status;
pub mod store;
