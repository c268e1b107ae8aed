//! The end-of-case assertions: convergence to a fresh pull, nothing out of scope, nothing
//! acknowledged lost, retries answered alike.

use proptest::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use super::device::{fresh_store, Store};
use super::model::{User, DEVICE_USERS, TARGETS};
use super::sim::Sim;
use crate::history;

/// How many acknowledged mutations are sent again at the end.
const RESENDS: usize = 15;

/// What differs between a device's store and a fresh pull, one line per row.
fn diff(local: &Store, fresh: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in local {
        match fresh.get(k) {
            None => out.push(format!("only on the device: {k:?} = {v}")),
            Some(f) if f != v => out.push(format!("{k:?}: device {v} / fresh {f}")),
            Some(_) => {}
        }
    }
    for (k, v) in fresh {
        if !local.contains_key(k) {
            out.push(format!("only in a fresh pull: {k:?} = {v}"));
        }
    }
    out
}

/// Each device holds exactly a fresh pull of its user, and nothing its user may not see.
pub async fn converged(sim: &Sim<'_>) -> Result<(), TestCaseError> {
    for (d, dev) in sim.devices.iter().enumerate() {
        let user = DEVICE_USERS[d];
        prop_assert!(dev.queue.is_empty(), "device {} still has a queue", d);
        let fresh = fresh_store(sim.app, &dev.token).await;
        let diff = diff(&dev.store, &fresh);
        prop_assert!(
            diff.is_empty(),
            "device {} ({:?}, scope {:?}) differs from a fresh pull:\n{}",
            d,
            user,
            sim.state,
            diff.join("\n")
        );
        in_scope(sim, d, user)?;
    }
    Ok(())
}

/// Nothing of a team the user is not in, nothing of a closed round for an inspector, and
/// each of IA, IB held exactly when the user may see it.
fn in_scope(sim: &Sim<'_>, d: usize, user: User) -> Result<(), TestCaseError> {
    let (st, w) = (&sim.state, sim.w);
    let team_ok = |team: &Value| {
        (team == w.team1.as_str() && st.in_team(user, false))
            || (team == w.team2.as_str() && st.in_team(user, true))
    };
    let target = |id: &Value| sim.inspections.iter().position(|i| id == i.as_str());
    for ((entity, id), data) in &sim.devices[d].store {
        let ok = match entity.as_str() {
            "team" => team_ok(&json!(id)),
            "assignment" | "inspection" => team_ok(&data["team_id"]),
            "answer" | "comment" | "recommendation" | "evidence" | "conflict" => {
                target(&data["inspection_id"]).is_some_and(|t| st.sees(user, t))
            }
            _ => true,
        };
        prop_assert!(
            ok,
            "device {} ({:?}, scope {:?}) holds {} {}",
            d,
            user,
            st,
            entity,
            data
        );
        let of_round = (entity == "round" && id == &w.round) || data["round_id"] == w.round;
        prop_assert!(
            !(user != User::Lead1 && st.round_closed && of_round),
            "inspector's device {} holds {} {} of a closed round",
            d,
            entity,
            id
        );
    }
    for (t, inspection) in sim.inspections.iter().enumerate() {
        prop_assert_eq!(
            sim.devices[d].holds("inspection", inspection).is_some(),
            st.sees(user, t),
            "device {} ({:?}, scope {:?}) and {}",
            d,
            user,
            st,
            TARGETS[t]
        );
    }
    Ok(())
}

/// Every acknowledged value was current once or is kept in a conflict record; acknowledged
/// mutations sent again get the same answer.
pub async fn nothing_lost(sim: &Sim<'_>) -> Result<(), TestCaseError> {
    for (t, inspection) in sim.inspections.iter().enumerate() {
        let sent: Vec<(String, Value)> = sim
            .acked
            .iter()
            .filter(|a| a.target == t)
            .map(|a| &a.mutation)
            // Clearing an answer the device never saw is a no-op, not a value to keep.
            .filter(|m| !(m["value"].is_null() && m["base_version"] == 0))
            .map(|m| {
                let item = m["item_id"].as_str().unwrap().to_owned();
                (item, json!({"value": m["value"], "na": false}))
            })
            .collect();
        let lost = history::lost_values(sim.app, &sim.w.admin, inspection, &sent).await;
        prop_assert!(
            lost.is_empty(),
            "acknowledged values of {} lost: {:?}",
            TARGETS[t],
            lost
        );
    }
    // Sent again (acknowledged ones, and a few refused ones): the same answer.
    let step = (sim.acked.len() / RESENDS).max(1);
    let again = sim
        .acked
        .iter()
        .step_by(step)
        .take(RESENDS)
        .map(|a| (a.dev, &a.mutation, &a.result))
        .chain(sim.refused.iter().take(5).map(|(d, m, r)| (*d, m, r)));
    for (d, m, r) in again {
        let res: Value = sim
            .app
            .authed(Method::POST, "/api/v1/sync/push", &sim.devices[d].token)
            .json(&json!({"schema_version": 1, "mutations": [m]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        // The same answer; its `current` only while the sender may read that row (it may have
        // been left out of the answer the device saw, if the round was closed then).
        let mut got = res["results"][0].clone();
        let current = got.as_object_mut().and_then(|o| o.remove("current"));
        let mut first = r.clone();
        let first_current = first.as_object_mut().and_then(|o| o.remove("current"));
        prop_assert_eq!(&got, &first, "sent again: {}", m);
        prop_assert!(
            current.is_none() || first_current.is_none() || current == first_current,
            "a re-sent answer's current is the stored one or absent: {}",
            m
        );
    }
    Ok(())
}
