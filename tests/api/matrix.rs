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

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::time::Instant;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use kiemtra::auth::Role;
use reqwest::Method;
use serde_json::{json, Map, Value};

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::photos;
use crate::world::World;

both_engines!(every_operation_keeps_team_two_private);

const OPENAPI: &str = "/api/v1/openapi.json";

/// What team 2's marked texts are; each must show up in the administrator's and the viewer's
/// reads (a positive control: otherwise the matrix could not notice it leaking).
const KINDS: [&str; 8] = [
    "findings",
    "answer",
    "comment",
    "recommendation",
    "evidence",
    "conflict",
    "conclusion",
    "report",
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
const SYNC_WRITES: [&str; 2] = ["POST /api/v1/sync/push", "POST /api/v1/sync/watermelon"];

/// Only the creator of a tus upload sees it; anyone else, an administrator or a viewer too,
/// gets 404 (docs/evidence.md).
const CREATOR_ONLY: [&str; 1] = ["HEAD /api/v1/uploads/{id}"];

/// Behind a token of its own, not a user's (docs/operations.md): no caller may open it, and
/// with no metrics token configured it does not exist (404).
const OWN_TOKEN: [&str; 1] = ["GET /metrics"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Lead1,
    Insp1,
    /// An inspector in no team.
    Loner,
    Viewer,
    Anonymous,
    Admin,
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

// ---------------------------------------------------------------------------------------------
// The world: two teams' data.

/// One team's objects. Team 2's texts all contain `marker`; team 1's contain its own.
#[derive(Default)]
struct TeamData {
    marker: String,
    team: String,
    unit: String,
    /// The draft: findings, a comment, a recommendation, evidence (team 2's: a conflict).
    draft: String,
    /// Team 2's approved inspection in the shared round, and its inspection in round 2.
    others: Vec<String>,
    comment: String,
    recommendations: Vec<String>,
    evidence: String,
    /// Evidence whose bytes are on their way over tus (`upload`).
    evidence_upload: String,
    upload: String,
    conflicts: Vec<String>,
    conclusion: String,
    report_rec: String,
    assignments: Vec<String>,
    /// A round only team 2 is in.
    round2: Option<String>,
}

struct Secret {
    label: String,
    value: String,
}

impl TeamData {
    fn inspections(&self) -> Vec<String> {
        let mut all = vec![self.draft.clone()];
        all.extend(self.others.iter().cloned());
        all
    }

    /// What nobody outside the team may see: the marker and the ids of the team's objects.
    fn secrets(&self, whose: &str) -> Vec<Secret> {
        let mut named: Vec<(&str, &String)> = vec![
            ("marker", &self.marker),
            ("team id", &self.team),
            ("comment id", &self.comment),
            ("evidence id", &self.evidence),
            ("evidence id (tus)", &self.evidence_upload),
            ("tus upload id", &self.upload),
            ("conclusion id", &self.conclusion),
            ("report recommendation id", &self.report_rec),
        ];
        let lists = [
            ("inspection id", self.inspections()),
            ("recommendation id", self.recommendations.clone()),
            ("conflict id", self.conflicts.clone()),
            ("assignment id", self.assignments.clone()),
            ("round-2 id", self.round2.iter().cloned().collect()),
        ];
        let mut out: Vec<Secret> = named
            .drain(..)
            .map(|(what, v)| Secret {
                label: format!("{whose}'s {what}"),
                value: v.clone(),
            })
            .collect();
        for (what, ids) in lists {
            out.extend(ids.into_iter().map(|value| Secret {
                label: format!("{whose}'s {what}"),
                value,
            }));
        }
        out.retain(|s| !s.value.is_empty());
        out
    }
}

struct Fixture {
    w: World,
    loner: String,
    lead1_id: String,
    insp1_id: String,
    insp2_id: String,
    /// insp2's second device (the one that made the conflict).
    insp2_device: String,
    png: Vec<u8>,
    one: TeamData,
    two: TeamData,
}

impl Fixture {
    async fn build(app: &TestApp) -> Fixture {
        let w = World::build(app).await;
        let (_, loner) = app.token_for("loner1", Role::Inspector).await;
        let tablet = app
            .login_body("insp2", "pw-insp2-123", Some("tablet"))
            .await
            .json::<Value>()
            .await
            .unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let png = photos::png(8, 8);
        let two = team_two(app, &w, &tablet, &png).await;
        let one = team_one(app, &w, &png).await;
        Fixture {
            lead1_id: whoami(app, &w.lead1).await.0,
            insp1_id: whoami(app, &w.insp1).await.0,
            insp2_id: whoami(app, &w.insp2).await.0,
            insp2_device: whoami(app, &tablet).await.1,
            w,
            loner,
            png,
            one,
            two,
        }
    }

    fn token(&self, caller: Caller) -> Option<&str> {
        match caller {
            Caller::Lead1 => Some(&self.w.lead1),
            Caller::Insp1 => Some(&self.w.insp1),
            Caller::Loner => Some(&self.loner),
            Caller::Viewer => Some(&self.w.viewer),
            Caller::Admin => Some(&self.w.admin),
            Caller::Anonymous => None,
        }
    }

    /// What `caller` must never receive: team 2's marker and ids; to outsiders, team 1's too.
    fn secrets_for(&self, caller: Caller) -> Vec<Secret> {
        match caller {
            // Viewers read everything (docs/api.md): only their writes are checked (refused).
            Caller::Admin | Caller::Viewer => Vec::new(),
            Caller::Lead1 | Caller::Insp1 => self.two.secrets("team 2"),
            Caller::Loner | Caller::Anonymous => {
                let mut all = self.two.secrets("team 2");
                all.extend(self.one.secrets("team 1"));
                all.push(Secret {
                    label: "the shared round's id".into(),
                    value: self.w.round.clone(),
                });
                all
            }
        }
    }
}

/// The user id and this session's device id behind a token.
async fn whoami(app: &TestApp, token: &str) -> (String, String) {
    let me: Value = app.get_json("/api/v1/me", token).await;
    (id_of(&me["user"]), id_of(&me["device"]))
}

fn id_of(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_owned()
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn hlc(ms: i64, node: &str) -> String {
    format!("{ms:013}:0000:{node}")
}

/// Sends a setup request, asserts 2xx and returns the JSON body (`null` when empty).
async fn send_ok(app: &TestApp, method: Method, path: &str, token: &str, body: Value) -> Value {
    let mut req = app.authed(method.clone(), path, token);
    if !body.is_null() {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let bytes = res.bytes().await.unwrap();
    assert!(
        status.is_success(),
        "setup {method} {path}: {status} {}",
        String::from_utf8_lossy(&bytes)
    );
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

async fn push_ok(app: &TestApp, token: &str, mutations: Value) -> Vec<Value> {
    let body = json!({"schema_version": 1, "mutations": mutations});
    let res = send_ok(app, Method::POST, "/api/v1/sync/push", token, body).await;
    res["results"].as_array().unwrap().clone()
}

/// Team 2: the draft of unit B (everything, and a conflict), the approved inspection of unit C,
/// round 2's inspection, and the compilation of the shared round.
async fn team_two(app: &TestApp, w: &World, tablet: &str, png: &[u8]) -> TeamData {
    let m = format!("MARKER-B-{}", uuid::Uuid::new_v4().simple());
    let draft = draft_with_conflict(app, w, tablet, &m).await;
    let parts = fill_draft(app, &w.insp2, &draft, &m, png).await;
    let (approved, rec_c) = approved_inspection(app, w, &m).await;
    let (round2, in_round2) = round_two(app, w, &m).await;
    let (conclusion, report_rec) = compile(app, w, &w.lead2, &w.team2, &m).await;
    let conflicts: Vec<Value> = app
        .get_json(
            &format!("/api/v1/conflicts?inspection_id={draft}"),
            &w.lead2,
        )
        .await;
    assert!(!conflicts.is_empty(), "setup: team 2 has a conflict");
    let mut assignments = assignments_of(app, w, &w.round, &w.team2).await;
    assignments.extend(assignments_of(app, w, &round2, &w.team2).await);
    TeamData {
        marker: m,
        team: w.team2.clone(),
        unit: w.unit_b.clone(),
        draft,
        others: vec![approved, in_round2],
        comment: parts.comment,
        recommendations: vec![parts.recommendation, rec_c],
        evidence: parts.evidence,
        evidence_upload: parts.evidence_upload,
        upload: parts.upload,
        conflicts: conflicts.iter().map(id_of).collect(),
        conclusion,
        report_rec,
        assignments,
        round2: Some(round2),
    }
}

/// Team 1: an ordinary draft of unit A, with the same kinds of data, and its compilation.
async fn team_one(app: &TestApp, w: &World, png: &[u8]) -> TeamData {
    let m = format!("MARKER-A-{}", uuid::Uuid::new_v4().simple());
    let body = json!({"round_id": w.round, "unit_id": w.unit_a});
    let draft = id_of(&send_ok(app, Method::POST, "/api/v1/inspections", &w.insp1, body).await);
    let answers = json!({"answers": {"a": {"value": "yes"}, "b": {"value": "part"}}});
    let path = format!("/api/v1/inspections/{draft}/answers");
    send_ok(app, Method::PATCH, &path, &w.insp1, answers).await;
    let parts = fill_draft(app, &w.insp1, &draft, &m, png).await;
    let (conclusion, report_rec) = compile(app, w, &w.lead1, &w.team1, &m).await;
    TeamData {
        marker: m,
        team: w.team1.clone(),
        unit: w.unit_a.clone(),
        assignments: assignments_of(app, w, &w.round, &w.team1).await,
        draft,
        comment: parts.comment,
        recommendations: vec![parts.recommendation],
        evidence: parts.evidence,
        evidence_upload: parts.evidence_upload,
        upload: parts.upload,
        conclusion,
        report_rec,
        ..TeamData::default()
    }
}

/// Unit B's inspection, made over sync by insp2's phone; both devices then edit the text
/// answer `c` from the same base, so the lead gets a conflict holding both marked values.
async fn draft_with_conflict(app: &TestApp, w: &World, tablet: &str, m: &str) -> String {
    let id = new_id();
    let t = chrono::Utc::now().timestamp_millis() - 60_000;
    let first = push_ok(app, &w.insp2, json!([
        {"mutation_id": new_id(), "type": "inspection.create", "id": id, "round_id": w.round, "unit_id": w.unit_b},
        {"mutation_id": new_id(), "type": "answer.set", "inspection_id": id, "item_id": "a", "value": "no", "hlc": hlc(t, "phone")},
        {"mutation_id": new_id(), "type": "answer.set", "inspection_id": id, "item_id": "c", "value": format!("{m}-answer-b"), "hlc": hlc(t + 1, "phone")},
    ]))
    .await;
    assert!(first.iter().all(|r| r["status"] == "applied"), "{first:?}");
    let base = json!({"value": format!("{m}-answer-b")});
    let phone = push_ok(app, &w.insp2, json!([{"mutation_id": new_id(), "type": "answer.set", "inspection_id": id, "item_id": "c", "value": format!("{m}-conflict-server"), "base_version": 1, "base_value": base, "hlc": hlc(t + 10, "phone")}])).await;
    assert_eq!(phone[0]["status"], "applied", "{phone:?}");
    let tab = push_ok(app, tablet, json!([{"mutation_id": new_id(), "type": "answer.set", "inspection_id": id, "item_id": "c", "value": format!("{m}-conflict-device"), "base_version": 1, "base_value": base, "hlc": hlc(t + 20, "tablet")}])).await;
    assert_eq!(tab[0]["status"], "conflict", "{tab:?}");
    id
}

struct DraftParts {
    comment: String,
    recommendation: String,
    evidence: String,
    evidence_upload: String,
    upload: String,
}

/// Findings, a comment, a recommendation, evidence with its bytes, and evidence whose bytes
/// are half uploaded over tus: all marked.
async fn fill_draft(app: &TestApp, token: &str, insp: &str, m: &str, png: &[u8]) -> DraftParts {
    let base = format!("/api/v1/inspections/{insp}");
    let findings = json!({"strengths": format!("{m}-findings-strengths"), "shortcomings": format!("{m}-findings-shortcomings"), "causes": format!("{m}-findings-causes")});
    send_ok(app, Method::PATCH, &base, token, findings).await;
    let comment = json!({"item_id": "a", "body": format!("{m}-comment")});
    let (comments, recs) = (
        format!("{base}/comments"),
        format!("{base}/recommendations"),
    );
    let comment = send_ok(app, Method::POST, &comments, token, comment).await;
    let rec = json!({"content": format!("{m}-recommendation"), "due_on": "2027-03-31"});
    let rec = send_ok(app, Method::POST, &recs, token, rec).await;
    let evidence = new_id();
    let body = json!({"id": evidence, "item_id": "a", "caption": format!("{m}-evidence"), "taken_at": "2026-09-02T08:00:00Z", "latitude": 18.68, "longitude": 105.68});
    send_ok(app, Method::POST, &format!("{base}/evidence"), token, body).await;
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{evidence}/content"),
            token,
        )
        .header("content-type", "image/png")
        .body(png.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "setup: evidence bytes stored");
    let evidence_upload = new_id();
    let body =
        json!({"id": evidence_upload, "item_id": "b", "caption": format!("{m}-evidence-tus")});
    send_ok(app, Method::POST, &format!("{base}/evidence"), token, body).await;
    DraftParts {
        comment: id_of(&comment),
        recommendation: id_of(&rec),
        upload: start_upload(app, token, &evidence_upload, png).await,
        evidence,
        evidence_upload,
    }
}

/// A tus upload for `evidence` with its first half sent; returns the upload id.
async fn start_upload(app: &TestApp, token: &str, evidence: &str, png: &[u8]) -> String {
    let res = app
        .authed(Method::POST, "/api/v1/uploads", token)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", png.len().to_string())
        .header(
            "upload-metadata",
            format!("evidence_id {}", STANDARD.encode(evidence)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "setup: tus upload created");
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let half = png[..png.len() / 2].to_vec();
    let res = app
        .authed(Method::PATCH, &location, token)
        .header("tus-resumable", "1.0.0")
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", "0")
        .body(half)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204, "setup: half the bytes sent");
    location.rsplit('/').next().unwrap().to_owned()
}

/// Unit C's inspection: a marked text answer, findings and a recommendation, approved (only
/// approved inspections reach the round's summary and exports).
async fn approved_inspection(app: &TestApp, w: &World, m: &str) -> (String, String) {
    let body = json!({"round_id": w.round, "unit_id": w.unit_c});
    let id = id_of(&send_ok(app, Method::POST, "/api/v1/inspections", &w.insp2, body).await);
    let base = format!("/api/v1/inspections/{id}");
    let answers = json!({"answers": {"a": {"value": "no"}, "b": {"value": "full"}, "c": {"value": format!("{m}-answer-c")}}});
    let path = |end: &str| format!("{base}/{end}");
    send_ok(app, Method::PATCH, &path("answers"), &w.insp2, answers).await;
    let findings = json!({"strengths": format!("{m}-findings-c"), "shortcomings": format!("{m}-findings-c2"), "causes": format!("{m}-findings-c3")});
    send_ok(app, Method::PATCH, &base, &w.insp2, findings).await;
    let rec = json!({"content": format!("{m}-recommendation-c"), "responsible_unit_id": w.unit_c, "due_on": "2027-03-31"});
    let rec = send_ok(app, Method::POST, &path("recommendations"), &w.insp2, rec).await;
    send_ok(app, Method::POST, &path("submit"), &w.insp2, Value::Null).await;
    send_ok(app, Method::POST, &path("approve"), &w.lead2, Value::Null).await;
    (id, id_of(&rec))
}

/// A second open round in which only team 2 has a unit (C), with a marked inspection.
async fn round_two(app: &TestApp, w: &World, m: &str) -> (String, String) {
    let body = json!({"name": "Kiểm tra chuyên đề 2026", "kind": "thematic", "template_version_id": w.version, "starts_on": "2026-09-01", "ends_on": "2026-11-20", "due_on": "2026-11-30", "status": "open"});
    let round = id_of(&send_ok(app, Method::POST, "/api/v1/rounds", &w.admin, body).await);
    let body = json!({"assignments": [{"unit_id": w.unit_c, "team_id": w.team2}]});
    let path = format!("/api/v1/rounds/{round}/assignments");
    send_ok(app, Method::PUT, &path, &w.admin, body).await;
    let body = json!({"round_id": round, "unit_id": w.unit_c});
    let id = id_of(&send_ok(app, Method::POST, "/api/v1/inspections", &w.insp2, body).await);
    let findings = json!({"strengths": format!("{m}-findings-r2")});
    let path = format!("/api/v1/inspections/{id}");
    send_ok(app, Method::PATCH, &path, &w.insp2, findings).await;
    (round, id)
}

/// The lead's conclusion and a report recommendation for the shared round.
async fn compile(app: &TestApp, w: &World, lead: &str, team: &str, m: &str) -> (String, String) {
    let base = format!("/api/v1/rounds/{}/teams/{team}", w.round);
    let body = json!({"body": format!("{m}-conclusion")});
    let conclusion = send_ok(app, Method::PUT, &format!("{base}/conclusion"), lead, body).await;
    let body = json!({"content": format!("{m}-report"), "responsible": format!("{m}-report-who")});
    let path = format!("{base}/report-recommendations");
    let rec = send_ok(app, Method::POST, &path, lead, body).await;
    (id_of(&conclusion), id_of(&rec))
}

async fn assignments_of(app: &TestApp, w: &World, round: &str, team: &str) -> Vec<String> {
    let all: Vec<Value> = app
        .get_json(&format!("/api/v1/rounds/{round}/assignments"), &w.admin)
        .await;
    all.iter()
        .filter(|a| a["team_id"] == team)
        .map(id_of)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Hostile sync payloads.

/// Mutations aimed at team 2's ids, each with what it tries.
fn hostile_mutations(fx: &Fixture) -> Vec<(String, Value)> {
    let (w, one, two) = (&fx.w, &fx.one, &fx.two);
    let (b, c) = (&two.draft, &two.others[0]);
    let ms = chrono::Utc::now().timestamp_millis();
    // An edit from before team 2's (the server's value wins a merge) and one from after it
    // (the device's would): both must be refused before any merging.
    let (old, now) = (hlc(ms - 600_000, "probe"), hlc(ms + 1_000, "probe"));
    let list = json!([
        {"what": "inspection.create with team 2's inspection id, team 2's unit", "type": "inspection.create", "id": b, "round_id": w.round, "unit_id": two.unit},
        {"what": "inspection.create with team 2's inspection id, team 1's unit", "type": "inspection.create", "id": b, "round_id": w.round, "unit_id": one.unit},
        {"what": "inspection.create with team 2's approved inspection id", "type": "inspection.create", "id": c, "round_id": w.round, "unit_id": w.unit_c},
        {"what": "answer.set on team 2's draft", "type": "answer.set", "inspection_id": b, "item_id": "c", "value": "probe", "hlc": now},
        {"what": "answer.set on team 2's approved inspection", "type": "answer.set", "inspection_id": c, "item_id": "b", "value": "none", "base_version": 1, "hlc": now},
        {"what": "inspection.update of team 2's findings, an older clock", "type": "inspection.update", "id": b, "base_version": 1, "fields": {"strengths": {"value": "probe", "hlc": old}}},
        {"what": "inspection.update of team 2's findings, a later clock", "type": "inspection.update", "id": b, "base_version": 1, "fields": {"shortcomings": {"value": "probe", "hlc": now}}},
        {"what": "inspection.transition submit of team 2's draft", "type": "inspection.transition", "id": b, "action": "submit"},
        {"what": "inspection.transition return of team 2's approved inspection", "type": "inspection.transition", "id": c, "action": "return", "reason": "probe"},
        {"what": "comment.create with team 2's comment id, in team 1's draft", "type": "comment.create", "id": two.comment, "inspection_id": one.draft, "item_id": "a", "body": "probe"},
        {"what": "comment.create in team 2's draft", "type": "comment.create", "id": new_id(), "inspection_id": b, "body": "probe"},
        {"what": "recommendation.create with team 2's id, in team 1's draft", "type": "recommendation.create", "id": two.recommendations[0], "inspection_id": one.draft, "content": "probe"},
        {"what": "recommendation.create in team 2's draft", "type": "recommendation.create", "id": new_id(), "inspection_id": b, "content": "probe"},
        {"what": "evidence.create with team 2's evidence id, in team 1's draft", "type": "evidence.create", "id": two.evidence, "inspection_id": one.draft, "item_id": "a", "caption": "probe"},
        {"what": "evidence.create in team 2's draft", "type": "evidence.create", "id": new_id(), "inspection_id": b, "item_id": "a", "caption": "probe"},
        {"what": "evidence.delete of team 2's evidence", "type": "evidence.delete", "id": two.evidence, "inspection_id": b},
        {"what": "evidence.delete of team 2's evidence, claiming team 1's draft", "type": "evidence.delete", "id": two.evidence, "inspection_id": one.draft}
    ]);
    let mut out = Vec::new();
    for mut m in list.as_array().cloned().unwrap_or_default() {
        let what = m["what"].take().as_str().unwrap_or_default().to_owned();
        if let Some(fields) = m.as_object_mut() {
            fields.remove("what");
            fields.insert("mutation_id".into(), json!(new_id()));
        }
        out.push((what, m));
    }
    out
}

/// WatermelonDB changes aimed at team 2's rows.
fn hostile_watermelon(fx: &Fixture) -> Value {
    let (w, one, two) = (&fx.w, &fx.one, &fx.two);
    let (b, c) = (&two.draft, &two.others[0]);
    json!({
        "inspections": {
            "created": [{"id": b, "round_id": w.round, "unit_id": one.unit}],
            "updated": [{"id": c, "strengths": "probe", "status": "submitted", "version": 9, "_status": "updated", "_changed": "strengths,status"}],
            "deleted": [b]},
        "answers": {
            "created": [],
            "updated": [{"id": format!("{b}/c"), "inspection_id": b, "item_id": "c", "value": "\"probe\"", "na": false, "version": 9, "_status": "updated", "_changed": "value"}],
            "deleted": [format!("{c}/b")]},
        "comments": {"created": [{"id": two.comment, "inspection_id": one.draft, "body": "probe"}], "updated": [], "deleted": [two.comment]},
        "recommendations": {"created": [{"id": two.recommendations[0], "inspection_id": one.draft, "content": "probe"}], "updated": [], "deleted": []},
        "evidence": {"created": [{"id": two.evidence, "inspection_id": one.draft, "item_id": "a", "caption": "probe"}], "updated": [], "deleted": [two.evidence]}
    })
}

/// A device would never reuse a mutation id across requests; each send gets fresh ones.
fn refresh_mutation_ids(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if k == "mutation_id" {
                    *x = json!(new_id());
                } else {
                    refresh_mutation_ids(x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(refresh_mutation_ids),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// The plan: concrete requests for every documented operation.

#[derive(Clone)]
enum Body {
    None,
    Json(Value),
    Bytes(String, Vec<u8>),
}

#[derive(Clone)]
struct Probe {
    /// `METHOD /template`, as in the OpenAPI document.
    op: String,
    /// Added to messages (e.g. "after the rounds closed").
    note: &'static str,
    template: String,
    method: Method,
    url: String,
    reach: Reach,
    secured: bool,
    headers: Vec<(String, String)>,
    body: Body,
    side: Side,
}

impl Probe {
    fn is_read(&self) -> bool {
        is_read(&self.method)
    }

    /// Everything the caller sends: ids found here may be echoed back.
    fn request_text(&self) -> String {
        let mut t = self.url.clone();
        for (k, v) in &self.headers {
            t.push_str(&format!("\n{k}: {v}"));
        }
        match &self.body {
            Body::None => {}
            Body::Json(v) => t.push_str(&v.to_string()),
            Body::Bytes(_, b) => t.push_str(&String::from_utf8_lossy(b)),
        }
        t
    }

    /// A plain GET of a sync surface, outside the plan.
    fn get(template: &str, url: String, note: &'static str) -> Probe {
        Probe {
            op: format!("GET {template}"),
            note,
            template: template.to_owned(),
            method: Method::GET,
            url,
            reach: Reach::Everyone,
            secured: true,
            headers: Vec::new(),
            body: Body::None,
            side: Side::Team2,
        }
    }
}

fn is_read(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::OPTIONS].contains(method)
}

/// One documented operation.
struct Op {
    method: Method,
    template: String,
    params: Vec<Value>,
    /// Content type and (resolved) schema of the request body.
    body: Option<(String, Value)>,
    secured: bool,
}

impl Op {
    fn name(&self) -> String {
        format!("{} {}", self.method, self.template)
    }
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Every (method, path) of the document.
fn operations(doc: &Value) -> Vec<Op> {
    let methods = [
        ("get", Method::GET),
        ("head", Method::HEAD),
        ("options", Method::OPTIONS),
        ("post", Method::POST),
        ("put", Method::PUT),
        ("patch", Method::PATCH),
        ("delete", Method::DELETE),
        ("trace", Method::TRACE),
    ];
    let mut ops = Vec::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        let shared = item["parameters"].as_array().cloned().unwrap_or_default();
        for (key, method) in &methods {
            let Some(op) = item.get(*key) else { continue };
            let mut params = shared.clone();
            params.extend(op["parameters"].as_array().cloned().unwrap_or_default());
            let body = op["requestBody"]["content"]
                .as_object()
                .and_then(|c| c.iter().next())
                .map(|(ct, c)| (ct.clone(), resolve(doc, &c["schema"]).clone()));
            ops.push(Op {
                method: method.clone(),
                template: template.clone(),
                params,
                body,
                secured: op["security"].as_array().is_some_and(|s| !s.is_empty()),
            });
        }
    }
    ops
}

/// String values of an `enum`, also inside `oneOf`/`anyOf` (nullable enums).
fn enum_values(schema: &Value) -> Vec<String> {
    let mut out: Vec<String> = schema["enum"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for key in ["oneOf", "anyOf"] {
        for s in schema[key].as_array().into_iter().flatten() {
            out.extend(enum_values(s));
        }
    }
    out
}

/// Real ids for a path parameter, by what it names: `{id}` by the segment before it
/// (`inspections`), any other as `<segment before>/{name}` (`teams/{team_id}`). Team 1's ids
/// for the other sides. `None`: unmapped, which fails the test naming the operation.
fn path_targets(fx: &Fixture, key: &str, side: Side) -> Option<Vec<(String, Reach)>> {
    let (w, one, two) = (&fx.w, &fx.one, &fx.two);
    let theirs = |ids: Vec<String>| ids.into_iter().map(|i| (i, Reach::Team2)).collect();
    let shared = |id: &String| (vec![id.clone()], vec![(id.clone(), Reach::Everyone)]);
    let (mine, theirs): (Vec<String>, Vec<(String, Reach)>) = match key {
        "inspections" => (vec![one.draft.clone()], theirs(two.inspections())),
        "evidence" => (
            vec![one.evidence.clone()],
            theirs(vec![two.evidence.clone()]),
        ),
        "conflicts" => (one.conflicts.clone(), theirs(two.conflicts.clone())),
        "recommendations" => (
            one.recommendations.clone(),
            theirs(two.recommendations.clone()),
        ),
        "report-recommendations" => (
            vec![one.report_rec.clone()],
            theirs(vec![two.report_rec.clone()]),
        ),
        "rounds" => {
            let round2 = two.round2.clone().unwrap_or_default();
            (
                vec![w.round.clone()],
                vec![(w.round.clone(), Reach::Team1), (round2, Reach::Team2)],
            )
        }
        "teams" | "teams/{team_id}" => (vec![one.team.clone()], theirs(vec![two.team.clone()])),
        "units" | "assignments/{unit_id}" => (
            vec![one.unit.clone()],
            vec![(two.unit.clone(), Reach::Everyone)],
        ),
        "users" => (vec![fx.insp1_id.clone()], theirs(vec![fx.insp2_id.clone()])),
        "devices/{device}" => (Vec::new(), theirs(vec![fx.insp2_device.clone()])),
        "templates" => shared(&w.template),
        "template-versions" => shared(&w.version),
        "uploads" => (vec![one.upload.clone()], theirs(vec![two.upload.clone()])),
        "schemas/{name}" => {
            let names = ["checklist-template", "default-template-2026"].map(str::to_owned);
            (
                names.to_vec(),
                names.into_iter().map(|n| (n, Reach::Everyone)).collect(),
            )
        }
        _ => return None,
    };
    Some(match side {
        Side::Team2 => theirs,
        Side::Collide | Side::Team1 => mine.into_iter().map(|v| (v, Reach::Team1)).collect(),
    })
}

/// Concrete paths of `op` for `side`, each with who may read it; every combination of the
/// parameters' ids.
fn concrete_paths(fx: &Fixture, op: &Op, side: Side) -> Result<Vec<(String, Reach)>, String> {
    let mut paths = vec![(String::new(), Reach::Everyone)];
    let segments: Vec<&str> = op.template.split('/').collect();
    for (i, seg) in segments.iter().enumerate().skip(1) {
        let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            paths
                .iter_mut()
                .for_each(|(p, _)| p.push_str(&format!("/{seg}")));
            continue;
        };
        let schema = op
            .params
            .iter()
            .find(|p| p["in"] == "path" && p["name"] == name)
            .map(|p| p["schema"].clone())
            .unwrap_or_default();
        let before = segments[i - 1];
        let key = if name == "id" {
            before.to_owned()
        } else {
            format!("{before}/{seg}")
        };
        let values = match enum_values(&schema) {
            e if !e.is_empty() => e.into_iter().map(|v| (v, Reach::Everyone)).collect(),
            _ => path_targets(fx, &key, side)
                .ok_or_else(|| format!("{}: path parameter {{{name}}} ({key})", op.name()))?,
        };
        paths = paths
            .iter()
            .flat_map(|(p, r)| {
                values
                    .iter()
                    .map(move |(v, r2)| (format!("{p}/{v}"), *r.max(r2)))
            })
            .collect();
    }
    Ok(paths)
}

enum Query {
    Always(String),
    Variants(Vec<String>),
    Skip,
}

/// Values for a query parameter: filters get team 2's ids (one request each), enums every
/// value, the schema version always; the rest (paging, cursors, search) are left out.
fn query_targets(fx: &Fixture, name: &str, schema: &Value, side: Side) -> Query {
    let (one, two) = (&fx.one, &fx.two);
    let pick = |mine: &String, theirs: &String| {
        Query::Variants(vec![if side == Side::Team2 { theirs } else { mine }.clone()])
    };
    let values = enum_values(schema);
    if !values.is_empty() {
        return Query::Variants(values);
    }
    match name {
        "schema_version" => Query::Always("1".into()),
        "dry_run" => Query::Always("true".into()),
        "round_id" if side == Side::Team2 => {
            let mut v = vec![fx.w.round.clone()];
            v.extend(two.round2.iter().cloned());
            Query::Variants(v)
        }
        "round_id" => Query::Variants(vec![fx.w.round.clone()]),
        "inspection_id" | "entity_id" => pick(&one.draft, &two.draft),
        "team_id" => pick(&one.team, &two.team),
        "unit_id" => pick(&one.unit, &two.unit),
        "actor_id" => pick(&fx.insp1_id, &fx.insp2_id),
        "entity" => Query::Variants(vec!["inspection".into()]),
        _ => Query::Skip,
    }
}

/// The query strings of `op`: the fixed parameters alone, then once per targeted value.
fn concrete_queries(fx: &Fixture, op: &Op, side: Side) -> Result<Vec<String>, String> {
    let mut always = Vec::new();
    let mut variants = Vec::new();
    for p in op.params.iter().filter(|p| p["in"] == "query") {
        let name = p["name"].as_str().unwrap_or_default();
        match query_targets(fx, name, &p["schema"], side) {
            Query::Always(v) => always.push(format!("{name}={v}")),
            Query::Variants(vs) => variants.extend(vs.into_iter().map(|v| format!("{name}={v}"))),
            Query::Skip if p["required"] == true => {
                return Err(format!("{}: required query parameter {name}", op.name()))
            }
            Query::Skip => {}
        }
    }
    let base = always.join("&");
    let mut out = vec![base.clone()];
    if side == Side::Team2 {
        for v in variants {
            out.push(if base.is_empty() {
                v
            } else {
                format!("{base}&{v}")
            });
        }
    }
    Ok(out)
}

/// Headers: the required ones the document declares, and `Tus-Resumable` on every tus request
/// (the protocol needs it on all but OPTIONS; the document declares it on creation only).
fn concrete_headers(fx: &Fixture, op: &Op, side: Side) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    if op.template.starts_with("/api/v1/uploads") && op.method != Method::OPTIONS {
        out.push(("tus-resumable".to_owned(), "1.0.0".to_owned()));
    }
    let evidence = match side {
        Side::Team2 => &fx.two.evidence_upload,
        _ => &fx.one.evidence_upload,
    };
    for p in op
        .params
        .iter()
        .filter(|p| p["in"] == "header" && p["required"] == true)
    {
        let name = p["name"].as_str().unwrap_or_default().to_ascii_lowercase();
        let value = match name.as_str() {
            "tus-resumable" => continue,
            "upload-length" => fx.png.len().to_string(),
            "upload-offset" => "0".to_owned(),
            "upload-metadata" => format!("evidence_id {}", STANDARD.encode(evidence)),
            _ => return Err(format!("{}: required header {name}", op.name())),
        };
        out.push((name, value));
    }
    Ok(out)
}

/// A value for a JSON body field, by its name; `None` leaves it out. References name team 2's
/// objects, or (side `Collide`) team 1's, except `id` and `replaces`, which name team 2's
/// existing objects. Team 1's users ask to join team 2, take its unit, become administrators.
fn body_field(fx: &Fixture, op: &Op, field: &str, side: Side) -> Option<Value> {
    let (w, one, two) = (&fx.w, &fx.one, &fx.two);
    let ours = if side == Side::Team2 { two } else { one };
    let area = op.template.split('/').nth(3).unwrap_or_default();
    let last = op.template.rsplit('/').next().unwrap_or_default();
    let v = match field {
        "id" => match last {
            "inspections" => json!(two.draft),
            "comments" => json!(two.comment),
            "recommendations" => json!(two.recommendations[0]),
            "evidence" => json!(two.evidence),
            _ => return None,
        },
        "replaces" => json!(two.recommendations),
        "round_id" => json!(w.round),
        "unit_id" | "responsible_unit_id" => json!(ours.unit),
        "inspection_id" => json!(ours.draft),
        "team_id" => json!(ours.team),
        "template_version_id" => json!(w.version),
        "lead_id" => json!(fx.lead1_id),
        "member_ids" => json!([fx.lead1_id, fx.insp1_id]),
        "assignments" => json!([{"unit_id": two.unit, "team_id": one.team}]),
        "answers" => json!({"b": {"value": "none"}}),
        "schema_version" => json!(1),
        "mutations" => json!(hostile_mutations(fx)
            .into_iter()
            .map(|(_, m)| m)
            .collect::<Vec<_>>()),
        "changes" => hostile_watermelon(fx),
        "username" => json!("probe-nobody"),
        "password" => json!("probe-password-123"),
        "refresh_token" => json!("kt1.probe-not-a-token"),
        "role" => json!("admin"),
        "take" => json!("device"),
        "item_id" => json!("a"),
        "kind" if area == "rounds" => json!("year"),
        "kind" if area == "units" => json!("commune"),
        "status" => json!("open"),
        "code" => json!("PROBE-UNIT"),
        "taken_at" => json!("2026-09-02T08:00:00Z"),
        "latitude" => json!(18.7),
        "longitude" => json!(105.7),
        "starts_on" => json!("2026-09-01"),
        "ends_on" => json!("2026-11-20"),
        "due_on" => json!("2026-12-31"),
        "follow_up" => json!("done"),
        "value" | "body" | "content" | "caption" | "reason" | "name" | "full_name"
        | "responsible" | "grouping" | "address" | "strengths" | "shortcomings" | "causes" => {
            json!("probe")
        }
        _ => return None,
    };
    Some(v)
}

/// A minimal body for `op`: its declared fields that `body_field` knows (every required one),
/// a CSV for imports, the test PNG for image and tus bodies.
fn concrete_body(fx: &Fixture, op: &Op, side: Side) -> Result<Body, String> {
    let Some((ct, schema)) = &op.body else {
        return Ok(Body::None);
    };
    match ct.as_str() {
        "application/json" => {}
        "text/csv" => {
            let csv = "code,name,kind\nPROBE-CSV,Đơn vị thử,commune\n";
            return Ok(Body::Bytes(ct.clone(), csv.as_bytes().to_vec()));
        }
        "application/offset+octet-stream" | "image/jpeg" | "image/png" | "image/webp" => {
            return Ok(Body::Bytes(ct.clone(), fx.png.clone()));
        }
        other => return Err(format!("{}: request body type {other}", op.name())),
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut body = Map::new();
    for field in schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        match body_field(fx, op, field, side) {
            Some(v) => {
                body.insert(field.clone(), v);
            }
            None if required.contains(&field.as_str()) => {
                return Err(format!("{}: required body field {field}", op.name()))
            }
            None => {}
        }
    }
    Ok(Body::Json(Value::Object(body)))
}

/// Whether a body of `op` can name another team's existing object (`id`, `replaces`).
fn names_existing(op: &Op) -> bool {
    op.body.as_ref().is_some_and(|(_, s)| {
        ["id", "replaces"]
            .iter()
            .any(|f| s["properties"].get(*f).is_some())
    })
}

/// Every request of the matrix.
struct Plan {
    /// Every operation against team 2's objects (and lists filtered by them).
    team2: Vec<Probe>,
    /// Creations in team 1's objects under ids of team 2's existing objects.
    collide: Vec<Probe>,
    /// Reads of team 1's own objects: the control.
    team1: Vec<Probe>,
}

impl Plan {
    fn from_openapi(fx: &Fixture, doc: &Value) -> Plan {
        let ops = operations(doc);
        assert!(ops.len() > 50, "the document lists the API: {}", ops.len());
        let mut plan = Plan {
            team2: Vec::new(),
            collide: Vec::new(),
            team1: Vec::new(),
        };
        let mut unmapped = Vec::new();
        for op in &ops {
            let has_params = op.template.contains('{');
            let mut add = |side: Side, into: &mut Vec<Probe>| match probes(fx, op, side) {
                Ok(p) => into.extend(p),
                Err(e) => unmapped.push(e),
            };
            add(Side::Team2, &mut plan.team2);
            if !is_read(&op.method) && names_existing(op) {
                add(Side::Collide, &mut plan.collide);
            }
            if is_read(&op.method) && has_params {
                add(Side::Team1, &mut plan.team1);
            }
        }
        unmapped.sort();
        unmapped.dedup();
        assert!(
            unmapped.is_empty(),
            "operations the matrix cannot map to real objects (teach path_targets, \
             query_targets, concrete_headers or body_field about them):\n  {}",
            unmapped.join("\n  ")
        );
        plan
    }
}

/// The requests for one operation and side.
fn probes(fx: &Fixture, op: &Op, side: Side) -> Result<Vec<Probe>, String> {
    let paths = concrete_paths(fx, op, side)?;
    let queries = concrete_queries(fx, op, side)?;
    let headers = concrete_headers(fx, op, side)?;
    let body = concrete_body(fx, op, side)?;
    let mut out = Vec::new();
    for (path, reach) in &paths {
        for q in &queries {
            let url = if q.is_empty() {
                path.clone()
            } else {
                format!("{path}?{q}")
            };
            out.push(Probe {
                op: op.name(),
                note: "",
                template: op.template.clone(),
                method: op.method.clone(),
                url,
                reach: *reach,
                secured: op.secured,
                headers: headers.clone(),
                body: body.clone(),
                side,
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Calling and judging.

struct Outcome {
    status: u16,
    headers: String,
    encoding: Option<String>,
    body: Vec<u8>,
}

async fn send(app: &TestApp, token: Option<&str>, probe: &Probe) -> Outcome {
    let mut req = app.req(probe.method.clone(), &probe.url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (k, v) in &probe.headers {
        req = req.header(k, v);
    }
    req = match &probe.body {
        Body::None => req,
        Body::Json(v) => {
            let mut v = v.clone();
            refresh_mutation_ids(&mut v);
            req.json(&v)
        }
        Body::Bytes(ct, b) => req.header("content-type", ct).body(b.clone()),
    };
    let res = req.send().await.expect("send");
    let status = res.status().as_u16();
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v.as_bytes())))
        .collect::<Vec<_>>()
        .join("\n");
    let encoding = res
        .headers()
        .get("content-encoding")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .filter(|e| e != "identity");
    let body = res.bytes().await.expect("body").to_vec();
    Outcome {
        status,
        headers,
        encoding,
        body,
    }
}

impl Outcome {
    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    fn excerpt(&self) -> String {
        String::from_utf8_lossy(&self.body)
            .chars()
            .take(300)
            .collect()
    }

    /// Everything readable in the response: headers, body, and each file of a ZIP body
    /// (DOCX, XLSX and the evidence archive are ZIPs, their parts deflated).
    fn texts(&self) -> Result<Vec<(String, String)>, String> {
        let mut out = vec![
            ("headers".to_owned(), self.headers.clone()),
            (
                "body".to_owned(),
                String::from_utf8_lossy(&self.body).into_owned(),
            ),
        ];
        if self.body.starts_with(b"PK\x03\x04") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&self.body))
                .map_err(|e| format!("a ZIP body that cannot be read to scan it: {e}"))?;
            for i in 0..zip.len() {
                let mut file = zip.by_index(i).map_err(|e| format!("ZIP entry {i}: {e}"))?;
                let name = file
                    .name()
                    .map_or_else(|_| format!("#{i}"), |n| n.into_owned());
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes)
                    .map_err(|e| format!("ZIP entry {name}: {e}"))?;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                out.push((format!("ZIP entry {name}"), text));
            }
        }
        Ok(out)
    }
}

/// Up to 60 characters either side of `needle` in `text`.
fn around(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    let mut start = at.saturating_sub(60);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + needle.len() + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    text[start..end].replace('\n', " ")
}

#[derive(Default)]
struct Report {
    failures: Vec<String>,
    requests: usize,
    /// (caller, kind) of team 2's marked texts seen by administrators and viewers.
    seen: BTreeSet<(Caller, &'static str)>,
    /// Per operation and caller, the statuses answered (printed as the matrix).
    statuses: BTreeMap<String, BTreeMap<Caller, BTreeSet<u16>>>,
}

impl Report {
    fn record(&mut self, caller: Caller, probe: &Probe, status: u16) {
        self.requests += 1;
        let side = if probe.side == Side::Team2 {
            ""
        } else {
            " (own/collide)"
        };
        let row = self.statuses.entry(format!("{}{side}", probe.op));
        row.or_default().entry(caller).or_default().insert(status);
    }

    fn fail(&mut self, caller: Caller, probe: &Probe, what: String) {
        let side = match probe.side {
            Side::Team2 => "",
            Side::Collide => " [team 1's object, an id of team 2's in the body]",
            Side::Team1 => " [own team's object]",
        };
        self.failures.push(format!(
            "{caller:?} {}{}{side}\n      {} {} -> {what}",
            probe.op, probe.note, probe.method, probe.url
        ));
    }
}

/// Calls `probe` as `caller` and records every rule it breaks.
async fn call(
    app: &TestApp,
    fx: &Fixture,
    caller: Caller,
    probe: &Probe,
    report: &mut Report,
) -> Outcome {
    let out = send(app, fx.token(caller), probe).await;
    report.record(caller, probe, out.status);
    let mut broken = Vec::new();
    if out.status >= 500 {
        broken.push(format!("{} server error: {}", out.status, out.excerpt()));
    }
    if let Some(e) = &out.encoding {
        broken.push(format!(
            "compressed ({e}) though not asked: cannot be scanned"
        ));
    }
    match out.texts() {
        Ok(texts) => {
            broken.extend(leaks(fx, caller, probe, &texts));
            if matches!(caller, Caller::Admin | Caller::Viewer) && probe.is_read() && out.ok() {
                note_seen(fx, caller, &texts, report);
            }
        }
        Err(e) => broken.push(e),
    }
    broken.extend(status_rule(caller, probe, &out));
    if probe.op == SYNC_WRITES[0] && out.status == 200 && caller != Caller::Admin {
        broken.extend(push_verdicts(fx, caller, &out));
    }
    for b in broken {
        report.fail(caller, probe, b);
    }
    out
}

fn note_seen(fx: &Fixture, caller: Caller, texts: &[(String, String)], report: &mut Report) {
    for kind in KINDS {
        let marked = format!("{}-{kind}", fx.two.marker);
        if texts.iter().any(|(_, t)| t.contains(&marked)) {
            report.seen.insert((caller, kind));
        }
    }
    let zipped =
        |(place, t): &(String, String)| place.starts_with("ZIP") && t.contains(&fx.two.marker);
    if texts.iter().any(zipped) {
        report.seen.insert((caller, IN_ZIP));
    }
}

/// Secrets of `caller` found in the response, unless the request itself carried them: one
/// line naming them all, with the first one in context.
fn leaks(
    fx: &Fixture,
    caller: Caller,
    probe: &Probe,
    texts: &[(String, String)],
) -> Option<String> {
    let request = probe.request_text();
    let mut found: Vec<(Secret, &str, &str)> = Vec::new();
    for s in fx.secrets_for(caller) {
        if request.contains(&s.value) {
            continue;
        }
        if let Some((place, text)) = texts.iter().find(|(_, t)| t.contains(&s.value)) {
            found.push((s, place, text));
        }
    }
    let (first, place, text) = found.first()?;
    let mut labels: Vec<&str> = found.iter().map(|(s, _, _)| s.label.as_str()).collect();
    labels.dedup();
    Some(format!(
        "LEAKED {} secret(s) [{}]; first in {place}: …{}…",
        found.len(),
        labels.join(", "),
        around(text, &first.value)
    ))
}

/// Areas only administrators use: users and audit entirely, and the writes that manage units,
/// teams, checklists and rounds (a round's `teams/{team_id}/…` is the lead's compilation).
fn admin_only(probe: &Probe) -> bool {
    let segments: Vec<&str> = probe.template.split('/').skip(3).collect();
    let write = !probe.is_read();
    match segments.first().copied().unwrap_or_default() {
        "users" | "audit" => true,
        "units" | "teams" | "templates" | "template-versions" => write,
        "rounds" => write && segments.get(2) != Some(&"teams"),
        _ => false,
    }
}

fn may_read(caller: Caller, reach: Reach) -> bool {
    match caller {
        Caller::Admin | Caller::Viewer => true,
        Caller::Lead1 | Caller::Insp1 => reach <= Reach::Team1,
        Caller::Loner => reach == Reach::Everyone,
        Caller::Anonymous => false,
    }
}

/// The status `caller` must (not) get.
fn status_rule(caller: Caller, probe: &Probe, out: &Outcome) -> Option<String> {
    let s = out.status;
    let op = probe.op.as_str();
    let allowed_write = SESSION_WRITES.contains(&op) || SYNC_WRITES.contains(&op);
    let why = match caller {
        _ if OWN_TOKEN.contains(&op) && out.ok() => "opened without its own token",
        _ if OWN_TOKEN.contains(&op) => return None,
        Caller::Anonymous if probe.secured && s != 401 => "must be 401 without a token",
        Caller::Anonymous => return None,
        Caller::Admin if probe.is_read() && !out.ok() && !CREATOR_ONLY.contains(&op) => {
            "an administrator must be able to read it (is the id real?)"
        }
        Caller::Admin => return None,
        _ if admin_only(probe) && s != 403 && s != 404 => {
            "must be 403 (or 404): administrators only"
        }
        _ if admin_only(probe) => return None,
        _ if !probe.is_read() && out.ok() && !allowed_write => {
            "a write outside the caller's rights was ACCEPTED"
        }
        _ if !probe.is_read() => return None,
        Caller::Viewer if !out.ok() && !CREATOR_ONLY.contains(&op) => {
            "viewers read everything: must be 2xx"
        }
        _ if out.ok() && !may_read(caller, probe.reach) => {
            "read of another team's object was ALLOWED"
        }
        _ => return None,
    };
    Some(format!("{s}: {why}; body: {}", out.excerpt()))
}

/// Every mutation of a hostile push must be `rejected`, and none may hand back team 2's row
/// (nor, to an outsider, team 1's) in `current`. (Administrators may apply them.)
fn push_verdicts(fx: &Fixture, caller: Caller, out: &Outcome) -> Vec<String> {
    let labels = hostile_mutations(fx);
    let body = out.json();
    let Some(results) = body["results"].as_array() else {
        return vec![format!("no results: {}", out.excerpt())];
    };
    let secrets = fx.secrets_for(caller);
    let mut found = Vec::new();
    for (i, r) in results.iter().enumerate() {
        let what = labels.get(i).map_or("?", |(l, _)| l.as_str());
        if r["status"] != "rejected" {
            found.push(format!(
                "mutation {i} ({what}) was {}, not rejected: {r}",
                r["status"]
            ));
        }
        if caller == Caller::Viewer || r["current"].is_null() {
            continue;
        }
        let current = r["current"].to_string();
        if let Some(s) = secrets.iter().find(|s| current.contains(&s.value)) {
            found.push(format!(
                "mutation {i} ({what}, {} {}) LEAKED {} in `current`: {current}",
                r["status"], r["reason"], s.label
            ));
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// The columns.

/// Team 1's lead and inspector read their own team's objects through the same operations:
/// these must succeed, or the refusals of the matrix would prove nothing.
async fn own_team_control(app: &TestApp, fx: &Fixture, plan: &Plan, report: &mut Report) {
    for caller in [Caller::Lead1, Caller::Insp1] {
        for probe in &plan.team1 {
            let out = call(app, fx, caller, probe, report).await;
            let creator_only = CREATOR_ONLY.contains(&probe.op.as_str());
            // insp1 made team 1's upload; the lead cannot see it, by design.
            let exempt = admin_only(probe) || (creator_only && caller != Caller::Insp1);
            if !exempt && !out.ok() {
                let msg = format!(
                    "{}: cannot read their own team's object (control): {}",
                    out.status,
                    out.excerpt()
                );
                report.fail(caller, probe, msg);
            }
        }
    }
}

/// Pulls every page from `cursor` (`limit` rows a page); returns the last cursor.
async fn paged_pull(
    app: &TestApp,
    fx: &Fixture,
    caller: Caller,
    cursor: Option<String>,
    limit: u32,
    note: &'static str,
    report: &mut Report,
) -> String {
    let mut cursor = cursor;
    for _ in 0..2_000 {
        let mut url = format!("/api/v1/sync/pull?schema_version=1&limit={limit}");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let probe = Probe::get("/api/v1/sync/pull", url, note);
        let page = call(app, fx, caller, &probe, report).await.json();
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        if page["has_more"] != true {
            break;
        }
    }
    cursor.unwrap_or_default()
}

/// A WatermelonDB pull; returns its `timestamp`.
async fn watermelon_pull(
    app: &TestApp,
    fx: &Fixture,
    caller: Caller,
    since: Option<i64>,
    note: &'static str,
    report: &mut Report,
) -> i64 {
    let mut url = "/api/v1/sync/watermelon?schema_version=1".to_owned();
    if let Some(t) = since {
        url.push_str(&format!("&last_pulled_at={t}"));
    }
    let probe = Probe::get("/api/v1/sync/watermelon", url, note);
    let out = call(app, fx, caller, &probe, report).await;
    out.json()["timestamp"].as_i64().unwrap_or_default()
}

/// Where each caller's device stands in the change log, to pull again later.
struct Position {
    caller: Caller,
    cursor: String,
    timestamp: i64,
}

const SYNC_CALLERS: [Caller; 3] = [Caller::Lead1, Caller::Insp1, Caller::Loner];

/// As team 1's users and the loner: the pull from scratch, by pages of one row, and the
/// WatermelonDB pull. Returns where each stands, to pull the changes after the rounds close.
async fn sync_pulls(app: &TestApp, fx: &Fixture, report: &mut Report) -> Vec<Position> {
    let mut positions = Vec::new();
    for caller in SYNC_CALLERS {
        paged_pull(app, fx, caller, None, 5_000, " [from scratch]", report).await;
        let cursor = paged_pull(app, fx, caller, None, 1, " [pages of 1]", report).await;
        let timestamp = watermelon_pull(app, fx, caller, None, "", report).await;
        positions.push(Position {
            caller,
            cursor,
            timestamp,
        });
    }
    positions
}

/// The rounds close: inspectors lose the shared round and tombstones go out, which must stay
/// within each caller's scope. Then the rounds open again, for the writes.
async fn rounds_close_and_reopen(
    app: &TestApp,
    fx: &Fixture,
    at: &[Position],
    report: &mut Report,
) {
    let rounds = [
        fx.w.round.clone(),
        fx.two.round2.clone().unwrap_or_default(),
    ];
    let set = |status: &'static str| {
        let admin = fx.w.admin.clone();
        let rounds = rounds.clone();
        async move {
            for round in rounds {
                let path = format!("/api/v1/rounds/{round}");
                send_ok(
                    app,
                    Method::PATCH,
                    &path,
                    &admin,
                    json!({ "status": status }),
                )
                .await;
            }
        }
    };
    set("closed").await;
    let note = " [after the rounds closed]";
    for p in at {
        paged_pull(app, fx, p.caller, Some(p.cursor.clone()), 1, note, report).await;
        watermelon_pull(app, fx, p.caller, Some(p.timestamp), note, report).await;
    }
    set("open").await;
}

/// Where each caller's WatermelonDB device stands just before the writes.
async fn watermelon_positions(
    app: &TestApp,
    fx: &Fixture,
    report: &mut Report,
) -> Vec<(Caller, i64)> {
    let mut fresh = Vec::new();
    for caller in [Caller::Lead1, Caller::Insp1, Caller::Loner, Caller::Viewer] {
        let note = " [after the rounds reopened]";
        fresh.push((
            caller,
            watermelon_pull(app, fx, caller, None, note, report).await,
        ));
    }
    fresh
}

/// A WatermelonDB push of changes to team 2's rows, as a device that has just pulled (so that it
/// is not refused as stale before anything is looked at).
async fn watermelon_push(
    app: &TestApp,
    fx: &Fixture,
    caller: Caller,
    at: i64,
    report: &mut Report,
) {
    let probe = Probe {
        op: SYNC_WRITES[1].to_owned(),
        note: " [as a device that just pulled]",
        template: "/api/v1/sync/watermelon".into(),
        method: Method::POST,
        url: format!("/api/v1/sync/watermelon?schema_version=1&last_pulled_at={at}"),
        reach: Reach::Everyone,
        secured: true,
        headers: Vec::new(),
        body: Body::Json(json!({"changes": hostile_watermelon(fx)})),
        side: Side::Team2,
    };
    let out = call(app, fx, caller, &probe, report).await;
    if out.status != 200 {
        let msg = format!("{}: expected 200 (refused records skipped)", out.status);
        report.fail(caller, &probe, msg);
    }
}

/// Each caller's writes (after every read: a refused write may leave a conflict record in team
/// 1's own draft quoting the ids of team 2's it sent, which later reads would rightly show to
/// team 1), with team 2's data compared before and after each caller.
async fn writes(app: &TestApp, fx: &Fixture, plan: &Plan, report: &mut Report) {
    let positions = watermelon_positions(app, fx, report).await;
    for caller in MATRIX_CALLERS {
        let before = snapshot(app, fx).await;
        if let Some((_, at)) = positions.iter().find(|(c, _)| *c == caller) {
            watermelon_push(app, fx, caller, *at, report).await;
        }
        for probe in plan.team2.iter().chain(&plan.collide) {
            if !probe.is_read() {
                call(app, fx, caller, probe, report).await;
            }
        }
        compare_snapshots(caller, &before, &snapshot(app, fx).await, report);
    }
}

/// Team 2's data as an administrator reads it.
async fn snapshot(app: &TestApp, fx: &Fixture) -> Vec<(String, Value)> {
    let (w, two) = (&fx.w, &fx.two);
    let mut paths: Vec<String> = two
        .inspections()
        .iter()
        .map(|i| format!("/api/v1/inspections/{i}"))
        .collect();
    paths.extend([
        format!("/api/v1/inspections/{}/comments", two.draft),
        format!("/api/v1/inspections/{}/evidence", two.draft),
        format!("/api/v1/conflicts?inspection_id={}", two.draft),
        format!("/api/v1/teams/{}", two.team),
        format!("/api/v1/users/{}", fx.insp2_id),
        format!("/api/v1/rounds/{}/assignments", w.round),
        format!("/api/v1/rounds/{}", two.round2.clone().unwrap_or_default()),
        format!("/api/v1/rounds/{}/summary", w.round),
        format!("/api/v1/units/{}", two.unit),
        format!("/api/v1/templates/{}", w.template),
    ]);
    let mut out = Vec::new();
    for p in paths {
        let v: Value = app.get_json(&p, &w.admin).await;
        out.push((p, v));
    }
    out
}

fn compare_snapshots(
    caller: Caller,
    before: &[(String, Value)],
    after: &[(String, Value)],
    report: &mut Report,
) {
    let short = |v: &Value| v.to_string().chars().take(700).collect::<String>();
    for ((path, a), (_, b)) in before.iter().zip(after) {
        if a == b {
            continue;
        }
        let change = match (a.as_array(), b.as_array()) {
            (Some(old), Some(new)) => {
                let added: Vec<&Value> = new.iter().filter(|x| !old.contains(x)).collect();
                let gone = old.iter().filter(|x| !new.contains(x)).count();
                let shown: Vec<String> = added.iter().map(|x| short(x)).collect();
                format!(
                    "{gone} gone, {} added:\n        {}",
                    added.len(),
                    shown.join("\n        ")
                )
            }
            _ => format!("before: {}\n        after:  {}", short(a), short(b)),
        };
        report.failures.push(format!(
            "{caller:?}'s writes CHANGED team 2's data (nobody outside team 2 may): GET {path}\n        {change}"
        ));
    }
}

/// The administrator, last: every read must succeed (so every id of the matrix is real), then
/// every write but deletions (they would destroy what other rows use).
async fn admin_column(app: &TestApp, fx: &Fixture, plan: &Plan, report: &mut Report) {
    for probe in plan.team2.iter().filter(|p| p.is_read()) {
        call(app, fx, Caller::Admin, probe, report).await;
    }
    let writes = plan.team2.iter().chain(&plan.collide);
    for probe in writes.filter(|p| !p.is_read() && p.method != Method::DELETE) {
        call(app, fx, Caller::Admin, probe, report).await;
    }
}

impl Report {
    /// Administrators and viewers read team 2's data: each kind of marked text must have shown
    /// up for them, or the matrix could not notice it leaking.
    fn positive_control(&mut self) {
        for caller in [Caller::Admin, Caller::Viewer] {
            for kind in KINDS.into_iter().chain([IN_ZIP]) {
                if !self.seen.contains(&(caller, kind)) {
                    self.failures.push(format!(
                        "positive control: {caller:?} never read team 2's marked {kind}; the \
                         matrix cannot tell whether it leaks"
                    ));
                }
            }
        }
    }

    /// The statuses each caller got, per operation.
    fn print_matrix(&self) {
        let callers = [
            Caller::Lead1,
            Caller::Insp1,
            Caller::Loner,
            Caller::Viewer,
            Caller::Anonymous,
            Caller::Admin,
        ];
        let head: Vec<String> = callers
            .iter()
            .map(|c| format!("{:<14}", format!("{c:?}")))
            .collect();
        eprintln!("{:<62} {}", "operation", head.join(""));
        for (op, row) in &self.statuses {
            let cells: Vec<String> = callers
                .iter()
                .map(|c| {
                    let codes = row
                        .get(c)
                        .map(|s| s.iter().map(u16::to_string).collect::<Vec<_>>());
                    format!("{:<14}", codes.map_or("-".to_owned(), |c| c.join(",")))
                })
                .collect();
            eprintln!("{op:<62} {}", cells.join(""));
        }
    }

    fn finish(self, engine: Engine, elapsed: std::time::Duration) {
        self.print_matrix();
        eprintln!(
            "security matrix on {engine:?}: {} requests in {:.1} s, {} violation(s)",
            self.requests,
            elapsed.as_secs_f64(),
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "{} violation(s) of the security matrix on {engine:?}:\n\n  {}\n",
            self.failures.len(),
            self.failures.join("\n\n  ")
        );
    }
}

const MATRIX_CALLERS: [Caller; 5] = [
    Caller::Lead1,
    Caller::Insp1,
    Caller::Loner,
    Caller::Viewer,
    Caller::Anonymous,
];

/// Every read first, then every write (see `writes`), then the administrator.
async fn every_operation_keeps_team_two_private(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
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
