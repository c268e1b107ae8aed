//! Checklist templates: an import the API would refuse shows every fault by its pointer;
//! a valid one becomes a draft, is published, and its items read in words.

use reqwest::{Method, Response};
use serde_json::{json, Value};

use super::location;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::web::client::WebClient;
use crate::world::{test_template, World};

/// POSTs the import form as a browser sends it (multipart): a file, or the text box.
async fn import(c: &WebClient, file: Option<&str>, text: &str) -> Response {
    let b = "----kiemtra-test-7d3f";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n",
        c.csrf
    );
    if let Some(f) = file {
        body.push_str(&format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"phieu.json\"\r\n\
             Content-Type: application/json\r\n\r\n{f}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"noi_dung\"\r\n\r\n{text}\r\n--{b}--\r\n"
    ));
    c.http
        .post(c.url("/quan-tri/mau-phieu/nhap"))
        .header("Origin", c.url("").trim_end_matches('/'))
        .header("Content-Type", format!("multipart/form-data; boundary={b}"))
        .body(body)
        .send()
        .await
        .unwrap()
}

fn new_template() -> Value {
    let mut t = test_template();
    t["code"] = json!("phieu-moi");
    t["title"] = json!("Phiếu kiểm tra chuyên đề tiếp công dân");
    t
}

both_engines!(templates_are_imported_with_every_fault_shown_then_published);

async fn templates_are_imported_with_every_fault_shown_then_published(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let mut c = WebClient::world_user(&app, "admin1").await;
    let (status, page) = c.get("/quan-tri/mau-phieu").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Phiếu thử nghiệm") && page.contains("Phiên bản 1"),
        "{page}"
    );

    // Two faults: a condition on an item that does not exist, and an item id used twice.
    let mut bad = new_template();
    bad["sections"][0]["items"][2]["visible_if"]["item"] = json!("khong-co");
    bad["sections"][1]["items"][0]["id"] = json!("a");
    let api = app
        .authed(Method::POST, "/api/v1/templates", &w.admin)
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 422);
    let api: Value = api.json().await.unwrap();
    c.get("/quan-tri/mau-phieu/nhap").await;
    let res = import(&c, Some(&bad.to_string()), "").await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Chưa nhập được: 2 lỗi"), "{page}");
    for e in api["errors"].as_array().unwrap() {
        let pointer = e["pointer"].as_str().unwrap();
        assert!(
            page.contains(&format!("<code>{pointer}</code>")),
            "{pointer}: {page}"
        );
    }
    assert!(
        page.contains("/sections/0/items/2/visible_if/item"),
        "{page}"
    );
    assert!(page.contains("Điều kiện hiển thị dựa vào mục `khong-co` không tồn tại."));
    assert!(page.contains("/sections/1/items/0/id") && page.contains("Mã mục `a` đã dùng"));
    assert!(page.contains("khong-co"), "the text is kept to fix");
    let res = import(&c, None, "{\"code\": ").await;
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Nội dung không phải JSON hợp lệ (dòng 1"),
        "{page}"
    );

    // Pasted and valid: a new template, as a draft; published with a message.
    let res = import(&c, None, &new_template().to_string()).await;
    let family = location(&res);
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã nhập mẫu phiếu mới mã «phieu-moi» thành bản nháp"),
        "{page}"
    );
    assert!(
        page.contains("Bản nháp") && page.contains("phiên bản 1"),
        "{page}"
    );
    let res = c.post(&format!("{family}/ban-hanh"), &[]).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains(
            "Đã ban hành phiên bản 1 của mẫu phiếu «Phiếu kiểm tra chuyên đề tiếp công dân»"
        ),
        "{page}"
    );
    let res = c.post(&format!("{family}/ban-hanh"), &[]).await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("Chưa có bản nháp để ban hành"), "{page}");

    // Its items, in words.
    let at = page.find("/phien-ban/").unwrap();
    let link = &page[page[..at].rfind('"').unwrap() + 1..];
    let link = &link[..link.find('"').unwrap()];
    let (status, items) = c.get(link).await;
    assert_eq!(status, 200, "{link}");
    for want in [
        "Phần 1",
        "Có chương trình công tác?",
        "Có/Không",
        "Chọn một",
        "Thang đánh giá",
        "Đầy đủ (10 điểm)",
        "Chỉ hiện khi câu trả lời mục a «Có chương trình công tác?» là «Không».",
        "<span class=\"critical\">Điểm liệt</span>",
        "Thang từ 1 đến 5",
        "Cho phép «Không áp dụng»",
        "Đã ban hành",
    ] {
        assert!(items.contains(want), "{want}: {items}");
    }
    // A version is found under its own template only.
    let other = link.replace(&family, &format!("/quan-tri/mau-phieu/{}", w.template));
    assert_eq!(c.get(&other).await.0, 404);

    // The same code again is a new draft of that template, as PUT …/draft makes it.
    c.get("/quan-tri/mau-phieu/nhap").await;
    let res = import(&c, Some(&new_template().to_string()), "").await;
    assert_eq!(location(&res), family);
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã lưu bản nháp mới của mẫu phiếu mã «phieu-moi»"),
        "{page}"
    );
    assert!(page.contains("Ban hành bản nháp (phiên bản 2)"), "{page}");
}
