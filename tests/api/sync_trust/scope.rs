//! Scope holds as it changes: reads by the rule, working sets re-sent on entry, a moved unit
//! gone from the old team, a cursor ahead refused.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::world::World;

both_engines!(
    former_members_and_closed_rounds_read_by_the_rule,
    entering_scope_resends_the_working_set,
    a_moved_unit_leaves_the_old_team_entirely,
    a_cursor_ahead_of_the_server_is_refused,
);

async fn former_members_and_closed_rounds_read_by_the_rule(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp2, &w, &w.unit_b).await;
    let path = format!("/api/v1/inspections/{insp}");
    let lead2 = app
        .get_json::<Value>(&format!("/api/v1/teams/{}", w.team2), &w.admin)
        .await["lead_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(status_of(&app, &path, &w.insp2).await, 200);
    // The member leaves: from the next request on, nothing of the team is theirs to read.
    set_members(&app, &w, &w.team2, &lead2, json!([])).await;
    assert_eq!(status_of(&app, &path, &w.insp2).await, 404);
    let r = push(&app, &w.insp2, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": 2, "hlc": hlc()}])).await;
    assert_eq!(r[0]["reason"], "not_found");
    assert!(r[0].get("current").is_none());
    // A closed round: read-only for the lead, gone for inspectors.
    let insp1 = inspection_with_answer(&app, &w.insp1, &w, &w.unit_a).await;
    round_status(&app, &w, "closed").await;
    let mine = format!("/api/v1/inspections/{insp1}");
    assert_eq!(status_of(&app, &mine, &w.insp1).await, 404);
    assert_eq!(status_of(&app, &mine, &w.lead1).await, 200);
    let r = push(&app, &w.lead1, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp1, "item_id": "d", "value": 2, "hlc": hlc()}])).await;
    assert_eq!(r[0]["reason"], "round_not_open");
}

async fn entering_scope_resends_the_working_set(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp2, &w, &w.unit_b).await;
    let lead2: Value = app
        .get_json(&format!("/api/v1/teams/{}", w.team2), &w.admin)
        .await;
    let lead2_id = lead2["lead_id"].as_str().unwrap().to_owned();
    let insp1_id = member_of(&app, &w, &w.team1).await;
    let (_, c1) = pull_all(&app, &w.insp1, None).await;
    // insp1 joins team 2: the whole of team 2's work arrives, not just the team row.
    let insp2_id = member_of(&app, &w, &w.team2).await;
    set_members(&app, &w, &w.team2, &lead2_id, json!([insp2_id, insp1_id])).await;
    let (changes, c2) = pull_all(&app, &w.insp1, Some(c1)).await;
    for (e, id) in [
        ("team", w.team2.as_str()),
        ("inspection", insp.as_str()),
        ("answer", &format!("{insp}/b")),
    ] {
        assert!(live(&changes, e, id), "{e} {id} re-sent: {changes:?}");
    }
    // Removed, then added again: a tombstone, then the rows again; the last word is live.
    set_members(&app, &w, &w.team2, &lead2_id, json!([insp2_id])).await;
    set_members(&app, &w, &w.team2, &lead2_id, json!([insp2_id, insp1_id])).await;
    let (changes, c3) = pull_all(&app, &w.insp1, Some(c2)).await;
    let last = changes
        .iter()
        .rev()
        .find(|c| c["id"] == format!("{insp}/b"))
        .unwrap();
    assert_eq!(last["deleted"], false, "{changes:?}");
    // A round closed and reopened comes back whole to an inspector.
    round_status(&app, &w, "closed").await;
    round_status(&app, &w, "open").await;
    let (changes, _) = pull_all(&app, &w.insp2, None).await;
    assert!(
        changes.iter().all(|c| c["deleted"] == false),
        "a fresh pull holds no tombstone"
    );
    let (changes, _) = pull_all(&app, &w.insp1, Some(c3)).await;
    let last = changes
        .iter()
        .rev()
        .find(|c| c["id"] == format!("{insp}/b"))
        .unwrap();
    assert_eq!(
        last["deleted"], false,
        "reopened round re-sent: {changes:?}"
    );
}

async fn a_moved_unit_leaves_the_old_team_entirely(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp = inspection_with_answer(&app, &w.insp1, &w, &w.unit_a).await;
    let (_, c1) = pull_all(&app, &w.insp1, None).await;
    let (_, c2) = pull_all(&app, &w.insp2, None).await;
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/rounds/{}/assignments", w.round),
            &w.admin,
        )
        .json(&json!({"assignments": [{"unit_id": w.unit_a, "team_id": w.team2}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (old, c1) = pull_all(&app, &w.insp1, Some(c1)).await;
    for (e, id) in [
        ("inspection", insp.clone()),
        ("answer", format!("{insp}/b")),
    ] {
        assert!(gone(&old, e, &id), "{e} tombstoned for team 1: {old:?}");
    }
    assert!(
        old.iter().all(|c| c["deleted"] == true),
        "nothing of it stays: {old:?}"
    );
    let (new, _) = pull_all(&app, &w.insp2, Some(c2)).await;
    assert!(
        live(&new, "answer", &format!("{insp}/b")),
        "team 2 gets its answers: {new:?}"
    );
    // Team 2 edits it; team 1 hears nothing more of it.
    push(&app, &w.insp2, json!([{"mutation_id": mid(), "type": "answer.set", "inspection_id": insp, "item_id": "d", "value": 4, "hlc": hlc()}])).await;
    let (later, _) = pull_all(&app, &w.insp1, Some(c1)).await;
    assert!(later.is_empty(), "{later:?}");
    let conflicts: Vec<Value> = app.get_json("/api/v1/conflicts", &w.lead1).await;
    assert!(conflicts.is_empty());
}

async fn a_cursor_ahead_of_the_server_is_refused(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let res = app
        .authed(
            Method::GET,
            "/api/v1/sync/pull?schema_version=1&cursor=999999",
            &w.insp1,
        )
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, 400, "cursor_ahead").await;
    assert!(body["detail"].as_str().unwrap().contains("cursor"));
    let res = app
        .authed(
            Method::GET,
            "/api/v1/sync/watermelon?schema_version=1&last_pulled_at=999999",
            &w.insp1,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "cursor_ahead").await;
}
