//! Answers typed into the old checklist items reach the report, on write and by the data migration.

use super::*;

both_engines!(answers_in_the_old_findings_items_reach_the_report);

fn old_findings_section() -> Value {
    json!({"id": "ket_qua", "title": "Kết quả kiểm tra", "items": [
        {"id": "ket_qua.uu_diem", "type": "text", "label": "Ưu điểm", "required": true},
        {"id": "ket_qua.han_che", "type": "text", "label": "Hạn chế", "required": true},
        {"id": "ket_qua.nguyen_nhan", "type": "text", "label": "Nguyên nhân"},
        {"id": "ket_qua.kien_nghi", "type": "text", "label": "Kiến nghị"}]})
}

/// The round's summary line for `unit`, and the unit's recommendations in it.
async fn reported(app: &TestApp, w: &World, unit: &str) -> (Value, Vec<String>) {
    let s: Value = app
        .get_json(&format!("/api/v1/rounds/{}/summary", w.round), &w.admin)
        .await;
    let line = s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["unit_id"] == unit)
        .cloned()
        .unwrap_or(Value::Null);
    let recs = s["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.to_string().contains(unit))
        .map(|r| r["content"].as_str().unwrap_or_default().to_owned())
        .collect();
    (line, recs)
}

async fn answers_in_the_old_findings_items_reach_the_report(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build_with_template(&app, with_section(old_findings_section())).await;

    // An old device still answers the checklist items: the texts reach the fields as typed.
    let a = start(&app, &w, &w.insp1, &w.unit_a).await;
    let answers = |uu: &str| {
        json!({"answers": {"a": {"value": "yes"}, "b": {"value": "full"},
        "ket_qua.uu_diem": {"value": uu}, "ket_qua.han_che": {"value": "Chưa có điểm sáng."},
        "ket_qua.kien_nghi": {"value": "Xây dựng điểm sáng dân vận."}}})
    };
    let path = format!("/api/v1/inspections/{a}/answers");
    ok(send(&app, Method::PATCH, &path, &w.insp1, answers("Tốt")).await).await;
    let d = ok(send(
        &app,
        Method::PATCH,
        &path,
        &w.insp1,
        answers("Tốt, đúng hạn"),
    )
    .await)
    .await;
    assert_eq!(d["strengths"], "Tốt, đúng hạn", "edited, not doubled");
    assert_eq!(d["shortcomings"], "Chưa có điểm sáng.");
    assert_eq!(d["recommendations"].as_array().unwrap().len(), 1);
    for (token, action) in [(&w.insp1, "submit"), (&w.lead1, "approve")] {
        ok(send(
            &app,
            Method::POST,
            &format!("/api/v1/inspections/{a}/{action}"),
            token,
            Value::Null,
        )
        .await)
        .await;
    }
    let (line, recs) = reported(&app, &w, &w.unit_a).await;
    assert_eq!(line["strengths"], "Tốt, đúng hạn");
    assert_eq!(recs, ["Xây dựng điểm sáng dân vận."]);

    // Data from before the fold: answers only, approved. The one-off step folds them.
    let b = start(&app, &w, &w.insp2, &w.unit_b).await;
    let b2 = b.clone();
    app.db
        .write(move |c| plant_old_answers(c, &b2))
        .await
        .unwrap();
    assert_eq!(
        reported(&app, &w, &w.unit_b).await.0["strengths"],
        Value::Null
    );
    let ran = app
        .db
        .write(|c| {
            use diesel::prelude::*;
            diesel::delete(kiemtra::db::schema::data_migrations::table).execute(c)?;
            kiemtra::db::data::run(c, kiemtra::upgrades::STEPS)
        })
        .await
        .unwrap();
    assert_eq!(ran, 1);
    let (line, recs) = reported(&app, &w, &w.unit_b).await;
    assert_eq!(line["strengths"], "Ưu điểm cũ");
    assert_eq!(line["causes"], "Nguyên nhân cũ");
    assert_eq!(recs, ["Kiến nghị cũ"]);
    // Stamped for sync like any change.
    let (changes, _) = pull_all(&app, &w.insp2, None).await;
    assert!(changes
        .iter()
        .any(|c| c["entity"] == "recommendation" && c["data"]["content"] == "Kiến nghị cũ"));
}

/// Answers written as an older server wrote them (no fold), then approved.
fn plant_old_answers(c: &mut kiemtra::db::DbConn, id: &str) -> Result<(), kiemtra::db::DbError> {
    use diesel::prelude::*;
    use kiemtra::db::schema::{answers, inspections};
    let now = chrono::Utc::now().naive_utc();
    let by: String = inspections::table
        .find(id)
        .select(inspections::created_by)
        .first(c)?;
    for (item, text) in [
        ("ket_qua.uu_diem", "Ưu điểm cũ"),
        ("ket_qua.han_che", "Hạn chế cũ"),
        ("ket_qua.nguyen_nhan", "Nguyên nhân cũ"),
        ("ket_qua.kien_nghi", "Kiến nghị cũ"),
    ] {
        diesel::insert_into(answers::table)
            .values((
                answers::inspection_id.eq(id),
                answers::item_id.eq(item),
                answers::value.eq(Some(json!(text).to_string())),
                answers::na.eq(false),
                answers::version.eq(1),
                answers::updated_by.eq(&by),
                answers::updated_at.eq(now),
            ))
            .execute(c)?;
    }
    diesel::update(inspections::table.find(id))
        .set((
            inspections::status.eq("approved"),
            inspections::approved_at.eq(Some(now)),
        ))
        .execute(c)?;
    Ok(())
}
