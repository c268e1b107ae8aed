//! The route table: every URL of the service, in one place.

mod fallback;
mod health;
mod metrics;
pub mod openapi;

use actix_web::web;
use utoipa_actix_web::{scope, service_config::ServiceConfig};

use crate::{
    audit, auth, inspections, media, recommendations, reports, rounds, sync, teams, templates,
    units, users,
};

pub use fallback::{no_route, RouteIndex};
pub use openapi::ApiDoc;

/// Registers every documented route, area by area (each area's registrations below). `/docs`
/// and the OpenAPI JSON are added by `startup`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(metrics::metrics)
        .service(
            scope::scope("/api/v1")
                .configure(people)
                .configure(catalogue)
                .configure(inspection_work)
                .configure(photo_evidence)
                .configure(offline)
                .configure(reporting)
                .configure(units_own)
                .configure(crate::brightspots::routes::configure)
                .configure(crate::files::routes::configure)
                .configure(crate::obligations::routes::configure),
        );
}

/// Sign-in, users and their devices, and the audit log.
fn people(cfg: &mut ServiceConfig) {
    cfg.service(auth::routes::login::login)
        .service(auth::routes::refresh::refresh)
        .service(auth::routes::logout::logout)
        .service(users::routes::me::get_me)
        .service(users::routes::list_users::list_users)
        .service(users::routes::create_user::create_user)
        .service(users::routes::get_user::get_user)
        .service(users::routes::update_user::update_user)
        .service(users::routes::devices::list_devices)
        .service(users::routes::devices::revoke_devices)
        .service(users::routes::devices::revoke_device)
        .service(audit::routes::list_audit::list_audit);
}

/// What inspections are made of: units, teams, checklist templates, rounds.
fn catalogue(cfg: &mut ServiceConfig) {
    cfg.service(units::routes::import_units::import_units)
        .service(units::routes::list_units::list_units)
        .service(units::routes::create_unit::create_unit)
        .service(units::routes::get_unit::get_unit)
        .service(units::routes::update_unit::update_unit)
        .service(units::routes::delete_unit::delete_unit)
        .service(teams::routes::teams::list_teams)
        .service(teams::routes::teams::create_team)
        .service(teams::routes::teams::get_team)
        .service(teams::routes::teams::update_team)
        .service(teams::routes::teams::delete_team)
        .service(templates::routes::schemas::get_schema)
        .service(templates::routes::templates::list_templates)
        .service(templates::routes::templates::create_template)
        .service(templates::routes::templates::get_template)
        .service(templates::routes::templates::save_draft)
        .service(templates::routes::templates::publish_template)
        .service(templates::routes::templates::get_template_version)
        .service(rounds::routes::rounds::list_rounds)
        .service(rounds::routes::rounds::create_round)
        .service(rounds::routes::rounds::get_round)
        .service(rounds::routes::rounds::update_round)
        .service(rounds::routes::rounds::list_assignments)
        .service(rounds::routes::rounds::assign_units)
        .service(rounds::routes::rounds::unassign_unit)
        .service(rounds::routes::rounds::update_assignment);
}

/// Inspections, their review, and the recommendations followed across rounds.
fn inspection_work(cfg: &mut ServiceConfig) {
    cfg.service(inspections::routes::inspections::create_inspection)
        .service(inspections::routes::inspections::list_inspections)
        .service(inspections::routes::inspections::get_inspection)
        .service(inspections::routes::inspections::update_findings)
        .service(inspections::routes::inspections::save_answers)
        .service(inspections::routes::review::submit_inspection)
        .service(inspections::routes::review::return_inspection)
        .service(inspections::routes::review::approve_inspection)
        .service(inspections::routes::recommendations::add_recommendation)
        .service(inspections::routes::recommendations::update_recommendation)
        .service(recommendations::routes::list_recommendations)
        .service(recommendations::routes::get_recommendation)
        .service(recommendations::routes::add_remedy)
        .service(recommendations::files::attach_remedy_file)
        .service(recommendations::routes::earlier_recommendations)
        .service(inspections::routes::comments::list_comments)
        .service(inspections::routes::comments::add_comment);
}

/// Photo evidence: records, bytes (plain and tus), thumbnails.
fn photo_evidence(cfg: &mut ServiceConfig) {
    cfg.service(media::routes::evidence::create_evidence)
        .service(media::routes::evidence::list_evidence)
        .service(media::routes::evidence::get_evidence)
        .service(media::routes::evidence::delete_evidence)
        .service(media::routes::content::put_content)
        .service(media::routes::content::get_content)
        .service(media::routes::content::get_thumbnail)
        .service(media::routes::uploads::uploads_options)
        .service(media::routes::uploads::create_upload)
        .service(media::routes::uploads::upload_offset)
        .service(media::routes::uploads::upload_bytes)
        .service(media::routes::uploads::delete_upload);
}

/// Offline sync: pull, push, conflicts, and the WatermelonDB face.
fn offline(cfg: &mut ServiceConfig) {
    cfg.service(sync::routes::pull::sync_pull)
        .service(sync::routes::push::sync_push)
        .service(sync::routes::conflicts::list_conflicts)
        .service(sync::routes::conflicts::resolve_conflict)
        .service(sync::routes::watermelon::watermelon_pull)
        .service(sync::routes::watermelon::watermelon_push);
}

/// Progress, reminders and notifications, reports and their documents.
fn reporting(cfg: &mut ServiceConfig) {
    cfg.service(reports::routes::progress::get_progress)
        .service(reports::routes::missing::get_missing)
        .service(crate::notifications::routes::send_reminders)
        .service(crate::notifications::routes::list_notifications)
        .service(crate::notifications::routes::read_all_notifications)
        .service(crate::notifications::routes::read_notification)
        .service(reports::routes::summary::get_summary)
        .service(reports::routes::comparison::get_comparison)
        .service(reports::routes::comparison::get_comparison_xlsx)
        .service(reports::routes::exports::export_round)
        .service(reports::routes::documents::get_document_settings)
        .service(reports::routes::documents::put_document_settings)
        .service(reports::routes::bien_ban::get_bien_ban)
        .service(reports::routes::conclusions::put_conclusion)
        .service(reports::routes::conclusions::add_report_recommendation)
        .service(reports::routes::conclusions::update_report_recommendation)
        .service(reports::routes::conclusions::delete_report_recommendation);
}

/// What a unit does itself: its self-assessment.
fn units_own(cfg: &mut ServiceConfig) {
    cfg.service(crate::selfcheck::routes::list_own)
        .service(crate::selfcheck::routes::get_own)
        .service(crate::selfcheck::routes::save_answer)
        .service(crate::selfcheck::routes::submit)
        .service(crate::selfcheck::files::attach_self_file)
        .service(crate::selfcheck::routes::get_for_unit)
        .service(crate::selfcheck::routes::side_by_side);
}

/// How request bodies, queries and paths that fail to parse are answered: always through
/// `ApiError`, so the client gets a problem with a stable code.
pub fn extractor_config(cfg: &mut web::ServiceConfig, json_limit: usize) {
    use crate::error::ApiError;
    use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
    cfg.app_data(
        web::JsonConfig::default()
            .limit(json_limit)
            .error_handler(|err, _req| {
                let api = match &err {
                    JsonPayloadError::OverflowKnownLength { .. }
                    | JsonPayloadError::Overflow { .. } => ApiError::PayloadTooLarge,
                    JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
                    JsonPayloadError::Payload(p) => crate::middleware::payload_error(p),
                    JsonPayloadError::Deserialize(e) => ApiError::MalformedJson(e.to_string()),
                    other => ApiError::MalformedJson(other.to_string()),
                };
                api.into()
            }),
    )
    .app_data(
        web::QueryConfig::default().error_handler(|err: QueryPayloadError, _req| {
            ApiError::InvalidQuery(err.to_string()).into()
        }),
    )
    .app_data(
        web::PathConfig::default()
            .error_handler(|err: PathError, _req| ApiError::InvalidPath(err.to_string()).into()),
    )
    .app_data(web::PayloadConfig::default().limit(json_limit));
}
