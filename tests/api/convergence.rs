//! Convergence simulation (proptest): three devices (two phones of one inspector and the
//! lead's) edit and clear answers of one inspection offline, sync in random orders, and lose
//! responses at random (then retry). At the end, after everyone syncs:
//! - every device holds exactly the server's answers;
//! - every value any device sent was current at some point (the audit log's history) or is
//!   kept in a conflict record: nothing was silently dropped;
//! - every acknowledged mutation, sent again, gets the same answer (nothing acknowledged is
//!   lost or applied twice).

use std::collections::BTreeMap;

use proptest::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{Engine, TestApp};
use crate::history;
use crate::world::World;

#[derive(Debug, Clone)]
enum Op {
    Edit {
        dev: usize,
        item: usize,
        val: usize,
    },
    Clear {
        dev: usize,
        item: usize,
    },
    Sync {
        dev: usize,
        drop_push: bool,
        drop_pull: bool,
    },
}

const ITEMS: [&str; 3] = ["b", "d", "e"];

fn value(item: usize, val: usize) -> Value {
    match ITEMS[item] {
        "b" => json!(["full", "part", "none"][val % 3]),
        "d" => json!(1 + val % 5),
        _ => json!(val * 7),
    }
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, 0..3usize, 0..5usize).prop_map(|(dev, item, val)| Op::Edit { dev, item, val }),
        1 => (0..3usize, 0..3usize).prop_map(|(dev, item)| Op::Clear { dev, item }),
        3 => (0..3usize, any::<bool>(), any::<bool>()).prop_map(|(dev, drop_push, drop_pull)| Op::Sync { dev, drop_push, drop_pull }),
    ]
}

struct Device {
    token: String,
    node: String,
    clock: i64,
    counter: u32,
    /// The server's answers as last pulled: item → (value JSON as `{value, na}`, version).
    shadow: BTreeMap<String, (Value, i64)>,
    /// Local edits not yet acknowledged, in order (retried with the same mutation ids).
    queue: Vec<Value>,
    cursor: Option<String>,
}

impl Device {
    fn tick(&mut self) -> String {
        self.counter += 1;
        format!("{:013}:{:04}:{}", self.clock, self.counter, self.node)
    }

    /// The device's view: the shadow with its pending edits on top.
    fn view(&self) -> BTreeMap<String, Value> {
        // A cleared answer keeps its row (and version) on the server, but is no answer.
        let mut v: BTreeMap<String, Value> = self
            .shadow
            .iter()
            .filter(|(_, (val, _))| !(val["value"].is_null() && val["na"] != true))
            .map(|(k, (val, _))| (k.clone(), val.clone()))
            .collect();
        for m in &self.queue {
            let item = m["item_id"].as_str().unwrap().to_owned();
            if m["value"].is_null() {
                v.remove(&item);
            } else {
                v.insert(item, json!({"value": m["value"], "na": false}));
            }
        }
        v
    }
}

struct Sim<'a> {
    app: &'a TestApp,
    inspection: String,
    devices: Vec<Device>,
    /// Every value sent, by item.
    sent: Vec<(String, Value)>,
    /// Acknowledged mutations with the device that sent them and the answer they got.
    acked: Vec<(usize, Value, Value)>,
}

impl Sim<'_> {
    async fn sync(&mut self, d: usize, drop_push: bool, drop_pull: bool) {
        let app = self.app;
        let dev = &mut self.devices[d];
        if !dev.queue.is_empty() {
            let res = app
                .authed(Method::POST, "/api/v1/sync/push", &dev.token)
                .json(&json!({"schema_version": 1, "mutations": dev.queue}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            let body: Value = res.json().await.unwrap();
            if !drop_push {
                for (m, r) in dev.queue.iter().zip(body["results"].as_array().unwrap()) {
                    assert_ne!(r["status"], "rejected", "{r}");
                    self.acked.push((d, m.clone(), r.clone()));
                }
                dev.queue.clear();
            }
        }
        let mut cursor = dev.cursor.clone();
        loop {
            let mut path = "/api/v1/sync/pull?schema_version=1&limit=50".to_owned();
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page: Value = app.get_json(&path, &dev.token).await;
            if drop_pull {
                return;
            }
            for c in page["changes"].as_array().unwrap() {
                if c["entity"] != "answer" {
                    continue;
                }
                let Some((insp, item)) = c["id"].as_str().unwrap().split_once('/') else {
                    continue;
                };
                if insp != self.inspection {
                    continue;
                }
                if c["deleted"] == true {
                    dev.shadow.remove(item);
                } else {
                    let d = &c["data"];
                    dev.shadow.insert(
                        item.to_owned(),
                        (
                            json!({"value": d["value"], "na": d["na"]}),
                            d["version"].as_i64().unwrap(),
                        ),
                    );
                    // Merge the server's clock into ours (HLC receive rule).
                    if let Some(ms) = d["hlc"]
                        .as_str()
                        .and_then(|h| h.split(':').next())
                        .and_then(|m| m.parse::<i64>().ok())
                    {
                        dev.clock = dev.clock.max(ms);
                    }
                }
            }
            cursor = Some(page["next_cursor"].as_str().unwrap().to_owned());
            if !page["has_more"].as_bool().unwrap() {
                break;
            }
        }
        dev.cursor = cursor;
    }

    fn edit(&mut self, d: usize, item: usize, val: Option<usize>) {
        let item_id = ITEMS[item];
        let dev = &mut self.devices[d];
        dev.clock += 1 + d as i64;
        let hlc = dev.tick();
        let (base_value, base_version) =
            dev.shadow.get(item_id).cloned().unwrap_or((Value::Null, 0));
        let v = val.map_or(Value::Null, |v| value(item, v));
        dev.queue.push(json!({
            "mutation_id": uuid::Uuid::new_v4().to_string(),
            "type": "answer.set",
            "inspection_id": self.inspection,
            "item_id": item_id,
            "value": v,
            "base_version": base_version,
            "base_value": base_value,
            "hlc": hlc,
        }));
        // Clearing an answer the device never saw is a no-op, not a value to keep.
        if !(v.is_null() && base_version == 0) {
            self.sent
                .push((item_id.to_owned(), json!({"value": v, "na": false})));
        }
    }
}

async fn run_case(
    app: &TestApp,
    w: &World,
    tokens: &[String; 3],
    ops: Vec<Op>,
) -> Result<(), TestCaseError> {
    // A fresh unit and inspection for this case.
    let code = format!("SIM-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let unit: Value = app
        .authed(Method::POST, "/api/v1/units", &w.admin)
        .json(&json!({"code": code, "name": "Xã mô phỏng", "kind": "commune"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    app.authed(
        Method::PUT,
        &format!("/api/v1/rounds/{}/assignments", w.round),
        &w.admin,
    )
    .json(&json!({"assignments": [{"unit_id": unit["id"], "team_id": w.team1}]}))
    .send()
    .await
    .unwrap();
    let insp: Value = app
        .authed(Method::POST, "/api/v1/inspections", &w.insp1)
        .json(&json!({"round_id": w.round, "unit_id": unit["id"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let inspection = insp["id"].as_str().unwrap().to_owned();
    let base_ms = chrono::Utc::now().timestamp_millis() - 3_600_000;
    let devices = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| Device {
            token: t.clone(),
            node: format!("dev{i}"),
            clock: base_ms,
            counter: 0,
            shadow: BTreeMap::new(),
            queue: Vec::new(),
            cursor: None,
        })
        .collect();
    let mut sim = Sim {
        app,
        inspection: inspection.clone(),
        devices,
        sent: Vec::new(),
        acked: Vec::new(),
    };
    for op in ops {
        match op {
            Op::Edit { dev, item, val } => sim.edit(dev, item, Some(val)),
            Op::Clear { dev, item } => sim.edit(dev, item, None),
            Op::Sync {
                dev,
                drop_push,
                drop_pull,
            } => sim.sync(dev, drop_push, drop_pull).await,
        }
    }
    // Everyone syncs until quiet (twice: the first round may bring news for the earlier ones).
    for _ in 0..2 {
        for d in 0..3 {
            sim.sync(d, false, false).await;
        }
    }

    let detail: Value = app
        .get_json(&format!("/api/v1/inspections/{inspection}"), &w.admin)
        .await;
    let server: BTreeMap<String, Value> = detail["answers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, a)| (k.clone(), json!({"value": a["value"], "na": a["na"]})))
        .collect();
    for (i, d) in sim.devices.iter().enumerate() {
        prop_assert_eq!(&d.view(), &server, "device {} differs from the server", i);
    }

    // Nothing dropped: each sent value was current once (audit history) or is in a conflict.
    let lost = history::lost_values(app, &w.admin, &inspection, &sim.sent).await;
    prop_assert!(lost.is_empty(), "values lost (item, value): {:?}", lost);

    // Acknowledged mutations: sending them again gets the same answer.
    for (d, m, r) in sim.acked.iter().take(20) {
        let res: Value = app
            .authed(Method::POST, "/api/v1/sync/push", &tokens[*d])
            .json(&json!({"schema_version": 1, "mutations": [m]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        prop_assert_eq!(&res["results"][0], r);
    }
    Ok(())
}

#[test]
fn devices_converge_and_nothing_is_lost() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (app, w, tokens) = rt.block_on(async {
        let app = TestApp::spawn(Engine::Sqlite).await.unwrap();
        let w = World::build(&app).await;
        let tablet = app
            .login_body("insp1", "pw-insp1-123", Some("tablet"))
            .await
            .json::<Value>()
            .await
            .unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let tokens = [w.insp1.clone(), tablet, w.lead1.clone()];
        (app, w, tokens)
    });
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(24);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(&proptest::collection::vec(op(), 5..40), |ops| {
            rt.block_on(run_case(&app, &w, &tokens, ops))
        })
        .unwrap();
}
