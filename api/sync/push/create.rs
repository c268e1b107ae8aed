//! `inspection.create`, `inspection.transition`, `recommendation.create` and `.update`,
//! `comment.create`: rows made on the device with ids of its own, their edits and review
//! actions, through the same services as the REST API.

use super::context::Ctx;
use super::model::{Mutation, MutationResult, Status};
use crate::db::DbConn;
use crate::domain::{client_id, parse_id, DomainError};
use crate::inspections::service::{self as inspections, RecommendationInput};

/// The answer to an applied mutation, with the row as it now is.
pub fn applied(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    entity: &str,
    id: &str,
) -> Result<MutationResult, DomainError> {
    let mut r = MutationResult::new(ctx.mid, Status::Applied, entity, id);
    r.current = super::super::pull::load_readable(conn, ctx.scope, entity, id)?;
    Ok(r)
}

pub fn inspection(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    m: &Mutation,
) -> Result<MutationResult, DomainError> {
    match m {
        Mutation::InspectionCreate {
            id,
            round_id,
            unit_id,
        } => {
            let id = client_id("/id", Some(id))?;
            let (round_id, unit_id) = (parse_id(round_id)?, parse_id(unit_id)?);
            let made = inspections::create_checked(
                conn, ctx.actor, ctx.scope, &id, &round_id, &unit_id, ctx.late,
            )?;
            let mut r = applied(conn, ctx, "inspection", &id)?;
            r.warnings = made.warnings;
            Ok(r)
        }
        Mutation::InspectionTransition { id, action, reason } => {
            let row = inspections::act(conn, ctx.actor, ctx.scope, id, *action, reason.as_deref())?;
            applied(conn, ctx, "inspection", &row.id)
        }
        _ => Err(DomainError::NotFound),
    }
}

pub fn attached(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    m: &Mutation,
) -> Result<MutationResult, DomainError> {
    match m {
        Mutation::RecommendationCreate {
            id,
            inspection_id,
            content,
            responsible_unit_id,
            responsible,
            due_on,
            follow_up,
        } => {
            let id = client_id("/id", Some(id))?;
            let input = RecommendationInput {
                content: Some(content.clone()),
                responsible_unit_id: responsible_unit_id.clone(),
                responsible: responsible.clone(),
                due_on: *due_on,
                follow_up: follow_up.clone(),
            };
            inspections::add_recommendation(
                conn,
                ctx.actor,
                ctx.scope,
                inspection_id,
                &id,
                &input,
            )?;
            applied(conn, ctx, "recommendation", &id)
        }
        Mutation::RecommendationUpdate {
            id,
            inspection_id,
            base_version,
            content,
            responsible_unit_id,
            responsible,
            due_on,
            follow_up,
        } => {
            let id = parse_id(id)?;
            // The inspection named must be the recommendation's: a refusal keeps the device's
            // values on that inspection for its lead, never on another one.
            let rec = crate::inspections::store::find_recommendation(conn, &id)?;
            if rec.is_none_or(|r| &r.inspection_id != inspection_id) {
                return Err(DomainError::NotFound);
            }
            let input = RecommendationInput {
                content: content.clone(),
                responsible_unit_id: responsible_unit_id.clone(),
                responsible: responsible.clone(),
                due_on: *due_on,
                follow_up: follow_up.clone(),
            };
            let v = Some(*base_version);
            inspections::update_recommendation(conn, ctx.actor, ctx.scope, &id, &input, v)?;
            applied(conn, ctx, "recommendation", &id)
        }
        Mutation::CommentCreate {
            id,
            inspection_id,
            item_id,
            body,
        } => {
            let id = client_id("/id", Some(id))?;
            inspections::add_comment(
                conn,
                ctx.actor,
                ctx.scope,
                inspection_id,
                &id,
                item_id.as_deref(),
                body,
            )?;
            applied(conn, ctx, "comment", &id)
        }
        _ => Err(DomainError::NotFound),
    }
}
