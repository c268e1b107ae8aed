//! Evidence of a self-assessment's items (issue 18: the unit fills the checklist "as a
//! self-assessment before the visit, with evidence"): PDF, DOCX or a decoded photo per item,
//! kept by `attachments` with owner kind `self_assessment_item` and owner id
//! `<self-assessment id>/<item id>`. Only the unit's own representative adds them, while the
//! self-assessment is a draft and the round open (as its answers); they are read with the
//! answers: by the unit always, by the others who reach it once submitted.

use std::collections::BTreeMap;

use actix_web::{put, web, HttpRequest, HttpResponse};

use super::service::{reach, template, writable};
use super::store::{self, SelfRow};
use crate::attachments::audited::{record_audited, Owner};
use crate::attachments::http::{self as att, AttachmentQuery};
use crate::attachments::listing::FileView;
use crate::attachments::service::{Received, Recorded};
use crate::attachments::{AttachmentError, OwnerKind};
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::db::DbConn;
use crate::domain::{client_id, parse_id, DomainError};
use crate::error::{ApiError, Problem};
use crate::role::Role;
use crate::scope::Scope;
use crate::state::AppState;

/// The owner id of an item's files.
pub fn owner_id(self_assessment_id: &str, item_id: &str) -> String {
    format!("{self_assessment_id}/{item_id}")
}

/// A self-assessment's files by item id, oldest first.
pub fn of_assessment(
    conn: &mut DbConn,
    self_assessment_id: &str,
) -> Result<BTreeMap<String, Vec<FileView>>, DomainError> {
    let prefix = owner_id(self_assessment_id, "");
    let kind = OwnerKind::SelfAssessmentItem.as_str();
    let mut out: BTreeMap<String, Vec<FileView>> = BTreeMap::new();
    for row in crate::attachments::store::of_owner_prefix(conn, kind, &prefix)? {
        let item = row.owner_id[prefix.len()..].to_owned();
        out.entry(item).or_default().push(row.into());
    }
    Ok(out)
}

/// The files of the unit's self-assessment in the round once it is submitted, for a caller
/// who reaches it (the inspection review page's "Tự kiểm tra"); none before, or beyond reach:
/// the same rule as [`may_read_item`] for another role than the unit.
pub fn of_submitted(
    conn: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    unit_id: &str,
) -> Result<BTreeMap<String, Vec<FileView>>, DomainError> {
    let Some(row) = store::find(conn, round_id, unit_id)?.filter(|r| r.status == "submitted")
    else {
        return Ok(BTreeMap::new());
    };
    match reach(conn, scope, round_id, unit_id) {
        Ok(_) => of_assessment(conn, &row.id),
        Err(DomainError::NotFound) => Ok(BTreeMap::new()),
        Err(e) => Err(e),
    }
}

/// Whether the caller reads the files of `owner_id` (`<self-assessment>/<item>`): they reach
/// the self-assessment and see its answers (the unit: always; others: once submitted).
pub fn may_read_item(
    conn: &mut DbConn,
    scope: &Scope,
    owner_id: &str,
) -> Result<bool, DomainError> {
    let Some((id, _)) = owner_id.split_once('/') else {
        return Ok(false);
    };
    let Some(row) = store::find_by_id(conn, id)? else {
        return Ok(false);
    };
    match reach(conn, scope, &row.round_id, &row.unit_id) {
        Ok(_) => Ok(scope.role == Role::Unit || row.status == "submitted"),
        Err(DomainError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

fn unknown_item() -> DomainError {
    DomainError::invalid(
        "/item_id",
        "unknown_item",
        "No such item in the round's checklist.",
        "Không có mục này trong phiếu của đợt kiểm tra.",
    )
}

/// Checked before a byte is read, without writing: the caller's own unit's self-assessment,
/// round open, not submitted, and the item in its checklist.
pub fn may_attach(
    conn: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    item_id: &str,
) -> Result<(), DomainError> {
    let unit = match (scope.role, &scope.unit_id) {
        (Role::Unit, Some(u)) => u.clone(),
        _ => return Err(DomainError::NotFound),
    };
    let round = reach(conn, scope, round_id, &unit)?;
    let row = store::find(conn, round_id, &unit)?;
    if round.status != "open" || row.as_ref().is_some_and(|r| r.status != "draft") {
        // The write says which (`round_not_open`, `self_assessment_submitted`).
        return Ok(());
    }
    let version = row.map_or(round.template_version_id, |r| r.template_version_id);
    template(conn, &version)?
        .item(item_id)
        .map(|_| ())
        .ok_or_else(unknown_item)
}

/// Records the received file as evidence of item `item_id`, audited when new.
pub fn attach(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    (round_id, item_id): (&str, &str),
    file: (&str, &str),
    received: &Received,
) -> Result<(FileView, Recorded), AttachmentError> {
    let (_, row): (_, SelfRow) = writable(conn, scope, round_id, None)?;
    if template(conn, &row.template_version_id)?
        .item(item_id)
        .is_none()
    {
        return Err(unknown_item().into());
    }
    let owner = Owner {
        kind: OwnerKind::SelfAssessmentItem,
        id: &owner_id(&row.id, item_id),
        entity: "self_assessment",
        entity_id: &row.id,
        extra: Some(("item_id", item_id)),
    };
    record_audited(conn, actor, owner, file, received)
}

/// Attaches an already received file (the API's upload and the web form's).
pub async fn store(
    state: &AppState,
    me: CurrentUser,
    (round, item, fid): (String, String, String),
    filename: String,
    file: Received,
) -> Result<(FileView, Recorded), ApiError> {
    att::store_with(state, me, file, move |c, actor, scope, f| {
        attach(c, actor, scope, (&round, &item), (&fid, &filename), f)
    })
    .await
}

/// Attach evidence to an item of the caller's unit's self-assessment (unit representatives
/// only), while it is a draft and the round open: a PDF, DOCX or photo (JPEG, PNG, WebP),
/// checked by its bytes (415 otherwise; a photo is decoded as evidence is, 422 when it is not
/// a whole image), at most the configured size (413). `file_id` is the client's: the same
/// bytes again answer 200; other bytes 409.
#[utoipa::path(tag = "self-assessments", security(("bearer" = [])),
    params(("id" = String, Path, description = "Round id"), ("item_id" = String, Path, description = "Checklist item id"), ("file_id" = String, Path, description = "Attachment id (a UUID made by the client)"), AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file, byte-exact; its kind is read from the bytes, so any `Content-Type` is taken"),
    responses(
        (status = 201, description = "Received", body = FileView),
        (status = 200, description = "These bytes were already received under this id", body = FileView),
        (status = 403, description = "Not a unit's representative", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The unit is not in the round", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted, round not open, other bytes under this id, or the id used elsewhere", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the size limit (`attachment_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not PDF, DOCX, JPEG, PNG or WebP (`attachment_type_unsupported`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such item (`unknown_item`), or a photo that does not decode (`image_damaged`, …)", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/self-assessments/{id}/answers/{item_id}/files/{file_id}")]
pub async fn attach_self_file(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String, String)>,
    q: web::Query<AttachmentQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    me.require(&[Role::Unit])?;
    let (round, item, fid) = path.into_inner();
    let round = parse_id(&round)?;
    let fid = client_id("/file_id", Some(&fid))?;
    let name = q.into_inner().filename.unwrap_or_default();
    let (r2, i2) = (round.clone(), item.clone());
    let check = move |c: &mut DbConn, s: &Scope| may_attach(c, s, &r2, &i2);
    let write = move |c: &mut DbConn, a: &Actor, s: &Scope, f: &Received| {
        attach(c, a, s, (&round, &item), (&fid, &name), f)
    };
    let kind = OwnerKind::SelfAssessmentItem;
    att::put_owned(&state, me, (&req, payload), kind, check, write).await
}
