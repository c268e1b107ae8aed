//! `evidence.create` and `evidence.delete`: a photo's record, made on the device when it was
//! taken (its bytes travel separately, `PUT /evidence/{id}/content` or tus).

use super::context::Ctx;
use super::create::applied;
use super::model::{Mutation, MutationResult, Status};
use crate::db::DbConn;
use crate::domain::{client_id, DomainError};
use crate::media::service::{self as media, NewEvidence};

pub fn apply(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    m: &Mutation,
) -> Result<MutationResult, DomainError> {
    match m {
        Mutation::EvidenceCreate {
            id,
            inspection_id,
            item_id,
            caption,
            taken_at,
            latitude,
            longitude,
        } => {
            let n = NewEvidence {
                id: client_id("/id", Some(id))?,
                inspection_id: inspection_id.clone(),
                item_id: item_id.clone(),
                caption: caption.clone(),
                taken_at: *taken_at,
                latitude: *latitude,
                longitude: *longitude,
            };
            media::create(conn, ctx.actor, ctx.scope, &n)?;
            applied(conn, ctx, "evidence", &n.id)
        }
        Mutation::EvidenceDelete { id, .. } => {
            media::delete(conn, ctx.actor, ctx.scope, id)?;
            Ok(MutationResult::new(
                ctx.mid,
                Status::Applied,
                "evidence",
                id,
            ))
        }
        _ => Err(DomainError::NotFound),
    }
}
