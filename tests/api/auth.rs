//! Every authentication path, including each way of being refused.

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use kiemtra::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp, JWT_SECRET};

both_engines!(
    login_me_refresh_logout,
    wrong_password_and_unknown_user_look_the_same,
    disabled_user_is_refused_everywhere,
    refresh_reuse_revokes_the_family,
    forged_and_expired_tokens_are_refused,
    missing_or_malformed_authorization,
    admin_can_revoke_devices,
    relogin_on_same_device_starts_new_family,
    concurrent_refresh_only_one_wins,
    role_change_takes_effect_at_once,
);

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.req(Method::POST, "/api/v1/auth/refresh")
        .json(&json!({"refresh_token": token}))
        .send()
        .await
        .unwrap()
}

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.authed(Method::GET, "/api/v1/me", token)
        .send()
        .await
        .unwrap()
}

async fn login_me_refresh_logout(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (id, pw) = app.user("lan.tran", Role::Inspector).await;
    let res = app
        .req(Method::POST, "/api/v1/auth/login")
        .json(&json!({"username": " Lan.Tran ", "password": pw, "device_id": "phone-1", "device_name": "Samsung A15"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let t: Value = res.json().await.unwrap();
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["expires_in"], 900);
    assert_eq!(t["refresh_expires_in"], 30 * 24 * 3600);
    assert_eq!(t["device_id"], "phone-1");
    assert_eq!(t["user"]["id"], id);
    assert_eq!(t["user"]["role"], "inspector");
    assert!(t["user"].get("password_hash").is_none());

    let access = t["access_token"].as_str().unwrap();
    let m: Value = me(&app, access).await.json().await.unwrap();
    assert_eq!(m["user"]["username"], "lan.tran");
    assert_eq!(m["device"]["device_id"], "phone-1");
    assert_eq!(m["device"]["name"], "Samsung A15");

    let r = refresh(&app, t["refresh_token"].as_str().unwrap()).await;
    assert_eq!(r.status(), 200);
    let t2: Value = r.json().await.unwrap();
    assert_ne!(t2["refresh_token"], t["refresh_token"], "rotated");
    assert_eq!(t2["device_id"], "phone-1");
    assert_eq!(
        me(&app, t2["access_token"].as_str().unwrap())
            .await
            .status(),
        200
    );

    let out = app
        .req(Method::POST, "/api/v1/auth/logout")
        .json(&json!({"refresh_token": t2["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_problem(
        refresh(&app, t2["refresh_token"].as_str().unwrap()).await,
        401,
        "refresh_token_invalid",
    )
    .await;
    assert_problem(
        me(&app, t2["access_token"].as_str().unwrap()).await,
        401,
        "invalid_token",
    )
    .await;
    // Logging out twice, or with nonsense, is still 204.
    let again = app
        .req(Method::POST, "/api/v1/auth/logout")
        .json(&json!({"refresh_token": "nonsense"}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 204);
}

async fn wrong_password_and_unknown_user_look_the_same(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    app.user("hoa.pham", Role::Inspector).await;
    let a = assert_problem(
        app.login_body("hoa.pham", "wrong-password", None).await,
        401,
        "invalid_credentials",
    )
    .await;
    let b = assert_problem(
        app.login_body("no.such.user", "wrong-password", None).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(a["detail"], b["detail"]);
    assert_eq!(a["title"], b["title"]);
}

async fn disabled_user_is_refused_everywhere(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let (id, pw) = app.user("nam.hoang", Role::Inspector).await;
    let t = app.login("nam.hoang", &pw).await;
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/users/{id}"), &admin)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_problem(
        app.login_body("nam.hoang", &pw, None).await,
        403,
        "account_disabled",
    )
    .await;
    // Disabling revoked the sessions; the old access token no longer works.
    assert_problem(
        me(&app, t["access_token"].as_str().unwrap()).await,
        401,
        "invalid_token",
    )
    .await;
    assert_problem(
        refresh(&app, t["refresh_token"].as_str().unwrap()).await,
        401,
        "refresh_token_invalid",
    )
    .await;
    // A wrong password for a disabled account says only "wrong password".
    assert_problem(
        app.login_body("nam.hoang", "wrong-password", None).await,
        401,
        "invalid_credentials",
    )
    .await;
}

async fn refresh_reuse_revokes_the_family(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, pw) = app.user("minh.le", Role::Inspector).await;
    let t1 = app.login("minh.le", &pw).await;
    let r1 = t1["refresh_token"].as_str().unwrap();
    let t2: Value = refresh(&app, r1).await.json().await.unwrap();
    // A thief replays the first token: the whole family dies, the legitimate one too.
    let body = assert_problem(refresh(&app, r1).await, 401, "refresh_token_reused").await;
    assert!(body["detail"].as_str().unwrap().contains("log in again"));
    assert_problem(
        refresh(&app, t2["refresh_token"].as_str().unwrap()).await,
        401,
        "refresh_token_invalid",
    )
    .await;
    assert_problem(
        me(&app, t2["access_token"].as_str().unwrap()).await,
        401,
        "invalid_token",
    )
    .await;
    // Logging in again works.
    app.login("minh.le", &pw).await;
}

fn token(alg: Algorithm, secret: &[u8], claims: Value) -> String {
    encode(
        &Header::new(alg),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

async fn forged_and_expired_tokens_are_refused(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (id, pw) = app.user("ha.vu", Role::Admin).await;
    let good = app.login("ha.vu", &pw).await;
    let claims: Value = {
        use base64::Engine as _;
        let payload = good["access_token"]
            .as_str()
            .unwrap()
            .split('.')
            .nth(1)
            .unwrap();
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(claims["sub"], id);
    let now = chrono::Utc::now().timestamp();

    let mut expired = claims.clone();
    expired["iat"] = json!(now - 3600);
    expired["exp"] = json!(now - 1800);
    let t = token(Algorithm::HS256, JWT_SECRET.as_bytes(), expired);
    let res = me(&app, &t).await;
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    assert_problem(res, 401, "token_expired").await;

    use base64::Engine as _;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims)
    );
    assert_problem(me(&app, &none).await, 401, "invalid_token").await;

    let hs512 = token(Algorithm::HS512, JWT_SECRET.as_bytes(), claims.clone());
    assert_problem(me(&app, &hs512).await, 401, "invalid_token").await;

    let other_key = token(
        Algorithm::HS256,
        b"some-other-secret-some-other-secret!",
        claims.clone(),
    );
    assert_problem(me(&app, &other_key).await, 401, "invalid_token").await;

    let mut elevated = claims.clone();
    elevated["sub"] = json!(uuid::Uuid::new_v4().to_string());
    let tampered = {
        let parts: Vec<&str> = good["access_token"].as_str().unwrap().split('.').collect();
        format!("{}.{}.{}", parts[0], b64(&elevated), parts[2])
    };
    assert_problem(me(&app, &tampered).await, 401, "invalid_token").await;
    assert_problem(me(&app, "not-a-jwt").await, 401, "invalid_token").await;
}

async fn missing_or_malformed_authorization(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let res = app.req(Method::GET, "/api/v1/me").send().await.unwrap();
    assert_problem(res, 401, "unauthenticated").await;
    let res = app
        .req(Method::GET, "/api/v1/me")
        .header("Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l")
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "invalid_token").await;
    let res = app
        .req(Method::GET, "/api/v1/me")
        .header("Authorization", "Bearer ")
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "invalid_token").await;
}

async fn admin_can_revoke_devices(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let (id, pw) = app.user("tuan.bui", Role::Inspector).await;
    let phone = app
        .login_body("tuan.bui", &pw, Some("phone"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let tablet = app
        .login_body("tuan.bui", &pw, Some("tablet"))
        .await
        .json::<Value>()
        .await
        .unwrap();

    let devices: Value = app
        .get_json(&format!("/api/v1/users/{id}/devices"), &admin)
        .await;
    assert_eq!(devices.as_array().unwrap().len(), 2);
    let phone_id = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["device_id"] == "phone")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let res = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/users/{id}/devices/{phone_id}"),
            &admin,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_problem(
        me(&app, phone["access_token"].as_str().unwrap()).await,
        401,
        "invalid_token",
    )
    .await;
    assert_eq!(
        me(&app, tablet["access_token"].as_str().unwrap())
            .await
            .status(),
        200
    );

    let res = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/users/{id}/devices"),
            &admin,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["revoked"], 1);
    assert_problem(
        me(&app, tablet["access_token"].as_str().unwrap()).await,
        401,
        "invalid_token",
    )
    .await;
    assert_problem(
        refresh(&app, tablet["refresh_token"].as_str().unwrap()).await,
        401,
        "refresh_token_invalid",
    )
    .await;

    // Another user's device id is not found under this user.
    let (other, _) = app.user("someone.else", Role::Inspector).await;
    let res = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/users/{other}/devices/{phone_id}"),
            &admin,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}

async fn relogin_on_same_device_starts_new_family(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, pw) = app.user("cuong.dinh", Role::Inspector).await;
    let first = app
        .login_body("cuong.dinh", &pw, Some("phone"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let second = app
        .login_body("cuong.dinh", &pw, Some("phone"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_problem(
        refresh(&app, first["refresh_token"].as_str().unwrap()).await,
        401,
        "refresh_token_invalid",
    )
    .await;
    assert_eq!(
        refresh(&app, second["refresh_token"].as_str().unwrap())
            .await
            .status(),
        200
    );
}

async fn concurrent_refresh_only_one_wins(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, pw) = app.user("dung.ly", Role::Inspector).await;
    let t = app.login("dung.ly", &pw).await;
    let r = t["refresh_token"].as_str().unwrap();
    let results = futures_util::future::join_all((0..6).map(|_| refresh(&app, r))).await;
    let ok = results.iter().filter(|r| r.status() == 200).count();
    assert_eq!(ok, 1, "{ok} refreshes succeeded with one token");
}

async fn role_change_takes_effect_at_once(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let (id, insp) = app.token_for("giang.mai", Role::Inspector).await;
    assert_problem(
        app.authed(Method::GET, "/api/v1/users", &insp)
            .send()
            .await
            .unwrap(),
        403,
        "forbidden",
    )
    .await;
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/users/{id}"), &admin)
        .json(&json!({"role": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.authed(Method::GET, "/api/v1/users", &insp)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
