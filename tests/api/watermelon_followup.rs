//! The WatermelonDB face's follow-up tables (issue 18), with the real `@nozbe/watermelondb`
//! `synchronize()` (tests/clients/watermelon_followup.mjs): an inspector's phone receives the
//! unit's submitted self-assessment, its earlier open recommendations and their remedies, and
//! its own notifications, never another person's; a read mark pushed from the phone reaches
//! the server, and a lead's remedy too (the same push twice changes nothing; one written
//! before the server's latest change is 409); whatever the REST API would refuse (another
//! person's notification, a made-up one, an inspector's remedy, another team's) or no device
//! may change is refused with a problem, and nothing of that push is applied; a
//! recommendation done, the unit moved to another team, or taken out of the round, deletes
//! the rows on the phones that no longer may read them.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::recommendations_followup::approved;
use crate::reports::{ok, post};
use crate::self_assessment::{put_answer, submit, unit_user};
use crate::watermelon::run_client;
use crate::world::World;

both_engines!(the_follow_up_reaches_the_phone_and_only_what_rest_allows_comes_back);

const MARKER: &str = "TU-DANH-GIA-XA-NGHI-LOC";

/// Round 2 (open, past its due day, so reminders go out), assigning unit A to team 1.
async fn round2(app: &TestApp, w: &World) -> String {
    let body = json!({"name": "Kiểm tra chuyên đề", "kind": "thematic", "template_version_id": w.version, "starts_on": "2026-10-01", "ends_on": "2026-11-20", "due_on": "2026-11-25", "status": "open"});
    let r = ok(post(app, &w.admin, "/api/v1/rounds", body).await).await;
    let id = r["id"].as_str().unwrap().to_owned();
    let body = json!({"assignments": [{"unit_id": w.unit_a, "team_id": w.team1}]});
    let path = format!("/api/v1/rounds/{id}/assignments");
    ok(app
        .authed(Method::PUT, &path, &w.admin)
        .json(&body)
        .send()
        .await
        .unwrap())
    .await;
    id
}

fn rows<'a>(holding: &'a Value, table: &str) -> &'a Vec<Value> {
    holding[table].as_array().unwrap()
}

fn ids(holding: &Value, table: &str) -> Vec<String> {
    let mut v: Vec<String> = rows(holding, table)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

fn find<'a>(holding: &'a Value, table: &str, id: &str) -> &'a Value {
    rows(holding, table)
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{table}/{id} not on the phone: {holding}"))
}

async fn the_follow_up_reaches_the_phone_and_only_what_rest_allows_comes_back(engine: Engine) {
    if crate::node::ready("WatermelonDB client").is_none() {
        return;
    }
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    // Round 1: unit A's inspection approved with two recommendations; the lead notes a remedy.
    let recs = [
        json!({"content": "Kiện toàn tổ dân vận xã", "due_on": "2099-03-31"}),
        json!({"content": "Củng cố sổ tiếp dân", "due_on": "2099-06-30"}),
    ];
    let (_, r) = approved(&app, (&w.insp1, &w.lead1), &w.round, &w.unit_a, &recs).await;
    let (rec_open, rec_done) = (r[0].clone(), r[1].clone());
    let remedy_id = "5d0c7a52-0c57-4c52-8a43-3a4f7e6b1c01";
    let body = json!({"id": remedy_id, "note": "Đã họp triển khai", "follow_up": "in_progress"});
    let path = format!("/api/v1/recommendations/{rec_open}/remedies");
    assert_eq!(post(&app, &w.lead1, &path, body).await.status(), 201);
    // Round 2: team 1 visits A again; A submits its self-assessment.
    let round2 = round2(&app, &w).await;
    let a = unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    for (item, value) in [
        ("a", json!("no")),
        ("b", json!("full")),
        ("c", json!(MARKER)),
    ] {
        ok(put_answer(&app, &a, &round2, item, json!({"value": value})).await).await;
    }
    let sa = ok(submit(&app, &a, &round2).await).await;
    let sa_id = sa["id"].as_str().unwrap().to_owned();
    // Reminders: insp1 hears of A in round 2, insp2 of B and C in round 1.
    for round in [&round2, &w.round] {
        let path = format!("/api/v1/rounds/{round}/reminders");
        ok(post(&app, &w.admin, &path, json!({})).await).await;
    }
    let theirs: Value = app.get_json("/api/v1/notifications", &w.insp2).await;
    let theirs: Vec<Value> = theirs["items"].as_array().unwrap().clone();
    assert!(!theirs.is_empty(), "insp2 has notifications");
    let stolen = theirs[0]["id"].as_str().unwrap().to_owned();
    let r = run_client(
        "watermelon_followup.mjs",
        vec![
            ("KT_BASE", app.base.clone()),
            ("KT_TOKEN_A", w.insp1.clone()),
            ("KT_TOKEN_B", w.insp2.clone()),
            ("KT_TOKEN_LEAD", w.lead1.clone()),
            ("KT_TOKEN_ADMIN", w.admin.clone()),
            ("KT_OTHERS_NOTIFICATION", stolen.clone()),
            ("KT_REC_OPEN", rec_open.clone()),
            ("KT_REC_DONE", rec_done.clone()),
            ("KT_ROUND2", round2.clone()),
            ("KT_UNIT", w.unit_a.clone()),
            ("KT_TEAM2", w.team2.clone()),
        ],
    )
    .await;
    let ctx = Ctx {
        sa_id,
        rec_open,
        remedy_id: remedy_id.to_owned(),
        stolen,
    };
    let (e_open, e_done) = first_sync(&r, &ctx, &round2, &theirs);
    pushes(&app, &w, &r, &ctx).await;
    scope_changes(&r, &ctx, &e_open, &e_done);
}

struct Ctx {
    sa_id: String,
    rec_open: String,
    remedy_id: String,
    stolen: String,
}

/// What the phones hold after their first sync; returns the earlier rows' ids (open, done).
fn first_sync(r: &Value, c: &Ctx, round2: &str, theirs: &[Value]) -> (String, String) {
    let first = &r["first"];
    assert_eq!(
        ids(first, "self_assessments"),
        vec![c.sa_id.clone()],
        "{first}"
    );
    let s = find(first, "self_assessments", &c.sa_id);
    assert_eq!(s["status"], "submitted");
    assert_eq!(s["round_id"], round2);
    let answers: Value = serde_json::from_str(s["answers"].as_str().unwrap()).unwrap();
    assert_eq!(answers["c"]["value"], MARKER, "answers as JSON text");
    assert!(s["score"].as_f64().is_some(), "{s}");
    let open = rows(first, "earlier_recommendations")
        .iter()
        .find(|e| e["recommendation_id"] == c.rec_open.as_str())
        .unwrap();
    let assignment2 = open["assignment_id"].as_str().unwrap();
    let e_open = format!("{assignment2}/{}", c.rec_open);
    let others: Vec<String> = ids(first, "earlier_recommendations")
        .into_iter()
        .filter(|id| *id != e_open)
        .collect();
    assert_eq!(others.len(), 1, "both open recommendations: {first}");
    let e_done = others[0].clone();
    let e = find(first, "earlier_recommendations", &e_open);
    assert_eq!(e["for_round_id"], round2);
    assert_eq!(e["content"], "Kiện toàn tổ dân vận xã");
    assert_eq!(e["status"], "in_progress");
    let latest: Value = serde_json::from_str(e["latest_remedy"].as_str().unwrap()).unwrap();
    assert_eq!(latest["note"], "Đã họp triển khai");
    assert_eq!(ids(first, "remedies"), vec![c.remedy_id.clone()]);
    assert_eq!(
        find(first, "remedies", &c.remedy_id)["recommendation_id"],
        c.rec_open.as_str()
    );
    // Its own notifications, all of them, and no one else's.
    let mine = r["mineOnServer"]["items"].as_array().unwrap();
    let me = mine[0]["user_id"].as_str().unwrap();
    let mut own: Vec<String> = mine
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    own.sort();
    assert_eq!(ids(first, "notifications"), own);
    let other_first = &r["otherFirst"];
    assert_eq!(rows(other_first, "notifications").len(), theirs.len());
    assert!(rows(other_first, "notifications")
        .iter()
        .all(|n| n["user_id"] != me));
    assert!(
        rows(other_first, "self_assessments").is_empty(),
        "team 2's phone"
    );
    assert!(rows(other_first, "earlier_recommendations").is_empty());
    assert!(rows(other_first, "remedies").is_empty());
    // Never another person's notification, in any pull of any phone.
    let phone = r["pulls"]["phone"].to_string() + &r["pulls"]["lead"].to_string();
    for n in theirs {
        let id = n["id"].as_str().unwrap();
        assert!(
            !phone.contains(id),
            "insp2's notification {id} reached team 1"
        );
    }
    let other = r["pulls"]["other"].to_string();
    for id in &own {
        assert!(
            !other.contains(id.as_str()),
            "insp1's notification {id} reached insp2"
        );
    }
    (e_open, e_done)
}

/// A problem+json refusal with this status and code.
fn refused(res: &Value, status: u16, code: &str) {
    assert_eq!(res["status"], status, "{res}");
    assert!(
        res["type"]
            .as_str()
            .unwrap()
            .starts_with("application/problem+json"),
        "{res}"
    );
    assert_eq!(res["body"]["code"], code, "{res}");
}

async fn pushes(app: &TestApp, w: &World, r: &Value, c: &Ctx) {
    // A read mark beside a remedy the inspector may not add: nothing of it applied.
    refused(&r["mixed"], 403, "forbidden");
    let read = r["read"].as_str().unwrap();
    let before = r["afterMixed"]["items"].as_array().unwrap();
    let before = before.iter().find(|n| n["id"] == read).unwrap();
    assert!(before["read_at"].is_null(), "nothing partial: {before}");
    // The read mark alone, through synchronize(); twice more: 200, nothing changes.
    let mine = r["mineOnServer"]["items"].as_array().unwrap();
    let on_server = mine.iter().find(|n| n["id"] == read).unwrap();
    assert!(on_server["read_at"].is_string(), "{on_server}");
    for again in r["again"].as_array().unwrap() {
        assert_eq!(again["status"], 200, "{again}");
    }
    assert_eq!(
        find(&r["afterRead"], "notifications", read)["read_at"],
        on_server["read_at"]
    );
    // What REST refuses, the push refuses, the same way.
    let f = &r["refused"];
    refused(&f["stolen"], 404, "not_found");
    refused(&f["madeUp"], 404, "not_found");
    // The same answer but for the request's own id.
    let without_id = |v: &Value| {
        let mut v = v.clone();
        v.as_object_mut().map(|o| o.remove("request_id"));
        v
    };
    assert_eq!(
        without_id(&f["stolen"]["body"]),
        without_id(&f["madeUp"]["body"]),
        "existing or not: one answer"
    );
    refused(&f["inspectorRemedy"], 403, "forbidden");
    refused(&f["othersRemedy"], 404, "not_found");
    for (k, table) in [
        ("selfAssessment", "self_assessments/updated/0"),
        ("earlier", "earlier_recommendations/updated/0"),
        ("deleteRemedy", "remedies/deleted/0"),
    ] {
        refused(&f[k], 422, "validation_failed");
        let e = &f[k]["body"]["errors"][0];
        assert_eq!(e["pointer"], format!("/changes/{table}"), "{e}");
        assert_eq!(e["code"], "read_only", "{e}");
    }
    let stolen = r["othersOnServer"]["items"].as_array().unwrap();
    let stolen = stolen
        .iter()
        .find(|n| n["id"] == c.stolen.as_str())
        .unwrap();
    assert!(
        stolen["read_at"].is_null(),
        "another's is never marked read"
    );
    // The lead's remedy: on the server once, whatever the retries; the stale one refused.
    assert_eq!(r["leadAttempts"], 1);
    assert_eq!(r["leadAgain"]["status"], 200, "{}", r["leadAgain"]);
    refused(&r["leadStale"], 409, "sync_stale");
    let d = &r["recommendation"];
    let notes: Vec<&str> = d["remedies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["note"].as_str().unwrap())
        .collect();
    assert_eq!(
        notes,
        [
            "Đã họp triển khai",
            "Đã kiện toàn tổ dân vận, có quyết định kèm theo"
        ],
        "the lead's once, the stale and refused ones never: {d}"
    );
    assert_eq!(d["remedies"][1]["id"], r["leadRemedy"]);
    assert_eq!(d["follow_up"], "in_progress");
    let e: Value = app
        .get_json(&format!("/api/v1/recommendations/{}", c.rec_open), &w.lead1)
        .await;
    assert_eq!(e["remedies"].as_array().unwrap().len(), 2);
}

fn scope_changes(r: &Value, c: &Ctx, e_open: &str, e_done: &str) {
    let deleted = &r["deletedBy"];
    assert_eq!(
        deleted["done"]["earlier_recommendations"],
        json!([e_done]),
        "{deleted}"
    );
    assert_eq!(
        ids(&r["afterDone"], "earlier_recommendations"),
        vec![e_open.to_owned()]
    );
    let moved_away = &deleted["moved"];
    assert_eq!(
        moved_away["self_assessments"],
        json!([c.sa_id]),
        "{deleted}"
    );
    assert_eq!(
        moved_away["earlier_recommendations"],
        json!([e_open]),
        "{deleted}"
    );
    let moved = &r["moved"];
    assert!(rows(moved, "self_assessments").is_empty());
    assert!(rows(moved, "earlier_recommendations").is_empty());
    assert!(
        ids(moved, "remedies").contains(&c.remedy_id),
        "round 1 stays"
    );
    let other_moved = &r["otherMoved"];
    assert_eq!(ids(other_moved, "self_assessments"), vec![c.sa_id.clone()]);
    assert_eq!(
        ids(other_moved, "earlier_recommendations"),
        vec![e_open.to_owned()]
    );
    assert!(
        rows(other_moved, "remedies").is_empty(),
        "round 1 is team 1's"
    );
    // Taken out of the round: team 2's phone drops the unit's rows.
    // (The cascade may also name rows the phone deleted before, such as the done one: a
    // phone ignores ids it does not hold.)
    let gone = &deleted["unassigned"];
    assert_eq!(gone["self_assessments"], json!([c.sa_id]), "{deleted}");
    let named = gone["earlier_recommendations"].as_array().unwrap();
    assert!(named.contains(&json!(e_open)), "{deleted}");
    let left = &r["otherUnassigned"];
    assert!(rows(left, "self_assessments").is_empty(), "{left}");
    assert!(rows(left, "earlier_recommendations").is_empty(), "{left}");
}
