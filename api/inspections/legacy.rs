//! Findings typed into the checklist. Until issue 16 the 2026 checklist asked for ưu điểm,
//! hạn chế, nguyên nhân and kiến nghị as text items (`ket_qua.*`, [`FINDINGS_ITEMS`]); the
//! reports quote only the inspection's own fields and its recommendation rows. Those versions
//! are published, pinned by inspections in flight, and old devices still send their answers,
//! so whatever is typed there is folded into the fields (and `ket_qua.kien_nghi` into one
//! recommendation) as it is written, and once for the data that was already there
//! ([`migrate`]). The answers stay as typed; the fold only adds.
//!
//! What was folded last is kept per target in `field_meta._folded`, so an answer edited again
//! replaces its earlier text in the field instead of adding a second copy, and text the
//! inspectors also typed into the field is never lost.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::service::{self, RecommendationInput};
use super::store::{self, InspectionRow};
use crate::audit::Actor;
use crate::db::schema::{inspections, recommendations};
use crate::db::{self, DbConn};
use crate::domain::{nfc, DomainError};
use crate::sync::hlc::{self, Hlc};
use crate::sync::log as changes;
use crate::templates::answers::FINDINGS_ITEMS;

/// The field's new text when `typed` is folded into `current`, `last` being what was folded
/// before; `None` when nothing changes.
pub fn fold_text(current: Option<&str>, last: Option<&str>, typed: &str) -> Option<String> {
    let current = current.map(str::trim).filter(|c| !c.is_empty());
    let last = last.filter(|l| !l.is_empty());
    match (current, last) {
        (None, _) => Some(typed.to_owned()),
        (Some(c), _) if c == typed => None,
        (Some(c), Some(l)) if c == l => Some(typed.to_owned()),
        (Some(c), Some(l)) if c.contains(l) => Some(c.replacen(l, typed, 1)),
        (Some(c), _) if c.contains(typed) => None,
        (Some(c), _) => Some(format!("{c}\n\n{typed}")),
    }
}

/// The id of the recommendation folded from an inspection's `ket_qua.kien_nghi`: derived from
/// the inspection, so every server and every re-run names the same row.
pub fn recommendation_id(inspection_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(format!("kien_nghi/{inspection_id}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    uuid::Builder::from_custom_bytes(b).into_uuid().to_string()
}

/// Folds the inspection's old findings answers (if its checklist has them) into its fields
/// and recommendation. Returns whether anything changed.
pub fn fold(conn: &mut DbConn, actor: &Actor, inspection_id: &str) -> Result<bool, DomainError> {
    let Some(row) = store::find(conn, inspection_id)? else {
        return Ok(false);
    };
    let template = service::template_of(conn, &row)?;
    if !FINDINGS_ITEMS
        .iter()
        .any(|(id, _)| template.item(id).is_some())
    {
        return Ok(false);
    }
    let answers = store::answers_of(&store::answer_rows(conn, inspection_id)?);
    let mut folded = folded_of(&row);
    let mut fields = Vec::new();
    let mut changed = false;
    for (item, target) in FINDINGS_ITEMS {
        let Some(typed) = answers
            .get(item)
            .and_then(|a| a.value.as_str())
            .map(|t| nfc(t.trim()))
            .filter(|t| !t.is_empty())
        else {
            continue;
        };
        let last = folded
            .get(target)
            .and_then(Value::as_str)
            .map(str::to_owned);
        if last.as_deref() == Some(typed.as_str()) {
            continue;
        }
        if target == "recommendation" {
            fold_recommendation(conn, actor, &row, last.as_deref(), &typed)?;
        } else if let Some(text) = fold_text(
            service::finding(&row, target).as_deref(),
            last.as_deref(),
            &typed,
        ) {
            fields.push((target.to_owned(), Some(text)));
        }
        folded.insert(target.to_owned(), json!(typed));
        changed = true;
    }
    if !changed {
        return Ok(false);
    }
    let row = store::find(conn, inspection_id)?.ok_or(DomainError::NotFound)?;
    let row = if fields.is_empty() {
        row
    } else {
        service::apply_fields(conn, actor, &row, &fields, &Hlc::server(hlc::now_ms()))?
    };
    let mut meta = service::field_meta(&row);
    meta.insert("_folded".into(), Value::Object(folded));
    diesel::update(inspections::table.find(inspection_id))
        .set(inspections::field_meta.eq(Value::Object(meta).to_string()))
        .execute(conn)?;
    Ok(true)
}

fn folded_of(row: &InspectionRow) -> serde_json::Map<String, Value> {
    service::field_meta(row)
        .get("_folded")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// The one recommendation of `ket_qua.kien_nghi`: created with the text, and given the new
/// text while it still holds the text folded last (a lead's own edit of it is kept).
fn fold_recommendation(
    conn: &mut DbConn,
    actor: &Actor,
    row: &InspectionRow,
    last: Option<&str>,
    typed: &str,
) -> Result<(), DomainError> {
    let id = recommendation_id(&row.id);
    match store::find_recommendation(conn, &id)? {
        None => {
            let input = RecommendationInput {
                content: Some(typed.to_owned()),
                responsible_unit_id: None,
                responsible: None,
                due_on: None,
                follow_up: None,
            };
            let by = actor.user_id.as_deref().unwrap_or(&row.created_by);
            service::insert_recommendation(conn, actor, row, &id, &input, by)?;
        }
        Some(rec) if Some(rec.content.as_str()) == last => {
            diesel::update(recommendations::table.find(&id))
                .set((
                    recommendations::content.eq(typed),
                    recommendations::version.eq(rec.version + 1),
                    recommendations::updated_at.eq(db::now()),
                ))
                .execute(conn)?;
            changes::record(conn, "recommendation", &id, service::keys(row), false)?;
        }
        Some(_) => {}
    }
    Ok(())
}

/// The one-off fold of the data already there: every inspection holding an old findings
/// answer. Run once per database, after the schema migrations (`db::migrate`).
pub fn migrate(conn: &mut DbConn) -> Result<usize, DomainError> {
    use crate::db::schema::answers;
    let ids: Vec<String> = answers::table
        .filter(answers::item_id.eq_any(FINDINGS_ITEMS.iter().map(|(i, _)| *i)))
        .filter(answers::value.is_not_null())
        .select(answers::inspection_id)
        .distinct()
        .load(conn)?;
    let mut n = 0;
    for id in ids {
        if fold(conn, &Actor::cli(), &id)? {
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_adds_once_and_follows_edits() {
        assert_eq!(fold_text(None, None, "Tốt").as_deref(), Some("Tốt"));
        assert_eq!(fold_text(Some("Tốt"), None, "Tốt"), None);
        // Edited in the checklist: the earlier text is replaced, not doubled.
        assert_eq!(
            fold_text(Some("Tốt"), Some("Tốt"), "Tốt, đúng hạn").as_deref(),
            Some("Tốt, đúng hạn")
        );
        // Also typed into the field: both are kept.
        assert_eq!(
            fold_text(Some("Gõ ở trường"), None, "Gõ ở phiếu").as_deref(),
            Some("Gõ ở trường\n\nGõ ở phiếu")
        );
        assert_eq!(
            fold_text(Some("Gõ ở trường\n\nA"), Some("A"), "B").as_deref(),
            Some("Gõ ở trường\n\nB")
        );
    }

    #[test]
    fn the_folded_recommendation_has_one_id_per_inspection() {
        let a = recommendation_id("0190f5d2-0000-7000-8000-000000000001");
        assert_eq!(a, recommendation_id("0190f5d2-0000-7000-8000-000000000001"));
        assert_ne!(a, recommendation_id("0190f5d2-0000-7000-8000-000000000002"));
        assert!(uuid::Uuid::parse_str(&a).is_ok());
    }
}
