//! Every timestamp the API writes is RFC 3339 with its offset, and typed `date-time` in the
//! OpenAPI: a client never has to guess the zone of `approved_at` or `created_at`.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::evidence::new_evidence;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

both_engines!(every_timestamp_carries_its_offset);

/// Every string of `v` that looks like a date and time, with its JSON pointer.
fn times(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => {
            let b = s.as_bytes();
            let looks = b.len() >= 16
                && b[..4].iter().all(u8::is_ascii_digit)
                && b[4] == b'-'
                && b[10] == b'T';
            if looks {
                out.push((at.to_owned(), s.clone()));
            }
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| times(x, &format!("{at}/{i}"), out)),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| times(x, &format!("{at}/{k}"), out)),
        _ => {}
    }
}

/// An inspection with every kind of dated row: answers, a comment, a recommendation, an
/// evidence record, a conflict, submitted and approved.
async fn dated_world(app: &TestApp, w: &World) -> String {
    let insp: Value = app
        .authed(Method::POST, "/api/v1/inspections", &w.insp1)
        .json(&json!({"round_id": w.round, "unit_id": w.unit_a}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = insp["id"].as_str().unwrap().to_owned();
    let post =
        |path: String, body: Value| app.authed(Method::POST, &path, &w.insp1).json(&body).send();
    app.authed(
        Method::PATCH,
        &format!("/api/v1/inspections/{id}/answers"),
        &w.insp1,
    )
    .json(&json!({"answers": {"a": {"value": "yes"}, "b": {"value": "full"}}}))
    .send()
    .await
    .unwrap();
    post(
        format!("/api/v1/inspections/{id}/comments"),
        json!({"body": "Ghi chú"}),
    )
    .await
    .unwrap();
    post(
        format!("/api/v1/inspections/{id}/recommendations"),
        json!({"content": "Kiến nghị", "due_on": "2026-12-31"}),
    )
    .await
    .unwrap();
    new_evidence(app, &w.insp1, &id, "a").await;
    let hlc = format!(
        "{:013}:0000:x",
        chrono::Utc::now().timestamp_millis() - 60_000
    );
    app.authed(Method::POST, "/api/v1/sync/push", &w.lead1)
        .json(&json!({"schema_version": 1, "mutations": [{"mutation_id": uuid::Uuid::new_v4().to_string(), "type": "answer.set", "inspection_id": id, "item_id": "b", "value": "part", "base_version": 0, "hlc": hlc}]}))
        .send()
        .await
        .unwrap();
    id
}

async fn every_timestamp_carries_its_offset(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let id = dated_world(&app, &w).await;
    let paths = [
        "/api/v1/me".to_owned(),
        "/api/v1/users".into(),
        "/api/v1/units".into(),
        "/api/v1/teams".into(),
        "/api/v1/templates".into(),
        format!("/api/v1/templates/{}", w.template),
        format!("/api/v1/template-versions/{}", w.version),
        "/api/v1/rounds".into(),
        format!("/api/v1/rounds/{}", w.round),
        format!("/api/v1/rounds/{}/progress", w.round),
        format!("/api/v1/rounds/{}/summary", w.round),
        "/api/v1/inspections".into(),
        format!("/api/v1/inspections/{id}"),
        format!("/api/v1/inspections/{id}/comments"),
        format!("/api/v1/inspections/{id}/evidence"),
        "/api/v1/conflicts".into(),
        "/api/v1/audit?limit=500".into(),
        "/api/v1/sync/pull?schema_version=1".into(),
        "/api/v1/sync/watermelon?schema_version=1".into(),
    ];
    let mut found = Vec::new();
    for p in &paths {
        let body: Value = app.get_json(p, &w.admin).await;
        times(&body, p, &mut found);
    }
    assert!(
        found.len() > 40,
        "the walk saw the dated fields: {}",
        found.len()
    );
    let bare: Vec<_> = found
        .iter()
        .filter(|(_, s)| chrono::DateTime::parse_from_rfc3339(s).is_err())
        .collect();
    assert!(bare.is_empty(), "timestamps without an offset: {bare:#?}");
    openapi_types_them(&app).await;
}

/// Every `…_at` property is typed `date-time`, and an answer's value is any JSON value.
async fn openapi_types_them(app: &TestApp) {
    let doc: Value = app
        .req(Method::GET, "/api/v1/openapi.json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for (name, s) in schemas {
        for (prop, p) in s["properties"].as_object().into_iter().flatten() {
            // `exif_taken_at` is the camera's own clock, as recorded: a local time that carries
            // an offset only when the camera wrote one (docs/evidence.md), so it is text.
            if prop.ends_with("_at") && prop != "last_pulled_at" && prop != "exif_taken_at" {
                let ty = serde_json::to_string(p).unwrap();
                assert!(ty.contains("date-time"), "{name}.{prop}: {ty}");
            }
        }
    }
    let value = &schemas["AnswerView"]["properties"]["value"];
    assert_ne!(
        value["type"], "object",
        "an answer is any JSON value: {value}"
    );
}
