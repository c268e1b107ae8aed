//! The simulation's state and steps: the server, the world, the devices, the scope as the
//! simulation believes it, and what was acknowledged.

use proptest::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use super::device::{Device, Pending};
use super::model::{self, People, ScopeOp, State, DEVICE_USERS};
use crate::helpers::TestApp;
use crate::world::World;

pub const ITEMS: [&str; 3] = ["b", "d", "e"];

fn value(item: usize, val: usize) -> Value {
    match ITEMS[item] {
        "b" => json!(["full", "part", "none"][val % 3]),
        "d" => json!(1 + val % 5),
        _ => json!(val * 7),
    }
}

/// An acknowledged mutation (`applied`, `merged` or `conflict`) and its answer.
pub struct Acked {
    pub dev: usize,
    pub target: usize,
    pub mutation: Value,
    pub result: Value,
}

pub struct Sim<'a> {
    pub app: &'a TestApp,
    pub w: &'a World,
    pub people: People,
    /// IA, IB.
    pub inspections: [String; 2],
    pub devices: Vec<Device>,
    pub state: State,
    pub acked: Vec<Acked>,
    /// Mutations answered `rejected` (dropped from their queue), with the device and answer.
    pub refused: Vec<(usize, Value, Value)>,
}

async fn create_inspection(app: &TestApp, token: &str, round: &str, unit: &str) -> String {
    let res = app
        .authed(Method::POST, "/api/v1/inspections", token)
        .json(&json!({"round_id": round, "unit_id": unit}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

impl<'a> Sim<'a> {
    /// insp1 starts IA, insp2 starts IB; every device makes its first pull.
    pub async fn start(app: &'a TestApp, w: &'a World) -> Sim<'a> {
        let tablet = app
            .login_body("insp1", "pw-insp1-123", Some("tablet"))
            .await
            .json::<Value>()
            .await
            .unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let ia = create_inspection(app, &w.insp1, &w.round, &w.unit_a).await;
        let ib = create_inspection(app, &w.insp2, &w.round, &w.unit_b).await;
        let base_ms = chrono::Utc::now().timestamp_millis() - 3_600_000;
        let tokens = [w.insp1.clone(), w.insp2.clone(), w.lead1.clone(), tablet];
        let mut devices: Vec<Device> = tokens
            .into_iter()
            .enumerate()
            .map(|(i, t)| Device::new(t, format!("dev{i}"), base_ms))
            .collect();
        for d in &mut devices {
            d.pull(app, None).await;
        }
        Sim {
            app,
            w,
            people: People::of(app, w).await,
            inspections: [ia, ib],
            devices,
            state: State::default(),
            acked: Vec::new(),
            refused: Vec::new(),
        }
    }

    pub async fn change_scope(&mut self, op: ScopeOp) {
        model::change_scope(self.app, self.w, &self.people, op).await;
        self.state.apply(op);
    }

    /// Queues an `answer.set` (a clear when `val` is `None`) if the device holds the
    /// inspection, based on the device's copy of the answer.
    pub fn edit(&mut self, d: usize, target: usize, item: usize, val: Option<usize>) {
        let inspection = self.inspections[target].clone();
        let dev = &mut self.devices[d];
        if dev.holds("inspection", &inspection).is_none() {
            return;
        }
        let item_id = ITEMS[item];
        let (base_value, base_version) = dev
            .holds("answer", &format!("{inspection}/{item_id}"))
            .map_or((Value::Null, 0), |a| {
                (
                    json!({"value": a["value"], "na": a["na"]}),
                    a["version"].as_i64().unwrap(),
                )
            });
        dev.clock += 1 + d as i64;
        let hlc = dev.tick();
        let mutation = json!({
            "mutation_id": uuid::Uuid::new_v4().to_string(),
            "type": "answer.set",
            "inspection_id": inspection,
            "item_id": item_id,
            "value": val.map_or(Value::Null, |v| value(item, v)),
            "base_version": base_version,
            "base_value": base_value,
            "hlc": hlc,
        });
        dev.queue.push(Pending {
            mutation,
            target,
            expect: None,
        });
    }

    /// Push (a lost response: the server applied it, the device sends the same batch again
    /// next time), then pull until quiet.
    pub async fn sync(
        &mut self,
        d: usize,
        drop_push: bool,
        drop_pull: Option<usize>,
    ) -> Result<(), TestCaseError> {
        let user = DEVICE_USERS[d];
        let state = self.state;
        let dev = &mut self.devices[d];
        if !dev.queue.is_empty() {
            for p in &mut dev.queue {
                p.expect.get_or_insert(state.refusal(user, p.target));
            }
            let results = dev.push(self.app).await;
            for (p, r) in dev.queue.iter().zip(&results) {
                prop_assert_eq!(&r["mutation_id"], &p.mutation["mutation_id"]);
                // Nothing outside the receiver's scope in any answer, retried or not.
                prop_assert!(
                    r["current"].is_null() || state.sees(user, p.target),
                    "device {} ({:?}) got a row of {} it may not read now: {}",
                    d,
                    user,
                    model::TARGETS[p.target],
                    r
                );
            }
            if !drop_push {
                for (p, r) in dev.queue.drain(..).zip(results) {
                    settle(d, user, p, r, &mut self.acked, &mut self.refused)?;
                }
            }
        }
        dev.pull(self.app, drop_pull).await;
        Ok(())
    }
}

/// An answer the device takes in: refused exactly when its sender could not write when the
/// mutation first arrived, with the reason the rules give.
fn settle(
    d: usize,
    user: model::User,
    p: Pending,
    r: Value,
    acked: &mut Vec<Acked>,
    refused: &mut Vec<(usize, Value, Value)>,
) -> Result<(), TestCaseError> {
    let expect = p.expect.flatten();
    match expect {
        None => prop_assert!(
            ["applied", "merged", "conflict"].contains(&r["status"].as_str().unwrap_or("")),
            "device {} ({:?}) may write {}, yet: {}",
            d,
            user,
            model::TARGETS[p.target],
            r
        ),
        Some(reason) => prop_assert!(
            r["status"] == "rejected" && r["reason"] == reason,
            "device {} ({:?}) on {}: expected refusal {}, got {}",
            d,
            user,
            model::TARGETS[p.target],
            reason,
            r
        ),
    }
    if expect.is_some() {
        refused.push((d, p.mutation, r));
    } else {
        acked.push(Acked {
            dev: d,
            target: p.target,
            mutation: p.mutation,
            result: r,
        });
    }
    Ok(())
}
