//! `answer.set`: one checklist answer, merged field by field against the server's (see
//! `merge`); clearing is a change like any other, versioned, never a delete.

use serde_json::json;

use super::super::conflicts::{self, NewConflict};
use super::super::hlc::Hlc;
use super::super::merge::{merge_field, FieldMerge};
use super::context::Ctx;
use super::model::{Mutation, MutationResult, Status};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::batch::AnswerBatch;
use crate::inspections::service as inspections;
use crate::templates::answers::check_value;
use crate::templates::model::Answer;

/// A `base_version` the server never gave out: a device restored from elsewhere, or a forged
/// one. Applying it could overwrite without a conflict, so it is refused.
pub fn unknown_base_version(server: i64) -> DomainError {
    DomainError::conflict(
        "unknown_base_version",
        format!("base_version is ahead of the server's version ({server}); pull, then edit again."),
        format!("base_version lớn hơn phiên bản trên máy chủ ({server}); hãy tải dữ liệu mới rồi sửa lại."),
    )
}

/// A device's `base_value` as an answer, `{"value": …, "na": …}`, whether it sent the bare
/// value or the answer object.
pub fn base_shape(b: &serde_json::Value) -> serde_json::Value {
    match b {
        serde_json::Value::Object(o) if o.contains_key("value") || o.contains_key("na") => {
            json!(serde_json::from_value::<Answer>(b.clone()).unwrap_or_default())
        }
        other => json!(Answer {
            value: other.clone(),
            na: false
        }),
    }
}

pub fn apply(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    m: &Mutation,
    answers: &mut AnswerBatch,
) -> Result<MutationResult, DomainError> {
    let Mutation::AnswerSet {
        inspection_id,
        item_id,
        value,
        na,
        base_version,
        base_value,
        hlc,
    } = m
    else {
        return Err(DomainError::NotFound);
    };
    let stamp = ctx.hlc(hlc)?;
    let device = Answer {
        value: value.clone(),
        na: *na,
    };
    let open = answers.open(conn, ctx.scope, inspection_id)?;
    // Who may write, and whether the inspection may change, before any merge: a refused
    // writer never gets as far as a conflict record.
    inspections::writer(ctx.scope, &open.row, &open.round_status)?;
    inspections::editable(&open.row)?;
    let server_version = open.answer(item_id).map_or(0, |e| e.version);
    let base = base_version.unwrap_or(0);
    if base > server_version {
        return Err(unknown_base_version(server_version));
    }
    // Absent and cleared are the same answer: nothing.
    let server_json = json!(open.answer_value(item_id).cloned().unwrap_or_default());
    let device_json = json!(device);
    let server_hlc = open
        .answer(item_id)
        .and_then(|e| e.hlc.as_deref())
        .and_then(Hlc::parse);
    let decision = merge_field(
        base,
        server_version,
        &server_json,
        &device_json,
        server_hlc.as_ref(),
        &stamp,
    );
    let aid = inspections::answer_id(inspection_id, item_id);
    let mut r = MutationResult::new(ctx.mid, Status::Applied, "answer", &aid);
    match decision {
        FieldMerge::Same => {}
        FieldMerge::Take => answers.write(ctx.scope, inspection_id, item_id, &device, &stamp)?,
        FieldMerge::DeviceWins | FieldMerge::ServerWins => {
            let edit = Edit {
                inspection_id,
                item_id,
                device: &device,
                stamp: &stamp,
                base_value: base_value.as_ref(),
                device_won: decision == FieldMerge::DeviceWins,
            };
            let id = concurrent(conn, ctx, answers, &edit, &server_json, &device_json)?;
            r.conflict_ids.push(id);
            r.status = Status::Conflict;
            r.device_won = Some(edit.device_won);
        }
    }
    r.current = answers
        .open(conn, ctx.scope, inspection_id)?
        .answer(item_id)
        .map(super::super::pull::answer_view);
    Ok(r)
}

/// One device edit that met another edit of the same answer.
struct Edit<'a> {
    inspection_id: &'a str,
    item_id: &'a str,
    device: &'a Answer,
    stamp: &'a Hlc,
    base_value: Option<&'a serde_json::Value>,
    device_won: bool,
}

/// The later clock's value becomes (or stays) current; the other is kept in a conflict
/// record for the lead. Returns the record's id.
fn concurrent(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    answers: &mut AnswerBatch,
    edit: &Edit<'_>,
    server_json: &serde_json::Value,
    device_json: &serde_json::Value,
) -> Result<String, DomainError> {
    let open = answers.open(conn, ctx.scope, edit.inspection_id)?;
    let (row, existing) = (open.row.clone(), open.answer(edit.item_id).cloned());
    if edit.device_won {
        answers.write(
            ctx.scope,
            edit.inspection_id,
            edit.item_id,
            edit.device,
            edit.stamp,
        )?;
    } else {
        // The device's value is kept, not applied; still, it must be one the form allows.
        check_value(open.template(), edit.item_id, edit.device)
            .map_err(|f| DomainError::Invalid(vec![f]))?;
    }
    // The conflict's own change-log and audit entries come after the answers'.
    answers.flush(conn)?;
    let e = existing.as_ref();
    let stamp_s = edit.stamp.to_string();
    // A conflict's values all have one shape: an answer is `{"value": …, "na": …}`.
    let base_json = edit.base_value.map(base_shape);
    let aid = inspections::answer_id(edit.inspection_id, edit.item_id);
    let c = NewConflict {
        inspection: &row,
        entity: "answer",
        entity_id: &aid,
        field: edit.item_id,
        kind: "concurrent",
        reason: None,
        base_value: base_json.as_ref(),
        server_value: Some(server_json),
        device_value: Some(device_json),
        server_author: e.map(|e| e.updated_by.as_str()),
        server_device: e.and_then(|e| e.updated_device.as_deref()),
        server_hlc: e.and_then(|e| e.hlc.as_deref()),
        device_hlc: Some(&stamp_s),
        winner: if edit.device_won { "device" } else { "server" },
        mutation_id: ctx.mid,
    };
    conflicts::create(conn, ctx.actor, &c)
}
