//! Running the callers: sending a probe, judging its answer, and the columns of the matrix.

use reqwest::Method;
use serde_json::Value;

use super::checks::{admin_only, compare_snapshots, leaks, note_seen, snapshot, status_rule};
use super::plan::{Body, Plan, Probe};
use super::sync::{push_verdicts, refresh_mutation_ids, watermelon_positions, watermelon_push};
use super::table::Report;
use super::world::Fixture;
use super::{Caller, CREATOR_ONLY, MATRIX_CALLERS, SYNC_WRITES};
use crate::helpers::TestApp;

pub(super) struct Outcome {
    pub(super) status: u16,
    pub(super) headers: String,
    encoding: Option<String>,
    pub(super) body: Vec<u8>,
}

pub(super) async fn send(app: &TestApp, token: Option<&str>, probe: &Probe) -> Outcome {
    let mut req = app.req(probe.method.clone(), &probe.url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (k, v) in &probe.headers {
        req = req.header(k, v);
    }
    req = match &probe.body {
        Body::None => req,
        Body::Json(v) => {
            let mut v = v.clone();
            refresh_mutation_ids(&mut v);
            req.json(&v)
        }
        Body::Bytes(ct, b) => req.header("content-type", ct).body(b.clone()),
    };
    let res = req.send().await.expect("send");
    let status = res.status().as_u16();
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v.as_bytes())))
        .collect::<Vec<_>>()
        .join("\n");
    let encoding = res
        .headers()
        .get("content-encoding")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .filter(|e| e != "identity");
    let body = res.bytes().await.expect("body").to_vec();
    Outcome {
        status,
        headers,
        encoding,
        body,
    }
}

impl Outcome {
    pub(super) fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(super) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub(super) fn excerpt(&self) -> String {
        String::from_utf8_lossy(&self.body)
            .chars()
            .take(300)
            .collect()
    }
}

/// Calls `probe` as `caller` and records every rule it breaks.
pub(super) async fn call(
    app: &TestApp,
    fx: &Fixture,
    caller: Caller,
    probe: &Probe,
    report: &mut Report,
) -> Outcome {
    let out = send(app, fx.token(caller), probe).await;
    report.record(caller, probe, out.status);
    let mut broken = Vec::new();
    if out.status >= 500 {
        broken.push(format!("{} server error: {}", out.status, out.excerpt()));
    }
    if let Some(e) = &out.encoding {
        broken.push(format!(
            "compressed ({e}) though not asked: cannot be scanned"
        ));
    }
    match out.texts() {
        Ok(texts) => {
            broken.extend(leaks(fx, caller, probe, &texts));
            if matches!(caller, Caller::Admin | Caller::Viewer) && probe.is_read() && out.ok() {
                note_seen(fx, caller, &texts, report);
            }
        }
        Err(e) => broken.push(e),
    }
    broken.extend(status_rule(caller, probe, &out));
    broken.extend(super::units::follow_up_rule(fx, caller, probe, &out));
    if probe.op == SYNC_WRITES[0] && out.status == 200 && caller != Caller::Admin {
        broken.extend(push_verdicts(fx, caller, &out));
    }
    for b in broken {
        report.fail(caller, probe, b);
    }
    out
}

/// Team 1's lead and inspector read their own team's objects through the same operations:
/// these must succeed, or the refusals of the matrix would prove nothing.
pub(super) async fn own_team_control(
    app: &TestApp,
    fx: &Fixture,
    plan: &Plan,
    report: &mut Report,
) {
    for caller in [Caller::Lead1, Caller::Insp1] {
        for probe in &plan.team1 {
            let out = call(app, fx, caller, probe, report).await;
            let creator_only = CREATOR_ONLY.contains(&probe.op.as_str());
            // insp1 made team 1's upload; the lead cannot see it, by design.
            let unit_own = super::units::UNIT_OWN.contains(&probe.op.as_str());
            let exempt = admin_only(probe) || unit_own || (creator_only && caller != Caller::Insp1);
            if !exempt && !out.ok() {
                let msg = format!(
                    "{}: cannot read their own team's object (control): {}",
                    out.status,
                    out.excerpt()
                );
                report.fail(caller, probe, msg);
            }
        }
    }
}

/// Each caller's writes (after every read: a refused write may leave a conflict record in team
/// 1's own draft quoting the ids of team 2's it sent, which later reads would rightly show to
/// team 1), with team 2's data compared before and after each caller.
pub(super) async fn writes(app: &TestApp, fx: &Fixture, plan: &Plan, report: &mut Report) {
    let positions = watermelon_positions(app, fx, report).await;
    for caller in MATRIX_CALLERS {
        let before = snapshot(app, fx).await;
        if let Some((_, at)) = positions.iter().find(|(c, _)| *c == caller) {
            watermelon_push(app, fx, caller, *at, report).await;
        }
        for probe in plan.team2.iter().chain(&plan.collide) {
            if !probe.is_read() {
                call(app, fx, caller, probe, report).await;
            }
        }
        compare_snapshots(caller, &before, &snapshot(app, fx).await, report);
    }
}

/// The administrator, last: every read must succeed (so every id of the matrix is real), then
/// every write but deletions (they would destroy what other rows use).
pub(super) async fn admin_column(app: &TestApp, fx: &Fixture, plan: &Plan, report: &mut Report) {
    for probe in plan.team2.iter().filter(|p| p.is_read()) {
        call(app, fx, Caller::Admin, probe, report).await;
    }
    let writes = plan.team2.iter().chain(&plan.collide);
    for probe in writes.filter(|p| !p.is_read() && p.method != Method::DELETE) {
        call(app, fx, Caller::Admin, probe, report).await;
    }
}
