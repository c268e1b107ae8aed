//! The document settings API: defaults, versions, who may read and write.

use super::*;

async fn document_settings_api(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let r = &w.round;
    let snv = format!("/api/v1/rounds/{r}/documents/snv");
    let v: Value = app.get_json(&snv, &w.admin).await;
    assert_eq!(v["version"], 0);
    assert_eq!(v["symbol"], "BC-SNV");
    assert_eq!(v["issuer_name"], "SỞ NỘI VỤ");
    assert_eq!(v["issued_on"], Value::Null);
    assert_eq!(
        v["recipients"].as_array().unwrap().last().unwrap(),
        "Lưu: VT, XDCQ"
    );
    let v = send(&app, Method::PUT, &w.admin, &snv, json!({"number": "12", "signer_name": "Nguyễn Văn Bình", "recipients": ["UBND tỉnh (để b/c)", "Lưu: VT"], "version": 0})).await;
    assert_eq!(
        (v["version"].as_i64(), v["number"].as_str()),
        (Some(1), Some("12"))
    );
    assert_eq!(v["signer_title"], "GIÁM ĐỐC", "a default kept");
    let stale = app
        .authed(Method::PUT, &snv, &w.admin)
        .json(&json!({"number": "13", "version": 0}))
        .send()
        .await
        .unwrap();
    crate::helpers::assert_problem(stale, 409, "version_mismatch").await;
    let bad = app
        .authed(Method::PUT, &snv, &w.admin)
        .json(&json!({"signer_authority": "Thay mặt"}))
        .send()
        .await
        .unwrap();
    crate::helpers::assert_problem(bad, 422, "validation_failed").await;

    // Sở Nội vụ's and the committee's: administrators write, viewers read, others 403.
    let bcd = format!("/api/v1/rounds/{r}/documents/bcd");
    assert_eq!(
        app.authed(Method::GET, &bcd, &w.viewer)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for token in [&w.lead1, &w.insp1] {
        assert_eq!(
            app.authed(Method::GET, &bcd, token)
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
    }
    let res = app
        .authed(Method::PUT, &bcd, &w.viewer)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/rounds/{r}/exports/docx?issuer=snv"),
            &w.lead1,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "a lead does not sign as Sở Nội vụ");

    // A team's: its lead and administrators write; whoever sees the team reads; others 404.
    let t1 = format!("/api/v1/rounds/{r}/documents/team:{}", w.team1);
    let v: Value = app.get_json(&t1, &w.lead1).await;
    assert_eq!(v["issuer_name"], "ĐOÀN KIỂM TRA SỐ 1");
    assert_eq!(v["signer_name"], "Người dùng lead1");
    assert_eq!(v["symbol"], "BC-ĐKT");
    send(
        &app,
        Method::PUT,
        &w.lead1,
        &t1,
        json!({"place": "Vinh", "version": 0}),
    )
    .await;
    for (token, read, write) in [
        (&w.insp1, 200, 403),
        (&w.viewer, 200, 403),
        (&w.lead2, 404, 404),
        (&w.insp2, 404, 404),
    ] {
        let res = app.authed(Method::GET, &t1, token).send().await.unwrap();
        assert_eq!(res.status(), read);
        let res = app
            .authed(Method::PUT, &t1, token)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), write);
    }
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/rounds/{r}/documents/team:nope"),
            &w.admin,
        )
        .send()
        .await
        .unwrap();
    crate::helpers::assert_problem(res, 400, "invalid_path").await;
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/rounds/{r}/exports/docx?issuer=team:{}", w.team1),
            &w.insp2,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // The round's plan: set, read back, cleared.
    let round = send(
        &app,
        Method::PATCH,
        &w.admin,
        &format!("/api/v1/rounds/{r}"),
        json!({"plan_number": " 125/KH-BCĐ ", "plan_date": "2026-03-05"}),
    )
    .await;
    assert_eq!(
        (round["plan_number"].as_str(), round["plan_date"].as_str()),
        (Some("125/KH-BCĐ"), Some("2026-03-05"))
    );
    let round: Value = app.get_json(&format!("/api/v1/rounds/{r}"), &w.insp1).await;
    assert_eq!(round["plan_number"], "125/KH-BCĐ");
    let round = send(
        &app,
        Method::PATCH,
        &w.admin,
        &format!("/api/v1/rounds/{r}"),
        json!({"plan_number": null}),
    )
    .await;
    assert_eq!(round["plan_number"], Value::Null);
    assert_eq!(round["plan_date"], "2026-03-05", "untouched");
}

crate::both_engines!(document_settings_api);
