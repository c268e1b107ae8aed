//! Signing in and out of the web app: the cookie, its expiry, the form token, the origin
//! check, and a password change that ends every other device.

use diesel::prelude::*;
use kiemtra::db::schema::devices;
use reqwest::StatusCode;

use super::client::WebClient;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

both_engines!(a_session_is_a_revocable_device_and_forms_need_its_token);

async fn a_session_is_a_revocable_device_and_forms_need_its_token(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;

    // Not signed in: to the sign-in page, and back afterwards.
    let anon = WebClient::new(&app);
    let res = anon.http.get(anon.url("/dot")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/dang-nhap?tiep=%2Fdot");

    // A wrong password is said in Vietnamese, with the problem's own words.
    let res = anon
        .post_raw(
            "/dang-nhap",
            &[("username", "lead1"), ("password", "sai-mat-khau")],
        )
        .await;
    assert_eq!(res.status(), 401);
    let body = res.text().await.unwrap();
    assert!(body.contains("data-error"), "{body}");
    assert!(body.contains("Sai tên đăng nhập hoặc mật khẩu"), "{body}");

    // Signed in: the cookie is HttpOnly and SameSite=Strict, and never sent to another site.
    let c = WebClient::new(&app);
    let res = c
        .post_raw(
            "/dang-nhap",
            &[
                ("username", "lead1"),
                ("password", "pw-lead1-123"),
                ("tiep", "/dot"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/dot");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let mut c = c;
    let (status, page) = c.get("/dot").await;
    assert_eq!(status, 200);
    assert!(page.contains("Kiểm tra năm 2026"), "{page}");
    assert!(!c.csrf.is_empty());

    // A form without the token, or from another origin, changes nothing.
    let res = c.post_raw("/dang-xuat", &[]).await;
    assert_eq!(res.status(), 403);
    let res = c
        .http
        .post(c.url("/dang-xuat"))
        .header("Origin", "https://evil.example")
        .form(&[("_csrf", c.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(c.get("/dot").await.0, 200, "still signed in");

    // An idle session expires: to the sign-in page, saying so.
    app.db
        .write(|conn| {
            diesel::update(devices::table)
                .set(devices::last_seen_at.eq(kiemtra::db::now() - chrono::Duration::days(1)))
                .execute(conn)
                .map_err(kiemtra::error::ApiError::from)
        })
        .await
        .unwrap();
    let res = c.http.get(c.url("/dot")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.contains("het-han=1"), "{to}");
    let (_, page) = c.get(&to).await;
    assert!(page.contains("Phiên làm việc đã hết hạn"), "{page}");

    // Signing out revokes the device: the old cookie opens nothing afterwards.
    let mut c = WebClient::world_user(&app, "lead1").await;
    let stolen = c.http.clone();
    let res = c.post("/dang-xuat", &[]).await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("Bạn đã đăng xuất"), "{page}");
    let res = stolen.get(c.url("/dot")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // A disabled account's session ends at once.
    let mut v = WebClient::world_user(&app, "viewer1").await;
    assert_eq!(v.get("/dot").await.0, 200);
    let viewer_id: String = app
        .db
        .read(|conn| {
            kiemtra::db::schema::users::table
                .filter(kiemtra::db::schema::users::username.eq("viewer1"))
                .select(kiemtra::db::schema::users::id)
                .first::<String>(conn)
                .map_err(kiemtra::error::ApiError::from)
        })
        .await
        .unwrap();
    let res = app
        .authed(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{viewer_id}"),
            &w.admin,
        )
        .json(&serde_json::json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = v.http.get(v.url("/dot")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

both_engines!(changing_the_password_signs_other_devices_out);

async fn changing_the_password_signs_other_devices_out(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let _w = World::build(&app).await;
    let phone = app.login("lead1", "pw-lead1-123").await;
    let mut c = WebClient::world_user(&app, "lead1").await;
    c.get("/mat-khau").await;

    let res = c
        .post(
            "/mat-khau",
            &[
                ("current", "khong-dung"),
                ("new", "mat-khau-moi-1"),
                ("confirm", "mat-khau-moi-1"),
            ],
        )
        .await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("Mật khẩu hiện tại không đúng"), "{page}");
    let res = c
        .post(
            "/mat-khau",
            &[
                ("current", "pw-lead1-123"),
                ("new", "ngan"),
                ("confirm", "ngan"),
            ],
        )
        .await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("Mật khẩu từ 8 đến 256 ký tự"), "{page}");

    let res = c
        .post(
            "/mat-khau",
            &[
                ("current", "pw-lead1-123"),
                ("new", "mat-khau-moi-1"),
                ("confirm", "mat-khau-moi-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let (status, page) = c.get(&to).await;
    assert_eq!(status, 303, "/ sends a lead on to the rounds");
    let _ = page;
    let (status, page) = c.get("/dot").await;
    assert_eq!(status, 200);
    assert!(page.contains("Đã đổi mật khẩu"), "{page}");

    // The phone's refresh token no longer works; the new password does.
    let res = app
        .req(reqwest::Method::POST, "/api/v1/auth/refresh")
        .json(&serde_json::json!({"refresh_token": phone["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    app.login("lead1", "mat-khau-moi-1").await;
}
