//! Answers written by one push, decided in memory and written together.
//!
//! A push carries hundreds of answers, mostly to a handful of inspections. Each inspection is
//! locked and read once ([`AnswerBatch::open`]); every answer is then checked and applied to
//! that in-memory copy, and [`AnswerBatch::flush`] writes what changed in a few multi-row
//! statements: the answer rows, their change-log heads, and their audit entries (one per
//! inspection, listing each answer before and after, as a REST save of several answers
//! does; an item changed twice starts a new entry, so every value stays in the history).
//! [`AnswerBatch::settle`] then re-scores and versions each inspection once.
//!
//! The copy stays true only while nothing else writes the inspection, so a caller settles
//! the batch before any other kind of write in the same transaction, and at the end.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde_json::{json, Value};

use super::service::{self, bump, editable, template_of, visible_for_write, writer};
use super::store::{self, AnswerRow, InspectionRow};
use crate::audit::{self, Actor};
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::scope::Scope;
use crate::sync::hlc::Hlc;
use crate::sync::log::{self as changes, Change};
use crate::templates::answers::{check_one, controls_visibility};
use crate::templates::model::{Answer, Answers, Template};
use crate::templates::scoring::score;
use crate::templates::visibility::visible_items;

/// One inspection as this batch sees it: the database's state plus the batch's writes.
pub struct Open {
    pub row: InspectionRow,
    pub round_status: String,
    template: Arc<Template>,
    rows: HashMap<String, AnswerRow>,
    answers: Answers,
    /// Which items are shown under `answers`; `None` once an answer others depend on changed.
    visible: Option<HashMap<String, bool>>,
}

impl Open {
    /// The answer's row, as it stands with this batch's writes.
    pub fn answer(&self, item: &str) -> Option<&AnswerRow> {
        self.rows.get(item)
    }

    /// The answer as the form's rules see it.
    pub fn answer_value(&self, item: &str) -> Option<&Answer> {
        self.answers.get(item)
    }

    pub fn template(&self) -> &Template {
        &self.template
    }

    fn visible(&mut self) -> &HashMap<String, bool> {
        let (template, answers) = (&self.template, &self.answers);
        self.visible
            .get_or_insert_with(|| visible_items(template, answers))
    }
}

/// One audit entry in the making: answers changed in one inspection, before and after.
struct AuditEntry {
    inspection_id: String,
    before: serde_json::Map<String, Value>,
    after: serde_json::Map<String, Value>,
}

pub struct AnswerBatch {
    actor: Actor,
    open: HashMap<String, Open>,
    /// Items changed and not yet written, by inspection; their rows are the open copies'.
    pending: BTreeMap<String, BTreeSet<String>>,
    audit: Vec<AuditEntry>,
    /// Inspections whose answers changed: re-scored and versioned by `settle`.
    touched: BTreeSet<String>,
}

impl AnswerBatch {
    pub fn new(actor: &Actor) -> Self {
        AnswerBatch {
            actor: actor.clone(),
            open: HashMap::new(),
            pending: BTreeMap::new(),
            audit: Vec::new(),
            touched: BTreeSet::new(),
        }
    }

    /// The inspection, locked for the rest of the transaction and read with its answers, once
    /// per batch; "not found" if the caller may not see it.
    pub fn open(
        &mut self,
        conn: &mut DbConn,
        scope: &Scope,
        id: &str,
    ) -> Result<&mut Open, DomainError> {
        if !self.open.contains_key(id) {
            let (row, round_status) = visible_for_write(conn, scope, id)?;
            let template = template_of(conn, &row)?;
            let rows = store::answer_rows(conn, id)?;
            let answers = store::answers_of(&rows);
            let rows = rows.into_iter().map(|r| (r.item_id.clone(), r)).collect();
            self.open.insert(
                id.to_owned(),
                Open {
                    row,
                    round_status,
                    template,
                    rows,
                    answers,
                    visible: None,
                },
            );
        }
        self.open.get_mut(id).ok_or(DomainError::NotFound)
    }

    /// Checks one answer (who may write, the inspection's state, the item's type, options,
    /// range and visibility) and applies it to the opened inspection `id`, stamped with `hlc`.
    /// Nothing is written until [`AnswerBatch::flush`].
    pub fn write(
        &mut self,
        scope: &Scope,
        id: &str,
        item: &str,
        answer: &Answer,
        stamp: &Hlc,
    ) -> Result<(), DomainError> {
        let open = self.open.get_mut(id).ok_or(DomainError::NotFound)?;
        writer(scope, &open.row, &open.round_status)?;
        editable(&open.row)?;
        let template = open.template.clone();
        check_one(&template, open.visible(), item, answer)
            .map_err(|f| DomainError::Invalid(vec![f]))?;

        let before = open.answers.get(item).map_or(Value::Null, |a| json!(a));
        // Answers to one inspection share an audit entry, as a REST save of several does,
        // until an item comes round again: every value stays in the history.
        let entry = match self.audit.last_mut() {
            Some(e) if e.inspection_id == id && !e.after.contains_key(item) => e,
            _ => {
                self.audit.push(AuditEntry {
                    inspection_id: id.to_owned(),
                    before: serde_json::Map::new(),
                    after: serde_json::Map::new(),
                });
                self.audit.last_mut().ok_or(DomainError::NotFound)?
            }
        };
        entry.before.insert(item.to_owned(), before);
        entry.after.insert(item.to_owned(), json!(answer));
        let cleared = !answer.na && answer.value.is_null();
        let old_version = open.rows.get(item).map(|r| r.version);
        if old_version.is_none() && cleared {
            // Nothing stored and nothing to store: no change to record.
            return Ok(());
        }
        // Clearing is a change like any other: the row stays, with no value and the next
        // version, so a device that edits from an older version meets a conflict.
        let row = AnswerRow {
            inspection_id: id.to_owned(),
            item_id: item.to_owned(),
            value: (!answer.value.is_null()).then(|| answer.value.to_string()),
            na: answer.na,
            version: old_version.map_or(1, |v| v + 1),
            updated_by: self.actor.user_id.clone().unwrap_or_default(),
            updated_device: self.actor.device_id.clone(),
            updated_at: db::now(),
            hlc: Some(stamp.to_string()),
        };
        open.rows.insert(item.to_owned(), row);
        if cleared {
            open.answers.remove(item);
        } else {
            open.answers.insert(item.to_owned(), answer.clone());
        }
        if controls_visibility(&template, item) {
            open.visible = None;
        }
        match self.pending.get_mut(id) {
            Some(items) => {
                items.insert(item.to_owned());
            }
            None => {
                self.pending
                    .insert(id.to_owned(), BTreeSet::from([item.to_owned()]));
                self.touched.insert(id.to_owned());
            }
        }
        Ok(())
    }

    /// Writes every pending answer with its change-log head and audit entries.
    pub fn flush(&mut self, conn: &mut DbConn) -> Result<(), DomainError> {
        let pending = std::mem::take(&mut self.pending);
        let mut rows: Vec<&AnswerRow> = Vec::new();
        let mut heads: Vec<(String, &Open)> = Vec::new();
        for (id, items) in &pending {
            let open = self.open.get(id).ok_or(DomainError::NotFound)?;
            for item in items {
                rows.push(open.rows.get(item).ok_or(DomainError::NotFound)?);
                heads.push((service::answer_id(id, item), open));
            }
        }
        store::upsert_answers(conn, &rows)?;
        let heads: Vec<Change<'_>> = heads
            .iter()
            .map(|(aid, open)| Change {
                entity: "answer",
                entity_id: aid,
                keys: service::keys(&open.row),
                deleted: false,
            })
            .collect();
        if !heads.is_empty() {
            changes::record_many(conn, &heads)?;
        }
        let entries: Vec<audit::store::Change> = std::mem::take(&mut self.audit)
            .into_iter()
            .map(|e| audit::store::Change {
                action: "answer".into(),
                entity: "inspection".into(),
                entity_id: e.inspection_id,
                before: Some(Value::Object(e.before).to_string()),
                after: Some(Value::Object(e.after).to_string()),
            })
            .collect();
        audit::store::append_many(conn, &self.actor, &entries)?;
        Ok(())
    }

    /// Writes everything and re-scores and versions each inspection whose answers changed,
    /// then drops the in-memory copies: before another kind of write, which must see (and
    /// may change) the inspections as they now are.
    pub fn settle(&mut self, conn: &mut DbConn) -> Result<(), DomainError> {
        self.flush(conn)?;
        for id in std::mem::take(&mut self.touched) {
            // The copy opened by this batch is the row as it stands: nothing else wrote it.
            let row = match self.open.get(&id) {
                Some(open) => open.row.clone(),
                None => store::find(conn, &id)?.ok_or(DomainError::NotFound)?,
            };
            let (report, old_findings) = match self.open.get(&id) {
                Some(open) => (
                    score(&open.template, &open.answers),
                    has_findings_items(&open.template),
                ),
                None => (service::report(conn, &row)?.1, true),
            };
            bump(conn, &row, Some(&report))?;
            if old_findings {
                super::legacy::fold(conn, &self.actor, &id)?;
            }
        }
        self.open.clear();
        Ok(())
    }
}

/// Whether the checklist still has the old findings items (see `legacy`).
fn has_findings_items(t: &Template) -> bool {
    crate::templates::answers::FINDINGS_ITEMS
        .iter()
        .any(|(id, _)| t.item(id).is_some())
}
