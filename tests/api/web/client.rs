//! A browser-like client for the web app: a cookie jar, gzip, no automatic redirects (tests
//! look at each 303), and forms sent with the page's own CSRF token, as a browser sends them.

use reqwest::{Client, Response, StatusCode};

use crate::helpers::TestApp;

pub struct WebClient {
    pub http: Client,
    base: String,
    /// The last form token seen on a page.
    pub csrf: String,
}

/// The value of the first `name="_csrf"` hidden input in `html`.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    let end = html[at..].find('"')?;
    Some(html[at..at + end].to_owned())
}

impl WebClient {
    pub fn new(app: &TestApp) -> WebClient {
        let http = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .gzip(true)
            .build()
            .expect("client");
        WebClient {
            http,
            base: app.url(""),
            csrf: String::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base.trim_end_matches('/'))
    }

    /// Signs in through the form; panics unless it redirects.
    pub async fn sign_in(app: &TestApp, username: &str, password: &str) -> WebClient {
        let mut c = WebClient::new(app);
        let res = c
            .post_raw(
                "/dang-nhap",
                &[("username", username), ("password", password)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {username}");
        let (status, _) = c.get("/mat-khau").await;
        assert_eq!(status, 200, "a page after sign-in");
        c
    }

    /// A World user (password `pw-{username}-123`).
    pub async fn world_user(app: &TestApp, username: &str) -> WebClient {
        WebClient::sign_in(app, username, &format!("pw-{username}-123")).await
    }

    /// GET: status and body; remembers the page's form token.
    pub async fn get(&mut self, path: &str) -> (u16, String) {
        let res = self.http.get(self.url(path)).send().await.expect("send");
        let status = res.status().as_u16();
        let body = res.text().await.unwrap_or_default();
        if let Some(t) = csrf_of(&body) {
            self.csrf = t;
        }
        (status, body)
    }

    /// POST a form as the page would: with the last token seen, from our own origin.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut all: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.http
            .post(self.url(path))
            .header("Origin", self.base.trim_end_matches('/'))
            .form(&all)
            .send()
            .await
            .expect("send")
    }

    /// POST exactly these fields (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.http
            .post(self.url(path))
            .header("Origin", self.base.trim_end_matches('/'))
            .form(fields)
            .send()
            .await
            .expect("send")
    }

    /// Follows a 303 and returns the page it leads to (with the action's message).
    pub async fn follow(&mut self, res: Response) -> (u16, String) {
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "expected a redirect");
        let to = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("location")
            .to_owned();
        self.get(&to).await
    }
}
