//! The biên bản record fields by REST and by push, merged by field.

use super::*;

both_engines!(the_record_fields_by_rest_and_by_push);

async fn the_record_fields_by_rest_and_by_push(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let id = start(&app, &w, &w.insp1, &w.unit_a).await;
    let path = format!("/api/v1/inspections/{id}");
    let body = json!({
        "place": "Hội trường UBND phường Cửa Lò",
        "held_at": "2026-03-10T08:00:00+07:00",
        "members": [{"name": NFD, "title": "Trưởng đoàn"}, {"name": "Trần Thị B"}],
        "attendees": [{"name": "Lê Văn C", "title": "Chủ tịch UBND phường"}]
    });
    let d = ok(send(&app, Method::PATCH, &path, &w.insp1, body).await).await;
    assert_eq!(d["place"], "Hội trường UBND phường Cửa Lò");
    assert_eq!(d["held_at"], "2026-03-10T01:00:00Z");
    assert_eq!(
        d["members"],
        json!([{"name": "Nghệ An", "title": "Trưởng đoàn"}, {"name": "Trần Thị B"}])
    );
    let got: Value = app.get_json(&path, &w.lead1).await;
    assert_eq!(
        got["attendees"],
        json!([{"name": "Lê Văn C", "title": "Chủ tịch UBND phường"}])
    );

    let bad = json!({"members": [{"title": "x"}], "held_at": "10/03/2026"});
    let p = assert_problem(
        send(&app, Method::PATCH, &path, &w.insp1, bad).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        codes(&p),
        [
            ("/held_at".to_owned(), "invalid_time".to_owned()),
            ("/members/0/name".to_owned(), "invalid_text".to_owned())
        ]
    );

    // Two devices edit different fields from the same version: both stay.
    let version = got["version"].as_i64().unwrap();
    let tablet = app
        .login_body("insp1", "pw-insp1-123", Some("tablet"))
        .await;
    let tablet = tablet.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let edit = |field: &str, value: Value| json!([{"mutation_id": mid(), "type": "inspection.update", "id": id, "base_version": version, "fields": {field: {"value": value, "hlc": hlc()}}}]);
    let r = push(&app, &w.insp1, edit("place", json!("Nhà văn hoá khối 1"))).await;
    assert_eq!(r[0]["status"], "applied", "{r:?}");
    let r = push(
        &app,
        &tablet,
        edit(
            "attendees",
            json!([{"name": "Phạm Văn D", "title": "Phó Chủ tịch"}]),
        ),
    )
    .await;
    assert_eq!(r[0]["status"], "merged", "{r:?}");
    assert_eq!(r[0]["current"]["place"], "Nhà văn hoá khối 1");
    assert_eq!(
        r[0]["current"]["attendees"],
        json!([{"name": "Phạm Văn D", "title": "Phó Chủ tịch"}])
    );
    assert_eq!(
        r[0]["current"]["members"][0]["name"], "Nghệ An",
        "untouched"
    );

    let (changes, _) = pull_all(&app, &w.insp1, None).await;
    let row = changes
        .iter()
        .rfind(|c| c["entity"] == "inspection" && c["id"] == id.as_str())
        .unwrap();
    assert_eq!(row["data"]["held_at"], "2026-03-10T01:00:00Z");
    assert_eq!(row["data"]["attendees"][0]["name"], "Phạm Văn D");

    // The WatermelonDB face: flat columns, the people as JSON text.
    let page: Value = app
        .get_json("/api/v1/sync/watermelon?schema_version=1", &w.insp1)
        .await;
    let rec = page["changes"]["inspections"]["created"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(rec["place"], "Nhà văn hoá khối 1");
    assert_eq!(rec["held_at"], "2026-03-10T01:00:00Z");
    let members: Value = serde_json::from_str(rec["members"].as_str().unwrap()).unwrap();
    assert_eq!(members[1], json!({"name": "Trần Thị B"}));
}
