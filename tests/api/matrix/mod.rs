//! A role × operation security matrix generated from the server's own OpenAPI document.
//!
//! Team 2 fills its work with text carrying a unique marker (`MARKER-B-<uuid>-<kind>`):
//! findings, a text answer, a comment, recommendations, evidence captions, a sync conflict, a
//! round conclusion and a report recommendation. Every operation of `/api/v1/openapi.json` is
//! then called with real ids of team 2's objects by team 1's lead and inspector, an inspector
//! in no team, a viewer and an anonymous caller. No response to a caller outside team 2
//! (headers, body, and every file inside a ZIP-based export) may contain the marker, or an id
//! of team 2's objects the caller did not send itself; refusals must be refusals, and team 2's
//! data must be unchanged after each caller's writes.
//!
//! The order: every read (with a control that team 1 can read its own objects through the same
//! operations, and the sync pulls: from scratch, by pages of one, WatermelonDB, then again
//! after the rounds close); then every write, caller by caller, with hostile sync pushes; then
//! an administrator (every read must succeed, proving the ids real; writes but no deletions).
//!
//! Each path parameter is mapped to real ids by what it names (`path_targets`); an operation
//! that cannot be mapped fails the test by name, so a new route cannot be skipped silently.
//! Every violation is collected and the test fails once, listing them all, after printing the
//! matrix of statuses (`--nocapture`).
//!
//! The parts: `world` (the fixture and each caller's secrets), `plant` (team 2's and team 1's
//! data), `operations` (the document's operations, their path and query parameters), `bodies`
//! (headers and bodies), `plan` (the probes), `run` (sending and the columns of callers),
//! `checks` (leaks, statuses, snapshots), `sync` (hostile pushes and the pulls) and `table`
//! (the report and the printed matrix).

mod bodies;
mod checks;
mod operations;
mod plan;
pub(crate) mod plant;
mod run;
mod sync;
mod table;
pub(crate) mod units;
pub(crate) mod world;

use std::time::Instant;

use reqwest::Method;
use serde_json::Value;

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use plan::Plan;
use run::{admin_column, call, own_team_control, writes};
use sync::{rounds_close_and_reopen, sync_pulls};
use table::Report;
use world::Fixture;

both_engines!(every_operation_keeps_team_two_private);

const OPENAPI: &str = "/api/v1/openapi.json";

/// What team 2's marked texts are; each must show up in the administrator's and the viewer's
/// reads (a positive control: otherwise the matrix could not notice it leaking).
const KINDS: [&str; 10] = [
    "findings",
    "answer",
    "comment",
    "recommendation",
    "evidence",
    "conflict",
    "conclusion",
    "report",
    units::MARKED_KIND,
    "bright-spot",
];

/// Team 2's marker found inside a file of a ZIP-based export: proves the exports' parts are
/// decompressed and scanned.
const IN_ZIP: &str = "text inside a ZIP-based export";

/// Writes that may answer 2xx whoever calls them: signing in and refreshing need no access
/// token (a bogus login or refresh token is sent, so they fail anyway), and logout answers 204
/// whatever refresh token it is given, by design (docs/api.md).
const SESSION_WRITES: [&str; 3] = [
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/refresh",
    "POST /api/v1/auth/logout",
];

/// Sync writes answer 200 with refusals inside: a push gives a verdict per mutation (each must
/// be `rejected`, checked in `push_verdicts`); a WatermelonDB push has no per-record refusal in
/// its protocol, so refused records are skipped silently. That nothing was applied is checked
/// by comparing team 2's data before and after each caller's writes (`snapshot`).
const SYNC_WRITES: [&str; 5] = [
    "POST /api/v1/sync/push",
    "POST /api/v1/sync/watermelon",
    // The caller's own notifications (someone else's id is 404), and reminders, which a lead
    // sends for the teams they lead (another team's round is 404): team 2's data stays as
    // it was, which `snapshot` checks.
    "POST /api/v1/notifications/read-all",
    "POST /api/v1/notifications/{id}/read",
    "POST /api/v1/rounds/{id}/reminders",
];

/// Only the creator of a tus upload sees it; anyone else, an administrator or a viewer too,
/// gets 404 (docs/evidence.md).
const CREATOR_ONLY: [&str; 1] = ["HEAD /api/v1/uploads/{id}"];

/// Behind a token of its own, not a user's (docs/operations.md): no caller may open it, and
/// with no metrics token configured it does not exist (404).
const OWN_TOKEN: [&str; 1] = ["GET /metrics"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Caller {
    Lead1,
    Insp1,
    /// An inspector in no team.
    Loner,
    Viewer,
    Anonymous,
    Admin,
    /// The representative of team 2's unit C (its self-assessment is team 2's marked text).
    Unit2,
    /// The representative of a unit in no round.
    UnitX,
}

/// Who may read an object besides administrators and viewers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    /// Units, published checklists, schemas; and every list (lists are filtered to the scope).
    Everyone,
    /// The shared round, in which both teams have units.
    Team1,
    /// Team 2's own objects.
    Team2,
}

/// Whose ids a request uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// Team 2's objects in the path, query and body.
    Team2,
    /// Team 1's objects in the path, and an existing id of team 2's in the body (`id`,
    /// `replaces`): creating "again" what another team made must not hand it over.
    Collide,
    /// Team 1's own objects: a control that the caller and the request are able to succeed.
    Team1,
}

const MATRIX_CALLERS: [Caller; 7] = [
    Caller::Lead1,
    Caller::Insp1,
    Caller::Loner,
    Caller::Viewer,
    Caller::Anonymous,
    Caller::Unit2,
    Caller::UnitX,
];

/// Every read first, then every write (see `writes`), then the administrator.
async fn every_operation_keeps_team_two_private(engine: Engine) {
    // Every caller's tokens are taken once, up front; on a loaded 2-core machine the whole
    // matrix outlasts the default 15-minute access token, and an expired token would read as
    // a refusal the matrix did not test.
    let Some(app) = TestApp::spawn_with(engine, |s| s.access_token_ttl_secs = 3 * 60 * 60).await
    else {
        return;
    };
    let started = Instant::now();
    let fx = Fixture::build(&app).await;
    let res = app.req(Method::GET, OPENAPI).send().await.unwrap();
    assert_eq!(res.status(), 200, "{OPENAPI}");
    let doc: Value = res.json().await.unwrap();
    let plan = Plan::from_openapi(&fx, &doc);
    let mut report = Report::default();
    for caller in MATRIX_CALLERS {
        for probe in plan.team2.iter().filter(|p| p.is_read()) {
            call(&app, &fx, caller, probe, &mut report).await;
        }
    }
    own_team_control(&app, &fx, &plan, &mut report).await;
    let positions = sync_pulls(&app, &fx, &mut report).await;
    rounds_close_and_reopen(&app, &fx, &positions, &mut report).await;

    writes(&app, &fx, &plan, &mut report).await;
    admin_column(&app, &fx, &plan, &mut report).await;
    report.positive_control();
    report.finish(engine, started.elapsed());
}
