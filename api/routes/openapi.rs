//! The OpenAPI 3.1 document. Paths come from the handlers themselves (utoipa-actix-web
//! registers and documents each route in one call, so an undocumented route cannot exist);
//! this adds what is common to all: the error shape and the bearer scheme.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::error::{Problem, ProblemField};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "kiemtra",
        description = "Backend for inspections of dân vận chính quyền work (Nghệ An): checklists, offline sync, photo evidence and reports. Every error is `application/problem+json`; see the `Problem` schema.",
        license(name = "MIT OR Apache-2.0"),
    ),
    components(schemas(Problem, ProblemField)),
    tags(
        (name = "auth", description = "Sign in, refresh, sign out"),
        (name = "users", description = "Who is signed in; user management (administrators)"),
        (name = "operations", description = "Health, readiness, metrics"),
        (name = "units", description = "Units inspected (đơn vị): sở, ban, ngành; xã; phường"),
        (name = "teams", description = "Inspection teams (đoàn kiểm tra)"),
        (name = "templates", description = "Checklist templates (phiếu kiểm tra), their versions, and the JSON Schemas"),
        (name = "rounds", description = "Inspection rounds (đợt kiểm tra) and assignments of units to teams"),
        (name = "inspections", description = "Inspections (phiếu kiểm tra): answers, findings, recommendations, comments, review"),
        (name = "recommendations", description = "Recommendations (kiến nghị) of approved inspections followed across rounds: status, remedies (khắc phục), earlier rounds' (docs/recommendations.md)"),
        (name = "evidence", description = "Photo evidence (ảnh minh chứng): records, originals, thumbnails (docs/evidence.md)"),
        (name = "uploads", description = "Resumable uploads of evidence over tus 1.0"),
        (name = "sync", description = "Offline sync: pull, push, conflicts (docs/sync.md)"),
        (name = "audit", description = "The hash-chained audit log (administrators)"),
        (name = "self-assessments", description = "A unit's self-assessment (tự kiểm tra) and its comparison with the inspection (docs/self-assessment.md)"),
        (name = "reports", description = "Round progress, summary, the leads' conclusions, and the report files (DOCX, XLSX, CSV, chart)"),
        (name = "bright-spots", description = "Điểm sáng về dân vận chính quyền: each unit's registry, evaluated in rounds (docs/bright-spots.md)"),
        (name = "notifications", description = "Reminders (đôn đốc) and each person's own notifications"),
        (name = "unit-reports", description = "Reports units owe under the plan (programme, half-year, year, \"Dân vận\" article): due dates, uploads, status, reminders (docs/unit-reports.md)"),
        (name = "attachments", description = "Documents kept outside inspections, downloaded by those who may read their owner (docs/attachments.md)"),
    )
)]
pub struct ApiDoc;

/// Applied to the finished document (after utoipa-actix-web has added the paths).
pub struct CommonResponses;

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

fn add_common(op: &mut Operation) {
    let responses = &mut op.responses.responses;
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    if secured {
        responses
            .entry("401".into())
            .or_insert_with(|| problem("No, invalid or expired access token (`unauthenticated`, `invalid_token`, `token_expired`)"));
        responses.entry("403".into()).or_insert_with(|| {
            problem("The caller's role may not do this (`forbidden`), or the account is disabled")
        });
    }
    responses.entry("default".into()).or_insert_with(|| {
        problem("Any other error: malformed JSON, invalid fields, body too large, internal error … (RFC 9457)")
    });
}

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
                &mut item.head,
                &mut item.options,
            ]
            .into_iter()
            .flatten()
            {
                add_common(op);
            }
        }
    }
}
