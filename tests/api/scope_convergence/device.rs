//! One simulated device: a local store filled only by pulls (tombstones cascade as
//! docs/sync.md says), a queue of unacknowledged mutations, a hybrid logical clock and a
//! pull cursor.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;

/// Rows per pull page: small, so that paging is exercised.
pub const PAGE: usize = 5;

/// The local copy: (entity, id) → data.
pub type Store = BTreeMap<(String, String), Value>;

/// A queued `answer.set` and what the simulation knows of it.
#[derive(Debug, Clone)]
pub struct Pending {
    pub mutation: Value,
    /// 0 = IA, 1 = IB.
    pub target: usize,
    /// The refusal expected when it first reached the server (`Some(None)`: none), fixed at
    /// the first push that carried it; a retry gets the first answer again.
    pub expect: Option<Option<&'static str>>,
}

pub struct Device {
    pub token: String,
    pub node: String,
    pub clock: i64,
    pub counter: u32,
    pub store: Store,
    pub queue: Vec<Pending>,
    pub cursor: Option<String>,
}

impl Device {
    pub fn new(token: String, node: String, clock: i64) -> Device {
        Device {
            token,
            node,
            clock,
            counter: 0,
            store: Store::new(),
            queue: Vec::new(),
            cursor: None,
        }
    }

    pub fn tick(&mut self) -> String {
        self.counter += 1;
        format!("{:013}:{:04}:{}", self.clock, self.counter, self.node)
    }

    pub fn holds(&self, entity: &str, id: &str) -> Option<&Value> {
        self.store.get(&(entity.to_owned(), id.to_owned()))
    }

    /// Pushes the whole queue; the server's results in order (the caller decides what a
    /// dropped response means).
    pub async fn push(&self, app: &TestApp) -> Vec<Value> {
        let mutations: Vec<&Value> = self.queue.iter().map(|p| &p.mutation).collect();
        let res = app
            .authed(Method::POST, "/api/v1/sync/push", &self.token)
            .json(&json!({"schema_version": 1, "mutations": mutations}))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, 200, "push: {body}");
        let results = body["results"].as_array().unwrap().clone();
        assert_eq!(results.len(), self.queue.len(), "one result per mutation");
        results
    }

    /// Pulls from the stored cursor until quiet, applying each page and then storing its
    /// cursor. The page numbered `drop_at` (or the last one, if fewer come) is lost: not
    /// applied, cursor not advanced, and the pull stops there.
    pub async fn pull(&mut self, app: &TestApp, drop_at: Option<usize>) {
        let mut page_no = 0;
        loop {
            let page = pull_page(app, &self.token, self.cursor.as_deref()).await;
            let more = page["has_more"].as_bool().unwrap();
            if drop_at.is_some_and(|k| k == page_no || !more) {
                return;
            }
            for c in page["changes"].as_array().unwrap() {
                self.apply(c);
            }
            self.cursor = Some(page["next_cursor"].as_str().unwrap().to_owned());
            if !more {
                return;
            }
            page_no += 1;
        }
    }

    /// One change, as docs/sync.md says: upsert live rows; a tombstone removes the row and
    /// everything that hangs on it.
    fn apply(&mut self, c: &Value) {
        let key = (
            c["entity"].as_str().unwrap().to_owned(),
            c["id"].as_str().unwrap().to_owned(),
        );
        if c["deleted"] == true {
            assert!(c.get("data").is_none(), "a tombstone has no data: {c}");
            self.remove(&key);
            return;
        }
        let data = c["data"].clone();
        assert!(data.is_object(), "a live change has data: {c}");
        // HLC receive rule: the clock never falls behind a time it has seen.
        if let Some(ms) = data["hlc"]
            .as_str()
            .and_then(|h| h.split(':').next())
            .and_then(|m| m.parse::<i64>().ok())
        {
            self.clock = self.clock.max(ms);
        }
        self.store.insert(key, data);
    }

    fn remove(&mut self, key: &(String, String)) {
        self.store.remove(key);
        let (entity, id) = (key.0.as_str(), key.1.as_str());
        let field = match entity {
            "team" => "team_id",
            "round" => "round_id",
            "inspection" => {
                self.remove_where(
                    &[
                        "answer",
                        "comment",
                        "recommendation",
                        "evidence",
                        "conflict",
                    ],
                    "inspection_id",
                    id,
                );
                return;
            }
            _ => return,
        };
        let inspections: Vec<String> = self
            .store
            .iter()
            .filter(|((e, _), d)| e == "inspection" && d[field] == id)
            .map(|((_, i), _)| i.clone())
            .collect();
        self.remove_where(&["assignment"], field, id);
        for i in inspections {
            self.remove(&("inspection".to_owned(), i));
        }
    }

    fn remove_where(&mut self, entities: &[&str], field: &str, id: &str) {
        self.store
            .retain(|(e, _), d| !(entities.contains(&e.as_str()) && d[field] == id));
    }
}

/// One pull page after `cursor` (`None`: a fresh pull).
pub async fn pull_page(app: &TestApp, token: &str, cursor: Option<&str>) -> Value {
    let mut path = format!("/api/v1/sync/pull?schema_version=1&limit={PAGE}");
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={c}"));
    }
    let res = app.authed(Method::GET, &path, token).send().await.unwrap();
    let status = res.status();
    let page: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "pull {path}: {page}");
    page
}

/// A fresh pull (no cursor, all pages) as a store. It holds no tombstones, and every row
/// comes once.
pub async fn fresh_store(app: &TestApp, token: &str) -> Store {
    let mut d = Device::new(token.to_owned(), "fresh".into(), 0);
    loop {
        let page = pull_page(app, token, d.cursor.as_deref()).await;
        for c in page["changes"].as_array().unwrap() {
            assert_eq!(c["deleted"], false, "a fresh pull holds no tombstone: {c}");
            let key = (c["entity"].as_str().unwrap(), c["id"].as_str().unwrap());
            assert!(d.holds(key.0, key.1).is_none(), "{key:?} came twice");
            d.apply(c);
        }
        d.cursor = Some(page["next_cursor"].as_str().unwrap().to_owned());
        if page["has_more"] != true {
            return d.store;
        }
    }
}
