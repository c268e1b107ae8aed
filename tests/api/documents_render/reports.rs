//! The round reports as printed: a year, a half-year and a team's.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_reports_print_to_the_decree() {
    if !soffice_ready() {
        return;
    }
    let app = TestApp::spawn(Engine::Sqlite).await.unwrap();
    let (w, _) = province(&app).await;
    let round = &w.round;
    send(
        &app,
        Method::PATCH,
        &w.admin,
        &format!("/api/v1/rounds/{round}"),
        json!({"plan_number": "125/KH-BCĐ", "plan_date": "2026-03-05"}),
    )
    .await;
    let settings = json!({"issued_on": "2026-02-05", "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "Nguyễn Văn Bình", "version": 0});
    send(
        &app,
        Method::PUT,
        &w.admin,
        &format!("/api/v1/rounds/{round}/documents/snv"),
        settings,
    )
    .await;

    let year = file(
        &app,
        &w.admin,
        &format!("/api/v1/rounds/{round}/exports/pdf?issuer=snv"),
        PDF,
    )
    .await;
    let p = read_pdf(&year, "year");
    check_layout(&p, "year report");
    let all = p.all().replace('\n', " ");
    for needle in [
        "UBND TỈNH NGHỆ AN",
        "SỞ NỘI VỤ",
        "/BC-SNV",
        "Nghệ An, ngày 05 tháng 02 năm 2026",
        "BÁO CÁO",
        "Kết quả kiểm tra công tác dân vận chính quyền năm 2026",
        "Thực hiện Kế hoạch số 125/KH-BCĐ ngày 05/3/2026 của Ban Chỉ đạo",
        "Nghệ An triển khai kịp thời Chương trình công tác năm 2026.",
        "Chủ tịch UBND xã Nghi Lộc",
        "31/03/2027",
        // The test checklist sets no `scoring.note`: the default says whose scheme it is.
        kiemtra::templates::model::DEFAULT_SCHEME_NOTE,
        "KT. GIÁM ĐỐC",
        "Nguyễn Văn Bình",
        "Nơi nhận:",
        "- Lưu: VT, XDCQ.",
    ] {
        assert!(all.contains(needle), "year report lacks {needle:?}:\n{all}");
    }
    assert!(
        !all.contains("Thực hiện Kiểm tra"),
        "capital K mid-sentence"
    );
    assert!(
        !all.contains("sơ kết 6 tháng"),
        "a year round is not a half-year review"
    );

    send(
        &app,
        Method::PATCH,
        &w.admin,
        &format!("/api/v1/rounds/{round}"),
        json!({"kind": "half_year"}),
    )
    .await;
    let half = file(
        &app,
        &w.admin,
        &format!("/api/v1/rounds/{round}/exports/pdf"),
        PDF,
    )
    .await;
    let p = read_pdf(&half, "half-year");
    check_layout(&p, "half-year report");
    let all = p.all().replace('\n', " ");
    assert!(
        all.contains("công tác dân vận chính quyền sơ kết 6 tháng đầu năm 2026"),
        "half-year title:\n{all}"
    );

    // A team's own report: issued by the team, over its units, signed by its lead.
    let path = format!("/api/v1/rounds/{round}/exports/pdf?issuer=team:{}", w.team1);
    let team = file(&app, &w.lead1, &path, PDF).await;
    let p = read_pdf(&team, "team");
    check_layout(&p, "team report");
    let all = p.all().replace('\n', " ");
    for needle in [
        "ĐOÀN KIỂM TRA SỐ 1",
        "/BC-ĐKT",
        "TRƯỞNG ĐOÀN",
        "Người dùng lead1",
        "Xã Nghi Lộc",
    ] {
        assert!(all.contains(needle), "team report lacks {needle:?}:\n{all}");
    }
    assert!(
        !all.contains("Xã Diễn Châu"),
        "another team's unit in a team's report"
    );
    assert!(!all.contains("SỞ NỘI VỤ"));
}
