//! `TestApp`: the real server on a random loopback port, against a fresh SQLite file or a
//! fresh PostgreSQL database, plus a few shortcuts for tests.

use std::sync::Once;

use kiemtra::auth::{password, Role};
use kiemtra::config::{LoginThrottle, Secret, Settings};
use kiemtra::db::Db;
use kiemtra::startup::{open_database, Application};
use kiemtra::users::service::{self, NewUser};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};

pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub settings: Settings,
    _dir: Option<tempfile::TempDir>,
}

/// Runs one test body against each engine: `both_engines!(name, …)` makes `name::sqlite` and
/// `name::postgres` from `async fn name(engine: Engine)`.
#[macro_export]
macro_rules! both_engines {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Engine::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::helpers::Engine::Postgres).await
            }
        }
    )*};
}

static SKIP_NOTICE: Once = Once::new();

pub fn test_settings(dir: &std::path::Path, database_url: Option<String>) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        data_dir: dir.to_path_buf(),
        database_url: database_url.map(Secret::new),
        jwt_secret: Some(Secret::new(JWT_SECRET)),
        db_pool_size: 4,
        workers: 2,
        shutdown_timeout_secs: 1,
        // Small delays keep the throttle tests fast while exercising the same code.
        login: LoginThrottle {
            free_attempts: 3,
            delay_step_ms: 20,
            max_delay_ms: 100,
            lock_after: 6,
            lock_secs: 600,
            window_secs: 600,
        },
        reminders: kiemtra::config::RemindersSettings::off(),
        ..Settings::default()
    }
}

impl TestApp {
    /// `None` when the engine is PostgreSQL and none can be had (and it is not required).
    pub async fn spawn(engine: Engine) -> Option<TestApp> {
        Self::spawn_with(engine, |_| {}).await
    }

    /// The app on a given data folder and database (to restart on the same data later).
    pub async fn spawn_in(dir: &std::path::Path, database_url: Option<String>) -> TestApp {
        Self::spawn_in_with(dir, database_url, |_| {}).await
    }

    /// The same, with settings of its own (a second server on another app's data, e.g. with
    /// short-lived access tokens once the world is built).
    pub async fn spawn_in_with(
        dir: &std::path::Path,
        database_url: Option<String>,
        tweak: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let mut settings = test_settings(dir, database_url);
        tweak(&mut settings);
        let db = open_database(&settings).await.expect("open database");
        let app = Application::build_with(settings.clone(), db.clone())
            .await
            .expect("build app");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp {
            base,
            client,
            db,
            settings,
            _dir: None,
        }
    }

    pub async fn spawn_with(engine: Engine, tweak: impl FnOnce(&mut Settings)) -> Option<TestApp> {
        if std::env::var_os("KIEMTRA_TEST_LOG").is_some() {
            kiemtra::telemetry::init("text");
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let url = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => match tokio::task::spawn_blocking(crate::pg::fresh_database)
                .await
                .expect("join")
            {
                Ok(url) => Some(url),
                Err(why) if crate::pg::required() => {
                    panic!("KIEMTRA_TEST_PG=require but no PostgreSQL could be started: {why}")
                }
                Err(why) => {
                    SKIP_NOTICE.call_once(|| {
                        eprintln!("\n!!!!!!!! POSTGRESQL TESTS SKIPPED: {why}\n!!!!!!!! set KIEMTRA_TEST_PG=require to make this a failure\n");
                    });
                    return None;
                }
            },
        };
        let mut settings = test_settings(dir.path(), url);
        tweak(&mut settings);
        let db = open_database(&settings).await.expect("open database");
        let app = Application::build_with(settings.clone(), db.clone())
            .await
            .expect("build app");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Some(TestApp {
            base,
            client,
            db,
            settings,
            _dir: Some(dir),
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub fn authed(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.req(method, path).bearer_auth(token)
    }

    /// GET `path` as the holder of `token` and decode the JSON body.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str, token: &str) -> T {
        self.authed(Method::GET, path, token)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json body")
    }

    /// Creates a user straight in the database; returns (id, password).
    pub async fn user(&self, username: &str, role: Role) -> (String, String) {
        let plain = format!("pw-{username}-123");
        let hash = password::hash(&plain).expect("hash");
        let new = NewUser {
            username: username.into(),
            full_name: format!("Người dùng {username}"),
            role,
            password_hash: hash,
            unit_id: None,
            email: None,
        };
        let row = self
            .db
            .write(move |c| service::create(c, &kiemtra::audit::Actor::cli(), &new))
            .await
            .expect("create user");
        (row.id, plain)
    }

    pub async fn login_body(
        &self,
        username: &str,
        password: &str,
        device: Option<&str>,
    ) -> Response {
        let mut body = json!({"username": username, "password": password});
        if let Some(d) = device {
            body["device_id"] = json!(d);
        }
        self.req(Method::POST, "/api/v1/auth/login")
            .json(&body)
            .send()
            .await
            .expect("send")
    }

    /// Logs in and returns the token response.
    pub async fn login(&self, username: &str, password: &str) -> Value {
        let res = self.login_body(username, password, None).await;
        assert_eq!(res.status(), 200, "login of {username}");
        res.json().await.expect("json")
    }

    /// A user of `role` and their access token.
    pub async fn token_for(&self, username: &str, role: Role) -> (String, String) {
        let (id, pw) = self.user(username, role).await;
        let t = self.login(username, &pw).await;
        (id, t["access_token"].as_str().expect("token").to_owned())
    }
}

/// Asserts an RFC 9457 response with this status and code; returns its body.
pub async fn assert_problem(res: Response, status: u16, code: &str) -> Value {
    assert_eq!(
        res.status().as_u16(),
        status,
        "status for expected code {code}"
    );
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(ct, "application/problem+json", "content type");
    let rid = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body: Value = res.json().await.expect("problem json");
    assert_eq!(body["code"], code, "problem: {body}");
    assert_eq!(body["type"], format!("urn:kiemtra:problem:{code}"));
    assert_eq!(body["status"], status);
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(
        body["request_id"].as_str().map(str::to_owned),
        rid,
        "request id echoed"
    );
    body
}
