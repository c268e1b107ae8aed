//! Reminders by e-mail over SMTP (issue 18, part 1), against a real SMTP server started in
//! the test (`sink.rs`): the address in the user API, one mail per notification to those who
//! have an address, a relay that is down tried again until it is back, and two senders on one
//! database sending each mail once.

mod sink;

use std::time::Duration;

use diesel::prelude::*;
use kiemtra::config::{Secret, Settings, SmtpSettings};
use kiemtra::db::schema::notifications;
use kiemtra::notifications::outbox;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::reports::ok;
use crate::world::World;
use sink::Sink;

const PUBLIC: &str = "https://kiemtra.example.vn";

both_engines!(
    the_user_api_keeps_an_optional_checked_address,
    the_admin_forms_set_and_clear_the_address,
    reminders_are_emailed_once_to_those_with_an_address,
    a_relay_that_is_down_is_tried_again_later,
    two_senders_on_one_database_send_each_mail_once,
);

/// SMTP on `port`, looked at every second, retried after one second.
fn smtp_on(port: u16) -> impl FnOnce(&mut Settings) {
    move |s| {
        s.smtp = SmtpSettings {
            url: Some(Secret::new(format!("smtp://127.0.0.1:{port}"))),
            from: Some("Kiểm tra dân vận <kiemtra@example.vn>".into()),
            public_url: Some(format!("{PUBLIC}/")),
            timeout_secs: 5,
            poll_secs: 1,
            retry_base_secs: 1,
            retry_max_secs: 2,
            ..SmtpSettings::default()
        }
    }
}

async fn my_id(app: &TestApp, token: &str) -> String {
    let me: Value = app.get_json("/api/v1/me", token).await;
    me["user"]["id"].as_str().unwrap().to_owned()
}

async fn set_email(app: &TestApp, admin: &str, user: &str, email: Value) -> reqwest::Response {
    app.authed(Method::PATCH, &format!("/api/v1/users/{user}"), admin)
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap()
}

async fn remind_all(app: &TestApp, w: &World) -> i64 {
    let path = format!("/api/v1/rounds/{}/reminders", w.round);
    ok(app
        .authed(Method::POST, &path, &w.admin)
        .send()
        .await
        .unwrap())
    .await["created"]
        .as_i64()
        .unwrap()
}

/// (emailed, attempts, error, next try) of every notification of `user`.
type Outbox = Vec<(bool, i32, Option<String>, bool)>;

async fn outbox_of(app: &TestApp, user: &str) -> Outbox {
    let user = user.to_owned();
    app.db
        .read(move |c| {
            notifications::table
                .filter(notifications::user_id.eq(user))
                .order(notifications::created_at.asc())
                .select((
                    notifications::emailed_at,
                    notifications::email_attempts,
                    notifications::email_error,
                    notifications::email_next_at,
                ))
                .load::<(
                    Option<chrono::NaiveDateTime>,
                    i32,
                    Option<String>,
                    Option<chrono::NaiveDateTime>,
                )>(c)
                .map(|rows| {
                    rows.into_iter()
                        .map(|(sent, n, e, next)| (sent.is_some(), n, e, next.is_some()))
                        .collect()
                })
                .map_err(kiemtra::db::DbError::from)
        })
        .await
        .unwrap()
}

async fn the_user_api_keeps_an_optional_checked_address(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", kiemtra::auth::Role::Admin).await;
    let post = |body: Value| {
        app.authed(Method::POST, "/api/v1/users", &admin)
            .json(&body)
            .send()
    };
    let res = post(json!({"username": "bad.mail", "full_name": "A", "role": "inspector", "email": "không-phải-thư"})).await.unwrap();
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["pointer"], "/email", "{p}");
    assert_eq!(p["errors"][0]["code"], "invalid_email", "{p}");
    let made = ok(post(json!({"username": "co.thu", "full_name": "Có Thư", "role": "inspector", "email": " co.thu@nghean.gov.vn "})).await.unwrap()).await;
    assert_eq!(made["user"]["email"], "co.thu@nghean.gov.vn");
    let id = made["user"]["id"].as_str().unwrap().to_owned();
    // Not unique: a second account may share the mailbox.
    let twin = ok(post(json!({"username": "co.thu2", "full_name": "Có Thư", "role": "viewer", "email": "co.thu@nghean.gov.vn"})).await.unwrap()).await;
    assert_eq!(twin["user"]["email"], "co.thu@nghean.gov.vn");
    let none = ok(post(
        json!({"username": "khong.thu", "full_name": "Không Thư", "role": "viewer"}),
    )
    .await
    .unwrap())
    .await;
    assert_eq!(none["user"]["email"], Value::Null);

    assert_problem(
        set_email(&app, &admin, &id, json!("a@b@c")).await,
        422,
        "validation_failed",
    )
    .await;
    let got: Value = app.get_json(&format!("/api/v1/users/{id}"), &admin).await;
    assert_eq!(
        got["email"], "co.thu@nghean.gov.vn",
        "a refused change keeps it"
    );
    // Absent keeps it; null or blank clears it.
    let kept = ok(app
        .authed(Method::PATCH, &format!("/api/v1/users/{id}"), &admin)
        .json(&json!({"full_name": "Có Thư Mới"}))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(kept["email"], "co.thu@nghean.gov.vn");
    assert_eq!(
        ok(set_email(&app, &admin, &id, Value::Null).await).await["email"],
        Value::Null
    );
    let again = ok(set_email(&app, &admin, &id, json!("moi@nghean.gov.vn")).await).await;
    assert_eq!(again["email"], "moi@nghean.gov.vn");
    assert_eq!(
        ok(set_email(&app, &admin, &id, json!("  ")).await).await["email"],
        Value::Null
    );
}

async fn reminders_are_emailed_once_to_those_with_an_address(engine: Engine) {
    let relay = Sink::start().await;
    let Some(app) = TestApp::spawn_with(engine, smtp_on(relay.port)).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp1 = my_id(&app, &w.insp1).await;
    let insp2 = my_id(&app, &w.insp2).await;
    ok(set_email(&app, &w.admin, &insp1, json!("insp1@nghean.gov.vn")).await).await;
    // Nobody has begun: A's inspector (insp1) hears of A, insp2 of B and C.
    assert_eq!(remind_all(&app, &w).await, 3);

    let mails = relay.wait_for(1, 30).await;
    // Long enough for a few more looks at the outbox: nothing comes twice.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let mails_after = relay.mails();
    assert_eq!(mails_after.len(), 1, "one mail, once: {mails_after:#?}");
    let m = &mails[0];
    assert_eq!(m.to, ["insp1@nghean.gov.vn"]);
    assert_eq!(m.from, "kiemtra@example.vn");

    let mine: Value = app.get_json("/api/v1/notifications", &w.insp1).await;
    let n = &mine["items"][0];
    let subject = sink::header(&m.data, "Subject").unwrap();
    assert!(
        subject.to_ascii_lowercase().starts_with("=?utf-8?b?"),
        "RFC 2047: {subject}"
    );
    assert_eq!(sink::decode_words(&subject), n["title"].as_str().unwrap());
    assert!(
        n["title"]
            .as_str()
            .unwrap()
            .starts_with("Đôn đốc: Xã Nghi Lộc"),
        "{n}"
    );
    let to = sink::decode_words(&sink::header(&m.data, "To").unwrap());
    assert_eq!(to, "Người dùng insp1 <insp1@nghean.gov.vn>");
    let id = n["id"].as_str().unwrap();
    assert!(sink::header(&m.data, "Message-ID").unwrap().contains(id));
    let body = sink::body(&m.data);
    assert!(body.starts_with("Kính gửi Người dùng insp1,"), "{body}");
    assert!(body.contains(n["body"].as_str().unwrap()), "{body}");
    assert!(
        body.contains(&format!("Xem chi tiết: {PUBLIC}/thong-bao\n")),
        "{body}"
    );

    assert!(n["emailed_at"].is_string(), "{n}");
    assert_eq!(outbox_of(&app, &insp1).await, vec![(true, 1, None, false)]);
    // insp2 has no address: theirs stay in the table, untried.
    let theirs = outbox_of(&app, &insp2).await;
    assert_eq!(theirs.len(), 2);
    assert!(
        theirs.iter().all(|r| !r.0 && r.1 == 0 && r.2.is_none()),
        "{theirs:?}"
    );
}

async fn a_relay_that_is_down_is_tried_again_later(engine: Engine) {
    let port = sink::free_port();
    let Some(app) = TestApp::spawn_with(engine, smtp_on(port)).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp1 = my_id(&app, &w.insp1).await;
    ok(set_email(&app, &w.admin, &insp1, json!("insp1@nghean.gov.vn")).await).await;
    assert_eq!(remind_all(&app, &w).await, 3);

    // Nothing listens: each try fails, is recorded, and is put off, not given up.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let failed = loop {
        let rows = outbox_of(&app, &insp1).await;
        if rows[0].1 >= 2 {
            break rows;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no failed try: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let (sent, _, error, next) = &failed[0];
    assert!(!sent && *next, "{failed:?}");
    assert!(
        error.as_deref().is_some_and(|e| !e.is_empty()),
        "{failed:?}"
    );

    // The relay comes back on the same port: the mail arrives, once, and the row says so.
    let relay = Sink::start_on(port).await;
    let mails = relay.wait_for(1, 30).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(relay.mails().len(), 1);
    assert_eq!(mails[0].to, ["insp1@nghean.gov.vn"]);
    let rows = outbox_of(&app, &insp1).await;
    let (sent, attempts, error, next) = &rows[0];
    assert!(*sent && error.is_none() && !next, "{rows:?}");
    assert!(*attempts >= 3, "two failures and the success: {rows:?}");
}

async fn two_senders_on_one_database_send_each_mail_once(engine: Engine) {
    let relay = Sink::start().await;
    let Some(app) = TestApp::spawn_with(engine, smtp_on(relay.port)).await else {
        return;
    };
    let w = World::build(&app).await;
    let insp1 = my_id(&app, &w.insp1).await;
    ok(set_email(&app, &w.admin, &insp1, json!("insp1@nghean.gov.vn")).await).await;
    // A second process: its own pool on the same database, its own sender.
    let other = kiemtra::startup::open_database(&app.settings)
        .await
        .unwrap();
    outbox::start(&app.settings.smtp, other.clone());

    const N: usize = 30;
    let user = insp1.clone();
    app.db
        .write(move |c| {
            for i in 0..N {
                kiemtra::notifications::notify(
                    c,
                    &kiemtra::notifications::NewNotification {
                        user_id: user.clone(),
                        kind: "test".into(),
                        title: format!("Thông báo số {i}"),
                        body: "Nội dung".into(),
                        link: "/thong-bao".into(),
                        round_id: None,
                        unit_id: None,
                        dedupe_key: format!("test:{i}"),
                    },
                )?;
            }
            Ok::<_, kiemtra::db::DbError>(())
        })
        .await
        .unwrap();
    // And two more passes racing by hand, besides the two running senders.
    let mailer = outbox::Mailer::new(&app.settings.smtp).unwrap().unwrap();
    let (a, b) = tokio::join!(
        outbox::run_once(&mailer, &app.db, 1000),
        outbox::run_once(&mailer, &other, 1000)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.failed + b.failed, 0);

    relay.wait_for(N, 60).await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let mails = relay.mails();
    let mut ids: Vec<String> = mails
        .iter()
        .map(|m| sink::header(&m.data, "Message-ID").unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(mails.len(), N, "each once");
    assert_eq!(ids.len(), N);
    let rows = outbox_of(&app, &insp1).await;
    assert_eq!(rows.len(), N);
    assert!(rows.iter().all(|r| r.0 && r.1 == 1), "{rows:?}");
}

async fn the_admin_forms_set_and_clear_the_address(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let mut c = crate::web::client::WebClient::world_user(&app, "admin1").await;
    let create = |email: &'static str| {
        [
            ("username", "co.thu"),
            ("full_name", "Có Thư"),
            ("role", "inspector"),
            ("password", "mat-khau-rieng-1"),
            ("email", email),
        ]
    };
    let res = c.post("/quan-tri/nguoi-dung", &create("sai địa chỉ")).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Thư điện tử: Địa chỉ thư điện tử dạng"),
        "{page}"
    );
    let res = c
        .post("/quan-tri/nguoi-dung", &create("co.thu@nghean.gov.vn"))
        .await;
    c.follow(res).await;
    let list: Value = app.get_json("/api/v1/users?q=co.thu", &w.admin).await;
    let user = &list["items"][0];
    assert_eq!(user["email"], "co.thu@nghean.gov.vn", "{list}");
    let id = user["id"].as_str().unwrap().to_owned();
    let edit = format!("/quan-tri/nguoi-dung/{id}");
    let (_, page) = c.get(&edit).await;
    assert!(page.contains("value=\"co.thu@nghean.gov.vn\""), "{page}");

    let save = |email: &'static str, version: &'static str| {
        [
            ("full_name", "Có Thư"),
            ("role", "inspector"),
            ("unit_id", ""),
            ("email", email),
            ("version", version),
        ]
    };
    let res = c.post(&edit, &save("", "1")).await;
    c.follow(res).await;
    let got: Value = app.get_json(&format!("/api/v1/users/{id}"), &w.admin).await;
    assert_eq!(got["email"], Value::Null, "blank clears: {got}");
    let res = c.post(&edit, &save("moi@nghean.gov.vn", "2")).await;
    c.follow(res).await;
    // The lock form has no address field: it keeps the address.
    let res = c.post(&edit, &[("khoa", "1"), ("version", "3")]).await;
    c.follow(res).await;
    let got: Value = app.get_json(&format!("/api/v1/users/{id}"), &w.admin).await;
    assert_eq!(got["email"], "moi@nghean.gov.vn", "{got}");
    assert_eq!(got["disabled"], true, "{got}");
}
