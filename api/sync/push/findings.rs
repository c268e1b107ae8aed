//! `inspection.update`: the inspection's own fields (the findings strengths, shortcomings,
//! causes and the biên bản record place, held_at, members, attendees), each a field of its
//! own, merged like answers.

use serde_json::json;

use super::super::conflicts::{self, NewConflict};
use super::super::hlc::Hlc;
use super::super::merge::{merge_field, FieldMerge};
use super::context::Ctx;
use super::model::{FieldEdit, Mutation, MutationResult, Status};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::service as inspections;
use crate::inspections::store::{self as istore, InspectionRow};

pub fn apply(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    m: &Mutation,
) -> Result<MutationResult, DomainError> {
    let Mutation::InspectionUpdate {
        id,
        base_version,
        fields,
    } = m
    else {
        return Err(DomainError::NotFound);
    };
    let (row, round_status) = inspections::visible_for_write(conn, ctx.scope, id)?;
    inspections::writer(ctx.scope, &row, &round_status)?;
    inspections::editable(&row)?;
    if *base_version > row.version {
        return Err(super::answer::unknown_base_version(row.version));
    }
    let mut r = MutationResult::new(ctx.mid, Status::Applied, "inspection", &row.id);
    let mut conflicted = false;
    for (name, edit) in fields {
        if !inspections::FINDINGS_FIELDS.contains(&name.as_str()) {
            return Err(DomainError::invalid(
                &format!("/fields/{name}"),
                "unknown_field",
                "Not a field of the inspection.",
                "Không phải trường của phiếu kiểm tra.",
            ));
        }
        if let Some(c) = field(conn, ctx, &row, *base_version, name, edit)? {
            r.conflict_ids.push(c);
            conflicted = true;
        }
    }
    r.status = if conflicted {
        Status::Conflict
    } else if row.version > *base_version {
        Status::Merged
    } else {
        Status::Applied
    };
    r.current = super::super::pull::load(conn, "inspection", &row.id)?;
    Ok(r)
}

/// Merges one findings field; the id of the conflict record it made, if any.
fn field(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    row: &InspectionRow,
    base_version: i64,
    name: &str,
    edit: &FieldEdit,
) -> Result<Option<String>, DomainError> {
    let stamp = ctx.hlc(&edit.hlc)?;
    let meta = inspections::field_meta(row);
    let current = istore::find(conn, &row.id)?.ok_or(DomainError::NotFound)?;
    let server_val = json!(inspections::finding(&current, name));
    // The device's value in its stored form, so equal values compare equal.
    let value = inspections::checked(&[(name, edit.value.clone())])?
        .pop()
        .and_then(|(_, v)| v);
    let device_val = json!(value);
    let field_v = meta.get(name).and_then(|m| m["v"].as_i64()).unwrap_or(0);
    let server_hlc = meta
        .get(name)
        .and_then(|m| m["hlc"].as_str())
        .and_then(Hlc::parse);
    let decision = merge_field(
        base_version,
        field_v,
        &server_val,
        &device_val,
        server_hlc.as_ref(),
        &stamp,
    );
    if matches!(decision, FieldMerge::Take | FieldMerge::DeviceWins) {
        inspections::set_findings_field(
            conn,
            ctx.actor,
            ctx.scope,
            &row.id,
            name,
            value.clone(),
            &stamp,
        )?;
    }
    if !matches!(decision, FieldMerge::DeviceWins | FieldMerge::ServerWins) {
        return Ok(None);
    }
    let stamp_s = stamp.to_string();
    let base = edit.base_value.as_ref().map(|b| json!(b));
    let server_hlc_s = server_hlc.map(|h| h.to_string());
    let c = NewConflict {
        inspection: row,
        entity: "inspection",
        entity_id: &row.id,
        field: name,
        kind: "concurrent",
        reason: None,
        base_value: base.as_ref(),
        server_value: Some(&server_val),
        device_value: Some(&device_val),
        server_author: None,
        server_device: None,
        server_hlc: server_hlc_s.as_deref(),
        device_hlc: Some(&stamp_s),
        winner: if decision == FieldMerge::DeviceWins {
            "device"
        } else {
            "server"
        },
        mutation_id: ctx.mid,
    };
    Ok(Some(conflicts::create(conn, ctx.actor, &c)?))
}
