//! Installing the bundled default checklist (`schemas/templates/dvcq-2026.json`) as a published
//! version, for `kiemtra template install-default` and the demo. Idempotent: a family whose
//! latest published version already holds the bundled content is left alone, and a family
//! that holds other content is only upgraded when asked, so an edited checklist is never
//! replaced by surprise.

use serde_json::Value;

use super::service;
use super::store;
use super::DEFAULT_2026;
use crate::audit::Actor;
use crate::db::DbConn;
use crate::domain::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Published now (a new family, a never-published one, or an upgrade).
    Published,
    /// The latest published version already holds the bundled content.
    AlreadyThere,
    /// The latest published version holds other content; nothing was changed.
    Differs,
}

/// What happened, and the family's latest published version afterwards.
#[derive(Debug, Clone)]
pub struct Installed {
    pub outcome: Outcome,
    pub code: String,
    pub version_id: String,
    pub number: i32,
}

fn corrupt(e: impl ToString) -> DomainError {
    DomainError::Db(crate::db::DbError::Corrupt(e.to_string()))
}

fn parse(content: &str) -> Result<Value, DomainError> {
    serde_json::from_str(content).map_err(corrupt)
}

fn installed(outcome: Outcome, code: &str, v: &store::VersionRow) -> Installed {
    Installed {
        outcome,
        code: code.to_owned(),
        version_id: v.id.clone(),
        number: v.number.unwrap_or(0),
    }
}

/// Publishes the bundled default unless it is already the latest published version. With
/// `upgrade`, a family whose latest version differs gets the bundled content as its next
/// version. A draft with other content is never overwritten (409 `draft_exists`).
pub fn install_default(
    conn: &mut DbConn,
    actor: &Actor,
    upgrade: bool,
) -> Result<Installed, DomainError> {
    let doc = parse(DEFAULT_2026)?;
    let code = doc["code"].as_str().unwrap_or_default().to_owned();
    let Some(family) = store::find_by_code(conn, &code)? else {
        let (t, _) = service::create(conn, actor, &doc)?;
        let v = service::publish(conn, actor, &t.id)?;
        return Ok(installed(Outcome::Published, &code, &v));
    };
    if let Some(latest) = store::latest_published(conn, &family.id)? {
        if parse(&latest.content)? == doc {
            return Ok(installed(Outcome::AlreadyThere, &code, &latest));
        }
        if !upgrade {
            return Ok(installed(Outcome::Differs, &code, &latest));
        }
    }
    if let Some(draft) = store::draft_of(conn, &family.id)? {
        if parse(&draft.content)? != doc {
            return Err(DomainError::conflict(
                "draft_exists",
                format!("`{code}` has a draft with other content; publish or replace it first."),
                format!(
                    "Phiếu `{code}` đang có bản nháp với nội dung khác; hãy ban hành hoặc thay \
                     bản nháp đó trước."
                ),
            ));
        }
    }
    service::save_draft(conn, actor, &family.id, &doc)?;
    let v = service::publish(conn, actor, &family.id)?;
    Ok(installed(Outcome::Published, &code, &v))
}
