//! The "Tự kiểm tra" part of the inspection review page: the unit's self-score beside the
//! inspection's, the items where the unit and the team answered differently, and the files
//! the unit attached to its items (downloaded at `/tep/{id}` under the same read rule).

use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::store::InspectionRow;
use crate::scope::Scope;
use crate::templates::model::{Answer, Template};
use crate::web::attach::FileLine;
use crate::web::review::words;

pub struct DiffRow {
    pub label: String,
    pub mine: String,
    pub theirs: String,
}

pub struct SelfCheckView {
    /// Whether the unit submitted a self-assessment for the round.
    pub submitted: bool,
    pub self_score: String,
    pub inspected_score: String,
    pub rows: Vec<DiffRow>,
    /// The unit's evidence files by item, in the checklist's order: (item label, files).
    pub files: Vec<(String, Vec<FileLine>)>,
}

fn words_of(t: &Template, item_id: &str, v: Option<&serde_json::Value>) -> String {
    let a: Option<Answer> = v.and_then(|v| serde_json::from_value(v.clone()).ok());
    t.item(item_id)
        .map(|i| words::answer(i, a.as_ref()))
        .unwrap_or_default()
}

/// The comparison for an inspection the caller can read (the same rule as the page's own).
pub fn build(
    c: &mut DbConn,
    scope: &Scope,
    row: &InspectionRow,
    t: &Template,
) -> Result<SelfCheckView, DomainError> {
    let cmp = crate::selfcheck::service::side_by_side(c, scope, &row.id)?;
    let mut by_item = crate::selfcheck::files::of_submitted(c, scope, &row.round_id, &row.unit_id)?;
    let files = t
        .items()
        .filter_map(|i| {
            let f = by_item.remove(&i.id)?;
            Some((i.label.clone(), f.iter().map(FileLine::of).collect()))
        })
        .collect();
    let score = |s: Option<f64>| s.map_or("—".into(), crate::reports::labels::score);
    Ok(SelfCheckView {
        submitted: cmp.submitted,
        self_score: score(cmp.self_score),
        inspected_score: score(cmp.inspected_score),
        rows: cmp
            .items
            .iter()
            .filter(|i| i.differs)
            .map(|i| DiffRow {
                label: i.label.clone(),
                mine: words_of(t, &i.item_id, i.self_value.as_ref()),
                theirs: words_of(t, &i.item_id, i.inspected_value.as_ref()),
            })
            .collect(),
        files,
    })
}
