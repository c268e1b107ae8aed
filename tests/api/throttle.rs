//! The failed-login throttle: an attacker is slowed and refused, the real user gets in.
//!
//! The server trusts 127.0.0.1 as its reverse proxy, so each request says where it comes
//! from in `X-Forwarded-For`, as a proxy would.

use std::time::Duration;

use kiemtra::auth::Role;
use kiemtra::config::{LoginThrottle, Settings, TrustedProxies};
use reqwest::{Method, Response};
use serde_json::json;

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};

both_engines!(
    attacker_is_slowed_and_the_user_still_gets_in,
    untrusted_forwarded_for_is_ignored,
    forged_hops_left_of_the_proxy_do_not_escape,
    one_address_trying_many_usernames_backs_off,
    a_parallel_burst_is_counted_before_passwords_are_checked,
);

const ATTACKER: &str = "203.0.113.7";

fn policy() -> LoginThrottle {
    LoginThrottle {
        free_attempts: 3,
        delay_step_ms: 1_000,
        max_delay_ms: 200,
        lock_after: 6,
        lock_secs: 600,
        window_secs: 600,
    }
}

fn behind_proxy(s: &mut Settings) {
    s.trusted_proxies = TrustedProxies::parse(&["127.0.0.1"]).unwrap();
    s.login = policy();
}

/// For tests that never wait a back-off out: a long one, so no slow run can outlast it.
fn behind_proxy_slow(s: &mut Settings) {
    behind_proxy(s);
    s.login.delay_step_ms = 60_000;
}

async fn login_from(app: &TestApp, username: &str, password: &str, xff: Option<&str>) -> Response {
    let mut req = app
        .req(Method::POST, "/api/v1/auth/login")
        .header("Accept-Language", "vi-VN,vi;q=0.9")
        .json(&json!({"username": username, "password": password}));
    if let Some(xff) = xff {
        req = req.header("X-Forwarded-For", xff);
    }
    req.send().await.unwrap()
}

/// Asserts a throttled answer; returns its `Retry-After`, in seconds.
async fn assert_throttled(res: Response) -> u64 {
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body = assert_problem(res, 429, "too_many_attempts").await;
    assert_eq!(body["retry_after"], retry);
    let detail = body["detail"].as_str().unwrap();
    // Nobody's account is locked, and the message must not say so.
    assert!(
        !detail.contains("khóa") && !detail.contains("Tài khoản"),
        "{detail}"
    );
    assert!(detail.contains(&format!("{retry} giây")), "{detail}");
    retry
}

async fn fail(app: &TestApp, username: &str, xff: &str) {
    let res = login_from(app, username, "wrong-password", Some(xff)).await;
    assert_problem(res, 401, "invalid_credentials").await;
}

async fn attacker_is_slowed_and_the_user_still_gets_in(engine: Engine) {
    let Some(app) = TestApp::spawn_with(engine, behind_proxy).await else {
        return;
    };
    // Even the administrator: strangers could lock them out before.
    let (_, pw) = app.user("lan.tran", Role::Admin).await;
    for _ in 0..3 {
        fail(&app, "lan.tran", ATTACKER).await;
    }
    // The fourth try must wait for the back-off, whatever the password.
    let res = login_from(&app, "lan.tran", "wrong-password", Some(ATTACKER)).await;
    assert_eq!(assert_throttled(res).await, 1);
    let res = login_from(&app, "lan.tran", &pw, Some(ATTACKER)).await;
    let wait = assert_throttled(res).await;
    // The real user, on their own phone, signs in at once.
    assert_eq!(
        login_from(&app, "lan.tran", &pw, Some("198.51.100.20"))
            .await
            .status(),
        200
    );

    // Each further failure doubles the back-off.
    tokio::time::sleep(Duration::from_secs(wait)).await;
    fail(&app, "lan.tran", ATTACKER).await;
    let res = login_from(&app, "lan.tran", "wrong-password", Some(ATTACKER)).await;
    assert_eq!(assert_throttled(res).await, 2);

    // Attackers at many addresses put the username under attack: it is never refused to an
    // address with a clean record.
    for i in 0..6 {
        fail(&app, "lan.tran", &format!("203.0.113.{}", 100 + i)).await;
    }
    assert_eq!(
        login_from(&app, "lan.tran", &pw, Some("198.51.100.21"))
            .await
            .status(),
        200
    );

    // At the attacker's address, the right password gets in once the back-off has passed.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        login_from(&app, "lan.tran", &pw, Some(ATTACKER))
            .await
            .status(),
        200
    );
}

async fn untrusted_forwarded_for_is_ignored(engine: Engine) {
    // No trusted proxy: the socket's address counts, whatever the header claims.
    let Some(app) = TestApp::spawn_with(engine, |s| {
        s.login = policy();
        s.login.delay_step_ms = 60_000;
    })
    .await
    else {
        return;
    };
    let (_, pw) = app.user("minh.le", Role::Inspector).await;
    for i in 0..3 {
        fail(&app, "minh.le", &format!("198.51.100.{i}")).await;
    }
    let res = login_from(&app, "minh.le", &pw, Some("198.51.100.99")).await;
    assert_throttled(res).await;
    let res = login_from(&app, "minh.le", &pw, None).await;
    assert_throttled(res).await;
}

async fn forged_hops_left_of_the_proxy_do_not_escape(engine: Engine) {
    let Some(app) = TestApp::spawn_with(engine, behind_proxy_slow).await else {
        return;
    };
    let (_, pw) = app.user("minh.le", Role::Inspector).await;
    // The client writes the left part; the proxy appends the address it saw.
    for i in 0..3 {
        fail(&app, "minh.le", &format!("10.9.9.{i}, {ATTACKER}")).await;
    }
    let res = login_from(&app, "minh.le", &pw, Some(&format!("1.1.1.1, {ATTACKER}"))).await;
    assert_throttled(res).await;
    // Two headers are one list: the last hop still counts.
    let res = app
        .req(Method::POST, "/api/v1/auth/login")
        .header("Accept-Language", "vi")
        .header("X-Forwarded-For", "1.1.1.2")
        .header("X-Forwarded-For", ATTACKER)
        .json(&json!({"username": "minh.le", "password": pw}))
        .send()
        .await
        .unwrap();
    assert_throttled(res).await;
    let res = login_from(
        &app,
        "minh.le",
        &pw,
        Some(&format!("{ATTACKER}, 198.51.100.5")),
    )
    .await;
    assert_eq!(
        res.status(),
        200,
        "the user's own address, as the proxy saw it"
    );
}

async fn one_address_trying_many_usernames_backs_off(engine: Engine) {
    let Some(app) = TestApp::spawn_with(engine, behind_proxy_slow).await else {
        return;
    };
    let (_, pw) = app.user("hoa.pham", Role::Lead).await;
    // Password spraying: one failure per username, six usernames, one address.
    for i in 0..6 {
        fail(&app, &format!("nguoi.dung{i}"), "203.0.113.9").await;
    }
    let res = login_from(&app, "hoa.pham", &pw, Some("203.0.113.9")).await;
    assert_throttled(res).await;
    assert_eq!(
        login_from(&app, "hoa.pham", &pw, Some("198.51.100.30"))
            .await
            .status(),
        200
    );
}

async fn a_parallel_burst_is_counted_before_passwords_are_checked(engine: Engine) {
    let Some(app) = TestApp::spawn_with(engine, behind_proxy_slow).await else {
        return;
    };
    app.user("lan.tran", Role::Inspector).await;
    let burst = (0..12).map(|_| login_from(&app, "lan.tran", "wrong-password", Some(ATTACKER)));
    let statuses: Vec<u16> = futures_util::future::join_all(burst)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (3, 9), "{statuses:?}");

    // A day later the sweep forgets every row, and the address starts afresh.
    let swept = app
        .db
        .write(|c| {
            let later = kiemtra::db::now() + chrono::TimeDelta::days(1);
            kiemtra::auth::attempts::sweep(c, later, later).map_err(kiemtra::db::DbError::from)
        })
        .await
        .unwrap();
    assert_eq!(swept, 3, "the pair, the address and the username");
    fail(&app, "lan.tran", ATTACKER).await;
}
