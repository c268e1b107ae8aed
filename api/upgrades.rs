//! The data migrations of this version, in order (the mechanism is `db::data`). They sit at
//! the top because each runs through the domain's services, which the database layer must
//! not know.

use crate::db::data::Step;

/// A name is never reused; a step is never removed once released.
pub const STEPS: &[Step] = &[
    // Issue 16: findings typed into the old checklist items reach the report.
    ("2026-12-02_fold_checklist_findings", |c| {
        crate::inspections::legacy::migrate(c).map_err(|e| format!("{e:?}"))
    }),
];
