//! A refused mutation: answered `rejected` with a reason code, and, when a legitimate writer
//! of the inspection sent it, its data kept in a conflict record of kind `rejected` for the
//! lead (shown, not blocking approval). Nothing in the answer names a row the caller may not
//! read.

use serde_json::{json, Value};

use super::super::conflicts::{self, NewConflict};
use super::context::Ctx;
use super::model::{target, Envelope, Mutation, MutationResult, Status};
use crate::db::{DbConn, DbError};
use crate::domain::DomainError;
use crate::inspections::service as inspections;
use crate::inspections::store::InspectionRow;
use crate::templates::model::Answer;

/// The reason code and field faults of a refusal.
pub fn reason(refusal: &DomainError) -> Result<(String, Vec<Value>), DomainError> {
    Ok(match refusal {
        DomainError::NotFound => ("not_found".to_owned(), Vec::new()),
        DomainError::Forbidden => ("forbidden".to_owned(), Vec::new()),
        // One fault with a code of its own (`invalid_hlc`) is that code, as the docs say.
        DomainError::Invalid(f) if f.len() == 1 && f[0].code == "invalid_hlc" => {
            ("invalid_hlc".to_owned(), Vec::new())
        }
        DomainError::Invalid(f) => (
            "validation_failed".to_owned(),
            f.iter()
                .map(|e| json!({"pointer": e.pointer, "code": e.code, "message": e.message.en}))
                .collect(),
        ),
        DomainError::Conflict { code, .. } => ((*code).to_owned(), Vec::new()),
        DomainError::CursorAhead { .. } => ("cursor_ahead".to_owned(), Vec::new()),
        DomainError::Db(e) => return Err(DomainError::Db(DbError::Corrupt(e.to_string()))),
    })
}

pub fn reject(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    env: &Envelope,
    refusal: DomainError,
) -> Result<MutationResult, DomainError> {
    let (entity, id, inspection_id) = target(&env.mutation);
    let mut r = MutationResult::new(&env.mutation_id, Status::Rejected, entity, &id);
    let (code, errors) = reason(&refusal)?;
    // Refusals of who may do what keep nothing: the sender could never have made it stick.
    let kept_for_lead = matches!(
        refusal,
        DomainError::Invalid(_) | DomainError::Conflict { .. }
    );
    if let (true, Some(iid)) = (kept_for_lead, inspection_id) {
        if let Some(row) = writable_by(conn, ctx, iid)? {
            for c in kept(ctx, &env.mutation) {
                let new = NewConflict {
                    inspection: &row,
                    entity: c.entity,
                    entity_id: &id,
                    field: &c.field,
                    kind: "rejected",
                    reason: Some(&code),
                    base_value: None,
                    server_value: None,
                    device_value: Some(&c.value),
                    server_author: None,
                    server_device: None,
                    server_hlc: None,
                    device_hlc: c.hlc.as_deref(),
                    winner: "server",
                    mutation_id: ctx.mid,
                };
                r.conflict_ids
                    .push(conflicts::create(conn, ctx.actor, &new)?);
            }
        }
    }
    r.reason = Some(code);
    r.errors = errors;
    r.current = super::super::pull::load_readable(conn, ctx.scope, entity, &id)?;
    Ok(r)
}

/// The inspection, if the caller sees it and is one of its writers (its team's members and
/// lead, or an administrator); viewers and outsiders get nothing kept.
fn writable_by(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    inspection_id: &str,
) -> Result<Option<InspectionRow>, DomainError> {
    match inspections::visible(conn, ctx.scope, inspection_id) {
        Ok((row, _)) if ctx.scope.standing(&row.team_id).is_some() => Ok(Some(row)),
        Ok(_) | Err(DomainError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// One value a refused mutation carried.
struct Kept {
    entity: &'static str,
    field: String,
    value: Value,
    /// The device's clock as the server reads it (clamped, bound to the device), if valid.
    hlc: Option<String>,
}

fn kept(ctx: &Ctx<'_>, m: &Mutation) -> Vec<Kept> {
    // The clock as the server reads it everywhere else (strict, clamped, bound), if valid.
    let clock = |raw: &str| ctx.hlc(raw).ok().map(|h| h.to_string());
    match m {
        Mutation::AnswerSet {
            item_id,
            value,
            na,
            hlc,
            ..
        } => vec![Kept {
            entity: "answer",
            field: item_id.clone(),
            value: json!(Answer {
                value: value.clone(),
                na: *na
            }),
            hlc: clock(hlc),
        }],
        Mutation::InspectionUpdate { fields, .. } => fields
            .iter()
            .map(|(name, e)| Kept {
                entity: "inspection",
                field: name.clone(),
                value: json!(e.value),
                hlc: clock(&e.hlc),
            })
            .collect(),
        Mutation::RecommendationUpdate {
            content,
            responsible_unit_id,
            responsible,
            due_on,
            follow_up,
            ..
        } => [
            ("content", content.as_deref().map(Value::from)),
            (
                "responsible_unit_id",
                responsible_unit_id.as_deref().map(Value::from),
            ),
            ("responsible", responsible.as_deref().map(Value::from)),
            ("due_on", due_on.map(|d| Value::from(d.to_string()))),
            ("follow_up", follow_up.as_deref().map(Value::from)),
        ]
        .into_iter()
        .filter_map(|(field, v)| {
            Some(Kept {
                entity: "recommendation",
                field: field.to_owned(),
                value: v?,
                hlc: None,
            })
        })
        .collect(),
        // The photo's record is kept so the lead sees what the device tried to attach.
        Mutation::EvidenceCreate { item_id, .. } => vec![Kept {
            entity: "evidence",
            field: item_id.clone(),
            value: json!(m),
            hlc: None,
        }],
        _ => Vec::new(),
    }
}
