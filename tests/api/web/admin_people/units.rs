//! Units: the diacritic-blind search, the unit form, and the CSV import with its preview.

use reqwest::{Response, StatusCode};

use super::{between, unescape};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::web::client::WebClient;
use crate::world::World;

/// The import form as a browser sends it: multipart, with the file and the chosen button.
async fn upload(c: &WebClient, csv: &str, mode: &str) -> Response {
    let b = "kiemtra-bien-gioi-7d1f";
    let body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"don-vi.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"che-do\"\r\n\r\n{mode}\r\n--{b}--\r\n",
        csrf = c.csrf
    );
    c.http
        .post(c.url("/quan-tri/don-vi/nhap"))
        .header("Origin", c.url(""))
        .header("Content-Type", format!("multipart/form-data; boundary={b}"))
        .body(body)
        .send()
        .await
        .expect("send")
}

both_engines!(
    search_ignores_diacritics_and_the_unit_form_saves,
    a_csv_is_previewed_line_by_line_then_imported
);

async fn search_ignores_diacritics_and_the_unit_form_saves(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let mut c = WebClient::world_user(&app, "admin1").await;

    let (status, page) = c.get("/quan-tri/don-vi?q=nghi+loc").await;
    assert_eq!(status, 200);
    assert!(page.contains(">Xã Nghi Lộc</a>"), "{page}");
    assert!(!page.contains(">Xã Diễn Châu</a>"), "{page}");
    assert!(
        page.contains("Tệp CSV") && page.contains("parent_code"),
        "the format is shown"
    );
    let (_, page) = c.get("/quan-tri/don-vi?q=NGHI%20L%E1%BB%98C").await;
    assert!(
        page.contains(">Xã Nghi Lộc</a>"),
        "upper case with marks: {page}"
    );
    let (_, page) = c.get("/quan-tri/don-vi?loai=department").await;
    assert!(
        page.contains("Sở Tài chính") && !page.contains(">Xã Nghi Lộc</a>"),
        "{page}"
    );

    // A new unit under another, by the parent's code; then changed on its own page.
    let res = c
        .post(
            "/quan-tri/don-vi",
            &[
                ("code", "XA-NGHIXUAN"),
                ("name", "Xã Nghi Xuân"),
                ("kind", "commune"),
                ("parent_code", "XA-A"),
                ("latitude", "18,66"),
            ],
        )
        .await;
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã thêm đơn vị Xã Nghi Xuân (XA-NGHIXUAN)."),
        "{page}"
    );
    assert!(
        page.contains("value=\"XA-A\"") && page.contains("value=\"18,66\""),
        "{page}"
    );
    let res = c
        .post(
            &to,
            &[
                ("code", "XA-NGHIXUAN"),
                ("name", "Xã Nghi Xuân Mới"),
                ("kind", "ward"),
                ("parent_code", ""),
                ("version", "1"),
            ],
        )
        .await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("Đã lưu đơn vị Xã Nghi Xuân Mới"), "{page}");
    let (_, page) = c.get("/quan-tri/don-vi?q=nghi+xuan&loai=ward").await;
    assert!(page.contains("Xã Nghi Xuân Mới"), "{page}");

    // Refusals in the API's words, each field by its name.
    let res = c
        .post(&to, &[("code", "XA-A"), ("name", "X"), ("kind", "xã")])
        .await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("Đã có đơn vị khác mang mã `XA-A`"), "{page}");
    let res = c
        .post(
            &to,
            &[
                ("code", "XA-NGHIXUAN"),
                ("name", "X"),
                ("kind", "xã"),
                ("version", "1"),
            ],
        )
        .await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("người khác sửa"), "stale version: {page}");
    let res = c
        .post(
            "/quan-tri/don-vi",
            &[
                ("code", "có dấu"),
                ("name", ""),
                ("kind", "huyện"),
                ("latitude", "abc"),
            ],
        )
        .await;
    let (_, page) = c.follow(res).await;
    for said in [
        "Chưa thêm được đơn vị.",
        "Mã đơn vị: Từ 1 đến 64 ký tự",
        "Tên đơn vị: Từ 1 đến 300 ký tự.",
        "Loại: Một trong",
        "Vĩ độ: `abc` không phải là số.",
    ] {
        assert!(page.contains(said), "{said}: {page}");
    }
    let (status, _) = c.get(&format!("/quan-tri/don-vi/{}", w.team1)).await;
    assert_eq!(status, 404, "no unit has that id");
}

async fn a_csv_is_previewed_line_by_line_then_imported(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let _w = World::build(&app).await;
    let mut c = WebClient::world_user(&app, "admin1").await;

    // A bad line: every fault by its line, in Vietnamese, and nothing created.
    let bad =
        "Mã;Tên đơn vị;Loại\nXA-MOI1;Xã Mới Một;xã\nXA-MOI2;Xã Mới Hai;huyện\nXA-MOI3;;phường\n";
    let res = upload(&c, bad, "xem-truoc").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Tệp có 2 lỗi, chưa nhập đơn vị nào"),
        "{page}"
    );
    assert!(page.contains("Dòng 3 · Loại"), "{page}");
    assert!(
        page.contains("Một trong: department (sở, ban, ngành)"),
        "{page}"
    );
    assert!(page.contains("Dòng 4 · Tên đơn vị") && page.contains("Từ 1 đến 300 ký tự."));
    assert!(
        !page.contains("nhap-xac-nhan"),
        "no button to import a faulty file"
    );
    let res = upload(&c, bad, "nhap").await;
    assert_eq!(res.status(), 422, "importing at once refuses it too");
    let (_, page) = c.get("/quan-tri/don-vi?q=moi").await;
    assert!(page.contains("Không có đơn vị nào phù hợp."), "{page}");

    // A good file: what would be added and changed, still nothing written.
    let good = "code,name,kind,parent_code\nXA-MOI1,Xã Mới Một,xã,\nXA-A,Xã Nghi Lộc,xã,\n\
                XA-MOI2,Xã Mới Hai,phường,XA-MOI1\nSO-C,Sở Tài chính Nghệ An,sở,\n";
    let token = std::mem::take(&mut c.csrf);
    assert_eq!(
        upload(&c, good, "nhap").await.status(),
        403,
        "no form token"
    );
    c.csrf = token;
    let res = upload(&c, good, "xem-truoc").await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("thêm mới 2</strong>"), "{page}");
    assert!(
        page.contains("cập nhật 1</strong>") && page.contains("giữ nguyên 1"),
        "{page}"
    );
    assert!(page.contains("Nhập 3 đơn vị"), "{page}");
    assert!(
        page.contains("Thêm mới") && page.contains("Cập nhật"),
        "{page}"
    );
    let (_, list) = c.get("/quan-tri/don-vi?q=moi").await;
    assert!(
        list.contains("Không có đơn vị nào phù hợp."),
        "a preview writes nothing"
    );

    // Its button imports the very text it carries.
    let carried = unescape(between(&page, "name=\"noi-dung\" value=\"", "\""));
    assert!(carried.contains("XA-MOI2,Xã Mới Hai"), "{carried}");
    let res = c
        .post("/quan-tri/don-vi/nhap-xac-nhan", &[("noi-dung", &carried)])
        .await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã nhập tệp: thêm mới 2 đơn vị, cập nhật 1, giữ nguyên 1."),
        "{page}"
    );
    let (_, page) = c.get("/quan-tri/don-vi?q=moi+hai").await;
    assert!(
        page.contains("Xã Mới Hai") && page.contains("Xã Mới Một"),
        "parent: {page}"
    );
    let (_, page) = c.get("/quan-tri/don-vi?q=tai+chinh").await;
    assert!(page.contains("Sở Tài chính Nghệ An"), "{page}");

    // Importing at once, straight from the upload.
    let res = upload(&c, "code,name,kind\nXA-NGAY,Xã Nhập Ngay,xã\n", "nhap").await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("thêm mới 1 đơn vị"), "{page}");
    let (_, page) = c.get("/quan-tri/don-vi?q=nhap+ngay").await;
    assert!(page.contains("Xã Nhập Ngay"), "{page}");
}
