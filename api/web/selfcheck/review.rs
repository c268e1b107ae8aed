//! The "Tự kiểm tra" part of the inspection review page: the unit's self-score beside the
//! inspection's, and the items where the unit and the team answered differently.

use crate::db::DbConn;
use crate::domain::DomainError;
use crate::scope::Scope;
use crate::templates::model::{Answer, Template};
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
    inspection_id: &str,
    t: &Template,
) -> Result<SelfCheckView, DomainError> {
    let cmp = crate::selfcheck::service::side_by_side(c, scope, inspection_id)?;
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
    })
}
