//! The meeting photo and the findings a submission needs.

use super::*;

both_engines!(the_meeting_photo_and_the_findings_are_required);

async fn the_meeting_photo_and_the_findings_are_required(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let photo = json!({"id": "ket_qua", "title": "Kết quả kiểm tra", "items": [
        {"id": "ket_qua.anh_hien_truong", "type": "photo", "label": "Ảnh buổi làm việc", "evidence": {"min_photos": 1}}]});
    let w = World::build_with_template(&app, with_section(photo)).await;
    let id = start(&app, &w, &w.insp1, &w.unit_a).await;
    answer_required(&app, &w, &id).await;
    assert_eq!(
        missing_evidence(&app, &w).await,
        1,
        "counted before submission"
    );

    let submit_path = format!("/api/v1/inspections/{id}/submit");
    let submit = || send(&app, Method::POST, &submit_path, &w.insp1, Value::Null);
    let p = assert_problem(submit().await, 422, "validation_failed").await;
    assert_eq!(
        codes(&p),
        [
            (
                "/answers/ket_qua.anh_hien_truong".to_owned(),
                "evidence_missing".to_owned()
            ),
            ("/strengths".to_owned(), "findings_required".to_owned()),
            ("/shortcomings".to_owned(), "findings_required".to_owned()),
        ]
    );
    assert!(p.to_string().contains("ưu điểm"), "{p}");

    // Findings typed with decomposed marks are stored composed.
    let body = json!({"strengths": NFD, "shortcomings": "Chưa có điểm sáng."});
    let d = ok(send(
        &app,
        Method::PATCH,
        &format!("/api/v1/inspections/{id}"),
        &w.insp1,
        body,
    )
    .await)
    .await;
    assert_eq!(d["strengths"], "Nghệ An");
    let p = assert_problem(submit().await, 422, "validation_failed").await;
    assert_eq!(codes(&p).len(), 1, "{p}");

    let ev = crate::evidence::new_evidence(&app, &w.insp1, &id, "ket_qua.anh_hien_truong").await;
    let res = app
        .authed(
            Method::PUT,
            &format!("/api/v1/evidence/{ev}/content"),
            &w.insp1,
        )
        .header("content-type", "image/jpeg")
        .body(crate::photos::jpeg(120, 90, 3, false))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(missing_evidence(&app, &w).await, 0);
    assert_eq!(ok(submit().await).await["status"], "submitted");
}
