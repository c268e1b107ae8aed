//! Evidence checks: a photo whose camera says it was taken elsewhere, on another day or
//! outside the round, or whose bytes serve twice, is flagged for the lead (never refused), in
//! the API, on the review page and in the ZIP manifest.

use std::io::Read;

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::evidence::setup;
use crate::helpers::{Engine, TestApp};
use crate::photos;
use crate::web::client::WebClient;

both_engines!(photos_from_elsewhere_or_used_twice_are_flagged_for_the_lead);

/// Nghi Lộc's commune office; the test photo's EXIF says Vinh, about 14 km away.
const NGHI_LOC: (f64, f64) = (18.8076, 105.6486);

async fn send(app: &TestApp, token: &str, method: Method, path: &str, body: Value) -> Value {
    let res = app
        .authed(method, path, token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {v}");
    v
}

async fn photo(app: &TestApp, token: &str, inspection: &str, item: &str, bytes: &[u8]) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let body = json!({"id": id, "item_id": item, "taken_at": "2026-11-10T01:40:00Z", "latitude": NGHI_LOC.0, "longitude": NGHI_LOC.1});
    send(
        app,
        token,
        Method::POST,
        &format!("/api/v1/inspections/{inspection}/evidence"),
        body,
    )
    .await;
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{id}/content"),
            token,
        )
        .header("content-type", "image/jpeg")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    id
}

pub(crate) fn codes(v: &Value) -> Vec<String> {
    v["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn photos_from_elsewhere_or_used_twice_are_flagged_for_the_lead(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (w, insp) = setup(&app).await;
    send(
        &app,
        &w.admin,
        Method::PATCH,
        &format!("/api/v1/units/{}", w.unit_a),
        json!({"latitude": NGHI_LOC.0, "longitude": NGHI_LOC.1}),
    )
    .await;
    // The meeting was at 08:30 on 10/11/2026; the photo's camera says 03/05/2026 in Vinh.
    send(
        &app,
        &w.insp1,
        Method::PATCH,
        &format!("/api/v1/inspections/{insp}"),
        json!({"held_at": "2026-11-10T01:30:00Z"}),
    )
    .await;
    let vinh = photos::jpeg(64, 48, 1, true);
    let first = photo(&app, &w.insp1, &insp, "a", &vinh).await;
    let again = photo(&app, &w.insp1, &insp, "d", &vinh).await;
    let plain = photo(&app, &w.insp1, &insp, "a", &photos::jpeg(64, 48, 2, false)).await;

    let one: Value = app
        .get_json(&format!("/api/v1/evidence/{first}"), &w.lead1)
        .await;
    assert_eq!(
        codes(&one),
        [
            "time_differs_from_claim",
            "taken_on_another_day",
            "taken_outside_round",
            "far_from_unit",
            "reused_in_inspection"
        ],
        "{one}"
    );
    assert!(
        one["flags"][3]["message"].as_str().unwrap().contains("km"),
        "{one}"
    );
    let list: Value = app
        .get_json(&format!("/api/v1/inspections/{insp}/evidence"), &w.lead1)
        .await;
    let by_id = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()
            .clone()
    };
    assert!(codes(&by_id(&again)).contains(&"reused_in_inspection".to_owned()));
    assert!(
        codes(&by_id(&plain)).is_empty(),
        "no EXIF, claims on site: nothing to say"
    );

    // The lead's review page says the same, in the same words.
    let mut lead = WebClient::world_user(&app, "lead1").await;
    let (status, page) = lead.get(&format!("/phieu/{insp}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("cách trụ sở đơn vị khoảng"),
        "the review page shows the flag"
    );
    assert!(page.contains("trùng SHA-256"));

    // And so does the ZIP's manifest, in its last column.
    let zip = app
        .authed(
            Method::GET,
            &format!("/api/v1/rounds/{}/exports/zip", w.round),
            &w.lead1,
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    let mut manifest = String::new();
    archive
        .by_name("manifest.csv")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    let line = manifest.lines().find(|l| l.contains(&first)).unwrap();
    assert!(line.contains("ngoài thời gian của đợt kiểm tra"), "{line}");
    let clean = manifest.lines().find(|l| l.contains(&plain)).unwrap();
    assert!(
        clean.ends_with(';'),
        "no flags for the plain photo: {clean}"
    );
}
