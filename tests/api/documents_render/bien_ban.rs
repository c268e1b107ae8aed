//! The biên bản of an inspection, blank and recorded, and who may read it.

use super::*;

fn docx_text(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    xml
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bien_ban_records_each_inspection() {
    let app = TestApp::spawn(Engine::Sqlite).await.unwrap();
    let (w, a) = province(&app).await;
    let docx_ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    // Nothing recorded yet (a draft just started): dotted lines to fill in by hand.
    let fresh = send(
        &app,
        Method::POST,
        &w.insp2,
        "/api/v1/inspections",
        json!({"round_id": w.round, "unit_id": w.unit_b}),
    )
    .await;
    let blank = docx_text(
        &file(
            &app,
            &w.insp2,
            &format!(
                "/api/v1/inspections/{}/bien-ban?format=docx",
                fresh["id"].as_str().unwrap()
            ),
            docx_ct,
        )
        .await,
    );
    assert!(blank.contains("vào hồi ………… giờ ………… phút"), "{blank}");
    assert!(blank.contains("BIÊN BẢN KIỂM TRA"));
    assert!(blank.contains("<w:tblHeader />"), "table headers repeat");

    // Who may read it: as for the inspection itself.
    let path = format!("/api/v1/inspections/{a}/bien-ban?format=docx");
    for (token, status) in [
        (&w.insp1, 200),
        (&w.viewer, 200),
        (&w.admin, 200),
        (&w.lead2, 404),
        (&w.insp2, 404),
    ] {
        let res = app.authed(Method::GET, &path, token).send().await.unwrap();
        assert_eq!(res.status(), status);
    }
    let res = app.req(Method::GET, &path).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = app
        .authed(
            Method::GET,
            &format!("/api/v1/inspections/{a}/bien-ban?format=odt"),
            &w.admin,
        )
        .send()
        .await
        .unwrap();
    crate::helpers::assert_problem(res, 400, "invalid_query").await;

    if !soffice_ready() {
        return;
    }
    let pdf = file(
        &app,
        &w.insp1,
        &format!("/api/v1/inspections/{a}/bien-ban?format=pdf"),
        PDF,
    )
    .await;
    let p = read_pdf(&pdf, "bien-ban");
    check_layout(&p, "biên bản");
    let all = p.all();
    let flat = all.replace('\n', " ");
    for needle in [
        "BAN CHỈ ĐẠO THỰC HIỆN CÔNG TÁC",
        "ĐOÀN KIỂM TRA SỐ 1",
        "/BB-ĐKT",
        "Nghệ An, ngày 05 tháng 3 năm 2026",
        "Xã Nghi Lộc",
        "Hôm nay, vào hồi 14 giờ 30 phút, ngày 05 tháng 3 năm 2026, tại Hội trường UBND xã Nghi Lộc",
        "Ông/Bà Nguyễn Văn An - Phó Giám đốc Sở Nội vụ, Trưởng đoàn.",
        "Ông/Bà Trần Văn Cường - Chủ tịch UBND xã.",
        "Có chương trình công tác?",
        "Một phần",
        "Chưa xây dựng điểm sáng dân vận.",
        "Thiếu cán bộ chuyên trách.",
        "Chủ tịch UBND xã Nghi Lộc",
        "31/03/2027",
        "Biên bản được lập thành 02 bản",
        "đã đọc lại cho các thành phần tham dự cùng nghe và thống nhất ký tên.",
        "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA",
        "TRƯỞNG ĐOÀN KIỂM TRA",
        "Người dùng lead1",
        "Trần Văn Cường",
    ] {
        assert!(flat.contains(needle), "biên bản lacks {needle:?}:\n{all}");
    }
    assert!(!flat.contains("Lý do chưa có"), "a hidden item has no line");
}
