//! Progress and summary: only approved inspections count, every state per team.

use serde_json::{json, Value};

use super::*;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};

both_engines!(
    only_approved_inspections_count_and_pending_ones_are_reported,
    progress_counts_every_state_per_team
);

async fn only_approved_inspections_count_and_pending_ones_are_reported(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let c = compiled(&app).await;
    let w = &c.w;
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{}/summary", w.round), &w.admin)
        .await;
    assert_eq!(
        s["counts"],
        json!({"assigned": 3, "approved": 1, "pending": 2, "not_started": 1})
    );
    // A: a yes 10/10, b part 5/10 → s1 15/20 = 0.75 (weight 2); d 4 → 15/20, f unanswered
    // 0/10 → s2 15/30 = 0.5. Score = 100 · (2·0.75 + 0.5) / 3 = 66.67 → Trung bình.
    let a = unit(&s, &w.unit_a);
    assert_eq!(a["counted"], true);
    assert_eq!(a["score"], 66.67);
    assert_eq!(a["band"], "tb");
    assert_eq!(a["band_label"], "Trung bình");
    assert_eq!(a["name"], "Xã Nghi Lộc");
    // B scores higher, but is only submitted: not counted anywhere.
    let b = unit(&s, &w.unit_b);
    assert_eq!(
        (b["status"].as_str(), b["counted"].as_bool()),
        (Some("submitted"), Some(false))
    );
    assert!(b["score"].is_null() && b["band"].is_null());
    assert_eq!(unit(&s, &w.unit_c)["status"], "not_started");
    assert_eq!(s["mean_score"], 66.67);
    let dist: Vec<(String, u64)> = s["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["code"].as_str().unwrap().to_owned(),
                b["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        dist,
        [
            ("tot".into(), 0),
            ("kha".into(), 0),
            ("tb".into(), 1),
            ("yeu".into(), 0)
        ]
    );
    // Weak points: among the one approved unit, b, d and f fell short; a did not.
    let item = |id: &str| {
        s["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (
            item("a")["counted"].as_u64(),
            item("a")["fell_short"].as_u64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(item("b")["share"], 1.0);
    assert_eq!(item("f")["fell_short"], 1, "unanswered counts as short");
    let weakest: Vec<&str> = s["weakest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(weakest, ["b", "d", "f"]);
    // Only the approved inspection's recommendation and findings are official.
    let recs = s["recommendations"].as_array().unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["id"], c.rec_a.as_str());
    assert_eq!(recs[0]["responsible"], "Xã Nghi Lộc");
    assert_eq!(recs[0]["due_on"], "2027-03-31");
    assert_eq!(recs[0]["follow_up"], "open");
    assert_ne!(recs[0]["id"], c.rec_b.as_str());
    let findings = s["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0]["shortcomings"],
        "Chưa xây dựng điểm sáng dân vận."
    );

    // Approving B brings it in.
    act(&app, &w.lead2, &c.b, "approve").await;
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{}/summary", w.round), &w.admin)
        .await;
    assert_eq!(s["counts"]["approved"], 2);
    assert_eq!(s["counts"]["pending"], 1);
    assert_eq!(s["recommendations"].as_array().unwrap().len(), 2);
    assert!(unit(&s, &w.unit_b)["score"].as_f64().unwrap() > 90.0);
    let _ = &c.a;
}

async fn progress_counts_every_state_per_team(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let c = compiled(&app).await;
    let w = &c.w;
    let p: Value = app
        .get_json(&format!("/api/v1/rounds/{}/progress", w.round), &w.admin)
        .await;
    assert_eq!(p["due_on"], "2026-11-30");
    let o = &p["overall"];
    assert_eq!(
        (
            o["assigned"].as_u64(),
            o["started"].as_u64(),
            o["approved"].as_u64(),
            o["submitted"].as_u64(),
            o["not_started"].as_u64()
        ),
        (Some(3), Some(2), Some(1), Some(1), Some(1))
    );
    assert_eq!(o["missing_evidence"], 0);
    assert_eq!(o["open_conflicts"], 0);
    let teams = p["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 2);
    assert_eq!(teams[0]["team_name"], "Đoàn 1");
    assert_eq!(teams[0]["approved"], 1);
    assert_eq!(teams[1]["assigned"], 2);
    // Whether anything is overdue depends on today against the round's deadline.
    let past_due = p["past_due"].as_bool().unwrap();
    assert_eq!(o["overdue"], if past_due { 2 } else { 0 });

    // Returned work shows as returned; a lead sees only the teams they lead or belong to.
    ok(post(
        &app,
        &w.lead2,
        &format!("/api/v1/inspections/{}/return", c.b),
        json!({"reason": "Bổ sung minh chứng"}),
    )
    .await)
    .await;
    let p: Value = app
        .get_json(&format!("/api/v1/rounds/{}/progress", w.round), &w.lead2)
        .await;
    let teams = p["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0]["team_id"], w.team2.as_str());
    assert_eq!(teams[0]["returned"], 1);
    assert_eq!(p["overall"]["assigned"], 2);
}
