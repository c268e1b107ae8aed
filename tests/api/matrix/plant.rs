//! Planting the data: team 2's marked work (a draft with a conflict, an approved inspection,
//! a round of its own, a compilation) and team 1's ordinary counterpart.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use reqwest::Method;
use serde_json::{json, Value};

use super::world::{hlc, id_of, new_id, TeamData};
use crate::helpers::TestApp;
use crate::world::World;

/// Sends a setup request, asserts 2xx and returns the JSON body (`null` when empty).
pub(super) async fn send_ok(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Value,
) -> Value {
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
pub(crate) async fn team_two(app: &TestApp, w: &World, tablet: &str, png: &[u8]) -> TeamData {
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
    let (bright_spot, bright_spot_review) = bright_spot(app, w, &w.lead2, &w.unit_b, &m).await;
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
        bright_spot,
        bright_spot_review,
    }
}

/// Team 1: an ordinary draft of unit A, with the same kinds of data, and its compilation.
pub(crate) async fn team_one(app: &TestApp, w: &World, png: &[u8]) -> TeamData {
    let m = format!("MARKER-A-{}", uuid::Uuid::new_v4().simple());
    let body = json!({"round_id": w.round, "unit_id": w.unit_a});
    let draft = id_of(&send_ok(app, Method::POST, "/api/v1/inspections", &w.insp1, body).await);
    let answers = json!({"answers": {"a": {"value": "yes"}, "b": {"value": "part"}}});
    let path = format!("/api/v1/inspections/{draft}/answers");
    send_ok(app, Method::PATCH, &path, &w.insp1, answers).await;
    let parts = fill_draft(app, &w.insp1, &draft, &m, png).await;
    let (conclusion, report_rec) = compile(app, w, &w.lead1, &w.team1, &m).await;
    let (bright_spot, bright_spot_review) = bright_spot(app, w, &w.lead1, &w.unit_a, &m).await;
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
        bright_spot,
        bright_spot_review,
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
    pub(super) comment: String,
    pub(super) recommendation: String,
    pub(super) evidence: String,
    pub(super) evidence_upload: String,
    pub(super) upload: String,
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
    // Unit C's representative reads this one (its own unit's, approved): its text is not of
    // the marked kinds that unit may never see (`{m}-recommendation` is the draft's).
    let rec = json!({"content": format!("{m}-own-recommendation-c"), "responsible_unit_id": w.unit_c, "due_on": "2027-03-31"});
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

/// The unit's bright spot (registered by an administrator, marked) and the lead's review of it
/// in the shared round.
async fn bright_spot(
    app: &TestApp,
    w: &World,
    lead: &str,
    unit: &str,
    m: &str,
) -> (String, String) {
    let body = json!({"unit_id": unit, "name": format!("{m}-bright-spot"), "field": "Cải cách hành chính"});
    let spot = id_of(&send_ok(app, Method::POST, "/api/v1/bright-spots", &w.admin, body).await);
    let path = format!("/api/v1/bright-spots/{spot}/reviews");
    let body =
        json!({"round_id": w.round, "result": "building", "comment": format!("{m}-bright-spot")});
    let review = id_of(&send_ok(app, Method::POST, &path, lead, body).await);
    (spot, review)
}
