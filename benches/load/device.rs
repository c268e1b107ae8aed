//! One simulated phone: it signs in, creates its inspection, pulls its working set, then every
//! period (with jitter) pushes a batch of answers to its own inspection's checklist items and
//! pulls what changed, as docs/sync.md's "A device's loop" says.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::seed::ok;

/// The bundled checklist's answerable items: (id, type, choice values).
pub struct Item {
    pub id: String,
    pub kind: String,
    pub options: Vec<String>,
    /// Another item shows this one only when it is "yes": that one is always answered "yes".
    pub controls: bool,
}

pub fn checklist() -> Vec<Item> {
    let t: Value =
        serde_json::from_str(include_str!("../../schemas/templates/dvcq-2026.json")).unwrap();
    let items: Vec<&Value> = t["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .collect();
    let controlling: Vec<&str> = items
        .iter()
        .filter_map(|i| i["visible_if"]["item"].as_str())
        .collect();
    items
        .iter()
        .filter(|i| i["type"] != "photo")
        .map(|i| Item {
            id: i["id"].as_str().unwrap().to_owned(),
            kind: i["type"].as_str().unwrap().to_owned(),
            options: i["options"]
                .as_array()
                .map(|o| {
                    o.iter()
                        .map(|v| v["value"].as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default(),
            controls: controlling.contains(&i["id"].as_str().unwrap()),
        })
        .collect()
}

fn value(item: &Item, rng: &mut impl Rng) -> Value {
    match item.kind.as_str() {
        _ if item.controls => json!("yes"),
        "yes_no" => json!(if rng.gen_bool(0.7) { "yes" } else { "no" }),
        "single_choice" => json!(item.options.choose(rng).unwrap()),
        "number" => json!(rng.gen_range(0..40)),
        "date" => json!(format!(
            "2026-{:02}-{:02}",
            rng.gen_range(1..=11),
            rng.gen_range(1..=28)
        )),
        _ => json!(format!(
            "Mô hình dân vận khéo số {} của xã",
            rng.gen_range(1..1000)
        )),
    }
}

/// Requests go to the server processes in turn (a round-robin load balancer).
pub struct Targets {
    pub bases: Vec<String>,
    next: AtomicUsize,
}

impl Targets {
    pub fn new(bases: Vec<String>) -> Arc<Targets> {
        Arc::new(Targets {
            bases,
            next: AtomicUsize::new(0),
        })
    }
    fn pick(&self) -> &str {
        &self.bases[self.next.fetch_add(1, Ordering::Relaxed) % self.bases.len()]
    }
}

/// A device's state between phases: what the server acknowledged is kept to check for lost
/// writes at the end.
pub struct Device {
    pub index: usize,
    pub token: String,
    pub inspection: String,
    cursor: String,
    /// Item → (version, value) as the server last answered it.
    pub known: HashMap<String, (i64, Value)>,
    /// Every mutation id the server answered `applied` or `merged`.
    pub acked: Vec<String>,
    hlc: (i64, u32),
}

/// What one phase measured, merged over devices.
#[derive(Default)]
pub struct Tally {
    pub push_ms: Vec<f64>,
    pub pull_ms: Vec<f64>,
    pub pushes: usize,
    pub mutations: usize,
    pub pulled_changes: usize,
    /// Failed requests (transport errors and non-2xx), and mutations not applied.
    pub errors: usize,
    pub not_applied: usize,
    pub first_error: Option<String>,
}

impl Tally {
    pub fn merge(&mut self, o: Tally) {
        self.push_ms.extend(o.push_ms);
        self.pull_ms.extend(o.pull_ms);
        self.pushes += o.pushes;
        self.mutations += o.mutations;
        self.pulled_changes += o.pulled_changes;
        self.errors += o.errors;
        self.not_applied += o.not_applied;
        if self.first_error.is_none() {
            self.first_error = o.first_error;
        }
    }
    fn error(&mut self, what: String) {
        self.errors += 1;
        self.first_error.get_or_insert(what);
    }
}

impl Device {
    /// Signs in, creates the inspection of its unit, pulls its whole working set.
    pub async fn start(
        http: &reqwest::Client,
        base: &str,
        index: usize,
        round: &str,
        unit: &str,
    ) -> Device {
        let token = super::seed::login(
            http,
            base,
            &format!("insp{index}"),
            &format!("phone-{index}"),
        )
        .await;
        let inspection = uuid::Uuid::new_v4().to_string();
        let create = json!({"schema_version": 1, "mutations": [{"mutation_id": uuid::Uuid::new_v4().to_string(),
            "type": "inspection.create", "id": inspection, "round_id": round, "unit_id": unit}]});
        let r = ok(http
            .post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(&token)
            .json(&create)
            .send()
            .await
            .unwrap())
        .await;
        assert_eq!(r["results"][0]["status"], "applied", "{r}");
        let (cursor, _) = full_pull(http, base, &token).await;
        Device {
            index,
            token,
            inspection,
            cursor,
            known: HashMap::new(),
            acked: Vec::new(),
            hlc: (0, 0),
        }
    }

    fn next_hlc(&mut self) -> String {
        let now = chrono::Utc::now().timestamp_millis();
        self.hlc = if now > self.hlc.0 {
            (now, 0)
        } else {
            (self.hlc.0, self.hlc.1 + 1)
        };
        format!("{:013}:{:04}:phone-{}", self.hlc.0, self.hlc.1, self.index)
    }

    /// Push-then-pull cycles until `until`, one every `period` ± a quarter.
    pub async fn run(
        &mut self,
        http: &reqwest::Client,
        targets: &Targets,
        items: &[Item],
        per_push: usize,
        period: Duration,
        until: Instant,
    ) -> Tally {
        let mut tally = Tally::default();
        let mut rng = rand::rngs::StdRng::from_entropy();
        // Devices start spread over one period, as phones do.
        tokio::time::sleep(period.mul_f64(rng.gen_range(0.0..1.0))).await;
        while Instant::now() < until {
            let started = Instant::now();
            self.push(http, targets.pick(), items, per_push, &mut rng, &mut tally)
                .await;
            self.pull(http, targets, &mut tally).await;
            let next = started + period.mul_f64(rng.gen_range(0.75..1.25));
            if next >= until {
                break;
            }
            tokio::time::sleep_until(next.into()).await;
        }
        tally
    }

    async fn push(
        &mut self,
        http: &reqwest::Client,
        base: &str,
        items: &[Item],
        per_push: usize,
        rng: &mut impl Rng,
        tally: &mut Tally,
    ) {
        // Items shown only when another is "yes" are refused (`hidden_item`) until that one is
        // answered: a device answers the controlling items first, in its first push.
        let first: Vec<&Item> = items
            .iter()
            .filter(|i| i.controls && !self.known.contains_key(&i.id))
            .collect();
        let rest = items
            .choose_multiple(rng, per_push.min(items.len()))
            .filter(|i| !first.iter().any(|f| f.id == i.id));
        let chosen: Vec<&Item> = first.iter().copied().chain(rest).collect();
        let mut sent = Vec::new();
        let mut mutations = Vec::new();
        for item in chosen {
            let (base_version, base_value) = self
                .known
                .get(&item.id)
                .cloned()
                .unwrap_or((0, Value::Null));
            let id = uuid::Uuid::new_v4().to_string();
            mutations.push(json!({"mutation_id": id, "type": "answer.set", "inspection_id": self.inspection,
                "item_id": item.id, "value": value(item, rng), "na": false, "base_version": base_version,
                "base_value": base_value, "hlc": self.next_hlc()}));
            sent.push((id, item.id.clone()));
        }
        let body = json!({"schema_version": 1, "mutations": mutations});
        let t = Instant::now();
        let res = http
            .post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await;
        let answer = match res {
            Ok(r) if r.status().is_success() => r.json::<Value>().await.ok(),
            Ok(r) => {
                tally.error(format!(
                    "push {}: {}",
                    r.status(),
                    r.text().await.unwrap_or_default()
                ));
                return;
            }
            Err(e) => {
                tally.error(format!("push: {e}"));
                return;
            }
        };
        tally.push_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        let Some(answer) = answer else {
            tally.error("push: unreadable answer".into());
            return;
        };
        tally.pushes += 1;
        let results = answer["results"].as_array().cloned().unwrap_or_default();
        for ((id, item), r) in sent.into_iter().zip(results) {
            tally.mutations += 1;
            if r["status"] == "applied" || r["status"] == "merged" {
                self.acked.push(id);
                let cur = &r["current"];
                if let Some(v) = cur["version"].as_i64() {
                    self.known.insert(item, (v, cur["value"].clone()));
                }
            } else {
                tally.not_applied += 1;
                tally.first_error.get_or_insert(format!("mutation: {r}"));
            }
        }
    }

    async fn pull(&mut self, http: &reqwest::Client, targets: &Targets, tally: &mut Tally) {
        loop {
            let base = targets.pick();
            let t = Instant::now();
            let url = format!(
                "{base}/api/v1/sync/pull?schema_version=1&limit=1000&cursor={}",
                self.cursor
            );
            let res = http.get(url).bearer_auth(&self.token).send().await;
            let page: Value = match res {
                Ok(r) if r.status().is_success() => match r.json().await {
                    Ok(v) => v,
                    Err(e) => return tally.error(format!("pull: {e}")),
                },
                Ok(r) => {
                    let what = format!(
                        "pull {}: {}",
                        r.status(),
                        r.text().await.unwrap_or_default()
                    );
                    return tally.error(what);
                }
                Err(e) => return tally.error(format!("pull: {e}")),
            };
            tally.pull_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            tally.pulled_changes += page["changes"].as_array().map_or(0, |c| c.len());
            self.cursor = page["next_cursor"].as_str().unwrap_or_default().to_owned();
            if page["has_more"] != true {
                return;
            }
        }
    }
}

/// Every change of a pull from an empty cursor, and the cursor it ends at.
pub async fn full_pull(http: &reqwest::Client, base: &str, token: &str) -> (String, Vec<Value>) {
    let (mut cursor, mut changes) = (String::new(), Vec::new());
    loop {
        let page = ok(http
            .get(format!(
                "{base}/api/v1/sync/pull?schema_version=1&limit=5000&cursor={cursor}"
            ))
            .bearer_auth(token)
            .send()
            .await
            .unwrap())
        .await;
        changes.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = page["next_cursor"].as_str().unwrap().to_owned();
        if page["has_more"] != true {
            return (cursor, changes);
        }
    }
}
