//! Users: a new account with its generated password shown once, locking, a password reset,
//! signing out everywhere, and the last administrator kept.

use super::{between, id_after, user_id};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::web::client::WebClient;
use crate::world::World;

both_engines!(an_admin_creates_locks_and_resets_accounts);

async fn an_admin_creates_locks_and_resets_accounts(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let mut c = WebClient::world_user(&app, "admin1").await;
    let (status, page) = c.get("/quan-tri/nguoi-dung").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("insp1") && page.contains("Thành viên đoàn"),
        "{page}"
    );

    // No password typed: the server makes one and shows it this once.
    let res = c
        .post(
            "/quan-tri/nguoi-dung",
            &[
                ("username", "  TranThiB "),
                ("full_name", "Trần Thị B"),
                ("role", "inspector"),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("Đã tạo tài khoản tranthib"), "{page}");
    let generated = between(&page, "data-password>", "<").to_owned();
    assert_eq!(generated.len(), 16, "{page}");
    let id = id_after(&page, "href=\"/quan-tri/nguoi-dung/");
    let phone = app.login("tranthib", &generated).await;
    let (_, page) = c.get(&format!("/quan-tri/nguoi-dung/{id}")).await;
    assert!(
        page.contains("Trần Thị B") && !page.contains(&generated),
        "shown once: {page}"
    );
    assert!(page.contains("Đang hoạt động"), "{page}");
    let (_, list) = c.get("/quan-tri/nguoi-dung?q=tranthib").await;
    assert!(
        list.contains("Trần Thị B") && !list.contains(&generated),
        "{list}"
    );

    // A password typed: no page of secrets, a message; a taken name is refused.
    let res = c
        .post(
            "/quan-tri/nguoi-dung",
            &[
                ("username", "leminhc"),
                ("full_name", "Lê Minh C"),
                ("role", "lead"),
                ("password", "mat-khau-rieng-1"),
            ],
        )
        .await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã tạo tài khoản leminhc (Lê Minh C)."),
        "{page}"
    );
    assert!(page.contains("<option value=\"lead\" selected>"), "{page}");
    let res = c
        .post(
            "/quan-tri/nguoi-dung",
            &[
                ("username", "leminhc"),
                ("full_name", "X"),
                ("role", "viewer"),
            ],
        )
        .await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Tên đăng nhập này đã được sử dụng."),
        "{page}"
    );
    let res = c
        .post(
            "/quan-tri/nguoi-dung",
            &[
                ("username", "ab"),
                ("full_name", "X"),
                ("role", "chief"),
                ("password", "ngan"),
            ],
        )
        .await;
    let (_, page) = c.follow(res).await;
    for said in [
        "Tên đăng nhập: Từ 3 đến 64 ký tự",
        "Vai trò: Một trong các vai trò",
        "Mật khẩu: Mật khẩu từ 8 đến 256 ký tự.",
    ] {
        assert!(page.contains(said), "{said}: {page}");
    }

    // Name and role; then locked: the phone's session and a new API login both fail.
    let user_page = format!("/quan-tri/nguoi-dung/{id}");
    let res = c
        .post(
            &user_page,
            &[
                ("full_name", "Trần Thị Bích"),
                ("role", "lead"),
                ("version", "1"),
            ],
        )
        .await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("Đã lưu tài khoản tranthib."), "{page}");
    assert!(
        page.contains("Trần Thị Bích") && page.contains("Trưởng đoàn"),
        "{page}"
    );
    let res = c.post(&user_page, &[("khoa", "1"), ("version", "2")]).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã khóa tài khoản tranthib; mọi thiết bị"),
        "{page}"
    );
    assert!(
        page.contains("Đã khóa") && page.contains("Mở khóa tài khoản"),
        "{page}"
    );
    assert_eq!(
        app.login_body("tranthib", &generated, None).await.status(),
        403
    );
    let res = app
        .req(reqwest::Method::POST, "/api/v1/auth/refresh")
        .json(&serde_json::json!({"refresh_token": phone["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(res.status().as_u16(), 401 | 403),
        "{}",
        res.status()
    );
    let res = c.post(&user_page, &[("khoa", "0")]).await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("Đã mở khóa tài khoản tranthib."), "{page}");

    // A reset: a new password, shown once; the old one stops working.
    app.login("tranthib", &generated).await;
    let res = c.post(&format!("{user_page}/mat-khau"), &[]).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("Đã đặt lại mật khẩu cho tranthib"), "{page}");
    let fresh = between(&page, "data-password>", "<").to_owned();
    assert_ne!(fresh, generated);
    assert_eq!(
        app.login_body("tranthib", &generated, None).await.status(),
        401
    );
    app.login("tranthib", &fresh).await;
    let (_, page) = c.get(&user_page).await;
    assert!(!page.contains(&fresh), "shown once");

    // Signed out of every device (the one signed in with the new password).
    let res = c.post(&format!("{user_page}/dang-xuat"), &[]).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã đăng xuất tranthib khỏi 1 thiết bị."),
        "{page}"
    );
    assert!(page.contains("không đăng nhập trên thiết bị nào"), "{page}");

    // The last active administrator cannot be locked, nor demoted.
    let admin = user_id(&app, &w, "admin1").await;
    let res = c
        .post(&format!("/quan-tri/nguoi-dung/{admin}"), &[("khoa", "1")])
        .await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("không còn quản trị viên nào đang hoạt động"),
        "{page}"
    );
    let res = c
        .post(
            &format!("/quan-tri/nguoi-dung/{admin}"),
            &[("full_name", "Quản trị"), ("role", "viewer")],
        )
        .await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("không còn quản trị viên nào"), "{page}");
    assert!(
        page.contains("<option value=\"admin\" selected>"),
        "still an administrator: {page}"
    );
}
