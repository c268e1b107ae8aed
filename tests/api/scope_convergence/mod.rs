//! Convergence through scope changes (proptest), on both engines. Four devices (insp1's phone
//! and tablet, insp2's phone, lead1's) edit and clear answers of two inspections offline (IA of
//! unit A, team 1; IB of unit B, team 2), sync with lost responses and retries, while the
//! administrator changes their scope: insp1 joins and leaves team 2, the round closes and
//! reopens, unit A moves to team 2 and back. Each device keeps a local store filled only by
//! pulls (small pages, tombstones cascading as docs/sync.md says). At the end, after everyone
//! syncs:
//! - each device's store is exactly a fresh pull for its user, and holds nothing its user may
//!   not see (and every inspection it may);
//! - every push was refused exactly when its sender could not write at that moment, with the
//!   reason the rules give, and no push answer carried a row its receiver may not read;
//! - every acknowledged value was current once or is kept in a conflict record, and
//!   acknowledged mutations sent again get the same answer.
//!
//! Each case runs on a fresh server and world, so scope changes never leak between cases.
//! `known_sequences_converge` replays the sequences the search has found (`known`).

mod check;
mod device;
mod known;
mod model;
mod sim;

use proptest::prelude::*;

use crate::helpers::{Engine, TestApp};
use crate::world::World;
use model::{ScopeOp, SCOPE_OPS};
use sim::Sim;

#[derive(Debug, Clone)]
pub enum Op {
    /// `dev` sets item `ITEMS[item]` of inspection `TARGETS[target]` (if it holds it).
    Edit {
        dev: usize,
        target: usize,
        item: usize,
        val: usize,
    },
    Clear {
        dev: usize,
        target: usize,
        item: usize,
    },
    /// Push (its response lost if `drop_push`), then pull until quiet (the page numbered
    /// `drop_pull`, or the last, lost).
    Sync {
        dev: usize,
        drop_push: bool,
        drop_pull: Option<usize>,
    },
    Scope(ScopeOp),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0..4usize, 0..2usize, 0..3usize, 0..5usize)
            .prop_map(|(dev, target, item, val)| Op::Edit { dev, target, item, val }),
        1 => (0..4usize, 0..2usize, 0..3usize)
            .prop_map(|(dev, target, item)| Op::Clear { dev, target, item }),
        4 => (0..4usize, any::<bool>(), prop::option::weighted(0.3, 0..3usize))
            .prop_map(|(dev, drop_push, drop_pull)| Op::Sync { dev, drop_push, drop_pull }),
        1 => prop::sample::select(SCOPE_OPS.to_vec()).prop_map(Op::Scope),
    ]
}

async fn run_case(engine: Engine, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let Some(app) = TestApp::spawn(engine).await else {
        return Ok(());
    };
    let w = World::build(&app).await;
    let mut sim = Sim::start(&app, &w).await;
    for op in ops {
        match op {
            Op::Edit {
                dev,
                target,
                item,
                val,
            } => sim.edit(dev, target, item, Some(val)),
            Op::Clear { dev, target, item } => sim.edit(dev, target, item, None),
            Op::Sync {
                dev,
                drop_push,
                drop_pull,
            } => sim.sync(dev, drop_push, drop_pull).await?,
            Op::Scope(s) => sim.change_scope(s).await,
        }
    }
    // Everyone pushes, then pulls until quiet; twice, so the first ones hear the last ones.
    for _ in 0..2 {
        for d in 0..sim.devices.len() {
            sim.sync(d, false, None).await?;
        }
    }
    check::converged(&sim).await?;
    check::nothing_lost(&sim).await
}

fn run(engine: Engine, default_cases: u32) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default_cases);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        // Every case starts a server: keep shrinking bounded.
        max_shrink_iters: 512,
        max_shrink_time: 45_000,
        ..ProptestConfig::default()
    });
    let started = std::time::Instant::now();
    runner
        .run(&proptest::collection::vec(op(), 8..40), |ops| {
            rt.block_on(run_case(engine, ops))
        })
        .unwrap();
    eprintln!(
        "scope_convergence {engine:?}: {cases} cases in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// Every known sequence, each reported on its own.
fn run_known(engine: Engine) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let failed: Vec<String> = known::sequences()
        .into_iter()
        .filter_map(|(name, ops)| {
            let r = rt.block_on(run_case(engine, ops.clone()));
            r.err().map(|e| format!("{name}\n  ops: {ops:?}\n  {e}"))
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

mod devices_converge_through_scope_changes {
    use crate::helpers::Engine;

    #[test]
    fn sqlite() {
        super::run(Engine::Sqlite, 16);
    }

    #[test]
    fn postgres() {
        super::run(Engine::Postgres, 6);
    }
}

mod known_sequences_converge {
    use crate::helpers::Engine;

    #[test]
    fn sqlite() {
        super::run_known(Engine::Sqlite);
    }

    #[test]
    fn postgres() {
        super::run_known(Engine::Postgres);
    }
}
