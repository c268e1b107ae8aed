//! Template versions: a family (by `code`) has at most one editable draft and any number of
//! published versions, numbered 1, 2, …, which never change (their SHA-256 is recorded and
//! inspections pin them). Audited.

use std::collections::HashSet;

use diesel::prelude::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::model::Template;
use super::store::{self, TemplateRow, VersionRow};
use super::validate;
use crate::audit::{self, Actor};
use crate::db::schema::{template_versions, templates};
use crate::db::{self, DbConn};
use crate::domain::DomainError;
use crate::error::{FieldError, Text};
use crate::sync::log::{self as changes, Keys};

/// Validates a document as a draft of `family` (when it exists): the schema and rules, and
/// that every `replaces` names an item of the latest published version that this one drops.
fn check(
    conn: &mut DbConn,
    doc: &Value,
    family: Option<&TemplateRow>,
) -> Result<Template, DomainError> {
    let t = validate::validate(doc).map_err(DomainError::Invalid)?;
    let Some(family) = family else { return Ok(t) };
    if t.code != family.code {
        return Err(DomainError::invalid(
            "/code",
            "code_mismatch",
            format!("A draft of `{}` must keep that code.", family.code),
            format!("Bản nháp của `{}` phải giữ nguyên mã này.", family.code),
        ));
    }
    if let Some(prev) = store::latest_published(conn, &family.id)? {
        let old: Template = serde_json::from_str(&prev.content)
            .map_err(|e| DomainError::Db(crate::db::DbError::Corrupt(e.to_string())))?;
        let old_ids: HashSet<&str> = old.items().map(|i| i.id.as_str()).collect();
        let mut faults = Vec::new();
        for (si, s) in t.sections.iter().enumerate() {
            for (ii, item) in s.items.iter().enumerate() {
                if let Some(r) = &item.replaces {
                    if !old_ids.contains(r.as_str()) {
                        faults.push(FieldError::new(
                            &format!("/sections/{si}/items/{ii}/replaces"),
                            "replaces_unknown",
                            Text::new(
                                format!("Version {} has no item `{r}`.", prev.number.unwrap_or(0)),
                                format!(
                                    "Phiên bản {} không có mục `{r}`.",
                                    prev.number.unwrap_or(0)
                                ),
                            ),
                        ));
                    }
                }
            }
        }
        if !faults.is_empty() {
            return Err(DomainError::Invalid(faults));
        }
    }
    Ok(t)
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    doc: &Value,
) -> Result<(TemplateRow, VersionRow), DomainError> {
    let t = check(conn, doc, None)?;
    if store::find_by_code(conn, &t.code)?.is_some() {
        return Err(DomainError::conflict(
            "template_code_taken",
            format!(
                "A template with code `{}` exists; save a new draft of it instead.",
                t.code
            ),
            format!(
                "Đã có phiếu mã `{}`; hãy lưu bản nháp mới của phiếu đó.",
                t.code
            ),
        ));
    }
    let (id, vid, now) = (db::new_id(), db::new_id(), db::now());
    diesel::insert_into(templates::table)
        .values((
            templates::id.eq(&id),
            templates::code.eq(&t.code),
            templates::title.eq(&t.title),
            templates::created_at.eq(now),
            templates::updated_at.eq(now),
        ))
        .execute(conn)?;
    insert_draft(conn, &vid, &id, doc, actor)?;
    audit::append(
        conn,
        actor,
        "create",
        "template",
        &id,
        None,
        Some(&json!({"code": t.code, "title": t.title, "draft": vid})),
    )?;
    let family = store::find(conn, &id)?.ok_or(DomainError::NotFound)?;
    let draft = store::find_version(conn, &vid)?.ok_or(DomainError::NotFound)?;
    Ok((family, draft))
}

fn insert_draft(
    conn: &mut DbConn,
    vid: &str,
    template_id: &str,
    doc: &Value,
    actor: &Actor,
) -> QueryResult<()> {
    let now = db::now();
    diesel::insert_into(template_versions::table)
        .values((
            template_versions::id.eq(vid),
            template_versions::template_id.eq(template_id),
            template_versions::status.eq("draft"),
            template_versions::content.eq(doc.to_string()),
            template_versions::created_by.eq(actor.user_id.clone().unwrap_or_default()),
            template_versions::version.eq(1),
            template_versions::created_at.eq(now),
            template_versions::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Creates or replaces the family's draft.
pub fn save_draft(
    conn: &mut DbConn,
    actor: &Actor,
    template_id: &str,
    doc: &Value,
) -> Result<VersionRow, DomainError> {
    let family = store::find(conn, template_id)?.ok_or(DomainError::NotFound)?;
    check(conn, doc, Some(&family))?;
    let id = match store::draft_of(conn, template_id)? {
        Some(d) => {
            diesel::update(template_versions::table.find(&d.id))
                .set((
                    template_versions::content.eq(doc.to_string()),
                    template_versions::version.eq(d.version + 1),
                    template_versions::updated_at.eq(db::now()),
                ))
                .execute(conn)?;
            d.id
        }
        None => {
            let vid = db::new_id();
            insert_draft(conn, &vid, template_id, doc, actor)?;
            vid
        }
    };
    audit::append(
        conn,
        actor,
        "save_draft",
        "template",
        template_id,
        None,
        Some(&json!({"draft": id})),
    )?;
    store::find_version(conn, &id)?.ok_or(DomainError::NotFound)
}

/// Publishes the draft as the next numbered version; it never changes after this.
pub fn publish(
    conn: &mut DbConn,
    actor: &Actor,
    template_id: &str,
) -> Result<VersionRow, DomainError> {
    let family = store::find(conn, template_id)?.ok_or(DomainError::NotFound)?;
    let draft = store::draft_of(conn, template_id)?.ok_or_else(|| {
        DomainError::conflict(
            "no_draft",
            "There is no draft to publish; save one first.",
            "Chưa có bản nháp để ban hành; hãy lưu bản nháp trước.",
        )
    })?;
    // Re-checked: the previous version may have changed since the draft was saved.
    let doc: Value = serde_json::from_str(&draft.content)
        .map_err(|e| DomainError::Db(crate::db::DbError::Corrupt(e.to_string())))?;
    let t = check(conn, &doc, Some(&family))?;
    let number = store::latest_published(conn, template_id)?
        .and_then(|v| v.number)
        .unwrap_or(0)
        + 1;
    let hash = hex::encode(Sha256::digest(draft.content.as_bytes()));
    let now = db::now();
    diesel::update(template_versions::table.find(&draft.id))
        .set((
            template_versions::status.eq("published"),
            template_versions::number.eq(number),
            template_versions::content_hash.eq(&hash),
            template_versions::published_at.eq(now),
            template_versions::version.eq(draft.version + 1),
            template_versions::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(templates::table.find(template_id))
        .set((templates::title.eq(&t.title), templates::updated_at.eq(now)))
        .execute(conn)?;
    audit::append(
        conn,
        actor,
        "publish",
        "template",
        template_id,
        None,
        Some(&json!({"version_id": draft.id, "number": number, "content_hash": hash})),
    )?;
    changes::record(conn, "template_version", &draft.id, Keys::default(), false)?;
    store::find_version(conn, &draft.id)?.ok_or(DomainError::NotFound)
}

/// The parsed content of a published version, for rounds and inspections.
pub fn published_template(
    conn: &mut DbConn,
    version_id: &str,
) -> Result<(VersionRow, Template), DomainError> {
    let v = store::find_version(conn, version_id)?
        .filter(|v| v.status == "published")
        .ok_or(DomainError::NotFound)?;
    let t: Template = serde_json::from_str(&v.content)
        .map_err(|e| DomainError::Db(crate::db::DbError::Corrupt(e.to_string())))?;
    Ok((v, t))
}
