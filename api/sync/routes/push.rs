use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{ApiError, Problem};
use crate::scope::Scope;
use crate::state::AppState;
use crate::sync::push::{self, Envelope, MutationResult};

pub const MAX_BATCH: usize = 1000;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// The client's sync schema version; or the `X-Kiemtra-Schema-Version` header.
    pub schema_version: Option<u32>,
    /// Read strictly (see docs/sync.md): unknown fields, missing or over-long
    /// `mutation_id`s and NUL characters are refused with a 422 naming each one.
    #[schema(value_type = Vec<Envelope>)]
    pub mutations: Vec<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct PushResponse {
    /// One per mutation, in order.
    pub results: Vec<MutationResult>,
}

/// A batch of device mutations, applied in one transaction. Each is answered `applied`,
/// `merged`, `conflict` or `rejected`; a retried `mutation_id` gets its first answer again and
/// changes nothing. See docs/sync.md.
#[utoipa::path(
    tag = "sync",
    security(("bearer" = [])),
    request_body = PushRequest,
    responses(
        (status = 200, body = PushResponse),
        (status = 422, description = "A mutation is malformed: unknown field, bad `mutation_id`, NUL character (nothing applied)", body = Problem, content_type = "application/problem+json"),
        (status = 426, description = "Unsupported client schema version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/sync/push")]
pub async fn sync_push(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: CurrentUser,
    body: web::Json<PushRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    super::check_schema(&req, b.schema_version)?;
    if b.mutations.len() > MAX_BATCH {
        return Err(ApiError::invalid(
            "/mutations",
            "batch_too_large",
            crate::error::Text::new(
                format!("At most {MAX_BATCH} mutations per push."),
                format!("Tối đa {MAX_BATCH} thay đổi mỗi lần đồng bộ."),
            ),
        ));
    }
    let mutations = push::parse_mutations(&b.mutations)?;
    let actor = me.actor();
    let late = state.settings.late_inspections;
    let results = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            push::push_with(c, &actor, &scope, &mutations, late)
        })
        .await?;
    let r = HttpResponse::Ok()
        .content_type("application/json")
        .body(results.body());
    Ok(r)
}
