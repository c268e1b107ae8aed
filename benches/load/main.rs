//! `cargo bench --bench load`: many phones syncing at once against the real release server
//! (issue 19; docs/performance.md). For each engine — SQLite with one process, then a
//! throwaway PostgreSQL cluster with two processes behind a round-robin balancer (the load
//! generator alternates between them) — it seeds a province, signs in the devices, then for
//! each device count runs push-then-pull cycles and prints one row per count: throughput,
//! latency per endpoint, errors, the servers' CPU and memory, and for PostgreSQL the statements,
//! commits and WAL fsyncs per push. It ends by checking that nothing acknowledged was lost and
//! that both processes pull the same changes.
//!
//! Settings (environment):
//! - `KIEMTRA_LOAD_DEVICES` (default `50,200,500`): the device counts, one phase each;
//! - `KIEMTRA_LOAD_SECS` (30): the length of each phase (the run: 80);
//! - `KIEMTRA_LOAD_ENGINES` (`sqlite,pg`); `KIEMTRA_LOAD_PROCESSES` (2): server processes on
//!   PostgreSQL;
//! - `KIEMTRA_LOAD_PER_PUSH` (17) answers per push, `KIEMTRA_LOAD_PERIOD_MS` (4000) between a
//!   device's cycles (± 25 %);
//! - `KIEMTRA_LOAD_PERF=1`: record the largest phase with `perf` (see [`profile`]);
//! - `KIEMTRA_LOAD_SERVER`: the server binary to start (default: the one cargo built).
//!
//! PostgreSQL's statements and commits per push come from `pg_stat_statements` and
//! `pg_stat_database`; the server counts its own too (`kiemtra_db_statements_total` and
//! `kiemtra_db_commits_total` on `/metrics`, and tests/api/sync_cost.rs bounds them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod device;
mod procs;
mod seed;
mod verify;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use device::{Device, Tally, Targets};
use futures_util::StreamExt;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Plan {
    counts: Vec<usize>,
    secs: u64,
    per_push: usize,
    period: Duration,
    processes: usize,
}

/// One phase's row of the table.
struct Row {
    setup: String,
    devices: usize,
    secs: f64,
    tally: Tally,
    /// CPU seconds of the kiemtra processes, and of PostgreSQL (all its processes).
    cpu: f64,
    pg_cpu: Option<f64>,
    peak_rss_kb: Vec<u64>,
    pg: Option<verify::PgCounts>,
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
    v[i]
}

fn ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2} s", v / 1000.0)
    } else {
        format!("{v:.0} ms")
    }
}

impl Row {
    fn print(&mut self) {
        let t = &mut self.tally;
        let per_push = |x: f64| x / t.pushes.max(1) as f64;
        let lat = |v: &mut Vec<f64>| {
            format!(
                "{} / {} / {}",
                ms(pct(v, 0.5)),
                ms(pct(v, 0.95)),
                ms(pct(v, 0.99))
            )
        };
        let rss: Vec<String> = self
            .peak_rss_kb
            .iter()
            .map(|k| format!("{:.0}", *k as f64 / 1024.0))
            .collect();
        let pg_cpu = self.pg_cpu.map_or("–".into(), |c| {
            format!(
                "{:.0} % ({:.1} ms/push)",
                100.0 * c / self.secs,
                per_push(c * 1000.0)
            )
        });
        let pg = self.pg.as_ref().map_or("–".into(), |p| {
            format!(
                "{:.0} / {:.2} / {:.2}",
                per_push(p.statements as f64),
                per_push(p.commits as f64),
                per_push(p.wal_syncs as f64)
            )
        });
        println!(
            "| {} | {} | {:.1} | {:.0} | {} | {} | {} | {} | {:.0} % ({:.1} ms/push) | {} MiB | {} | {} |",
            self.setup,
            self.devices,
            t.pushes as f64 / self.secs,
            t.mutations as f64 / self.secs,
            lat(&mut t.push_ms),
            lat(&mut t.pull_ms),
            t.pull_ms.len(),
            t.errors + t.not_applied,
            100.0 * self.cpu / self.secs,
            per_push(self.cpu * 1000.0),
            rss.join(" + "),
            pg_cpu,
            pg,
        );
        if let Some(e) = &t.first_error {
            println!(
                "|  | first error: {} |",
                e.chars().take(300).collect::<String>()
            );
        }
    }
}

/// Samples the servers' resident memory every 200 ms until stopped; the peak of each.
fn watch_rss(pids: Vec<u32>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<Vec<u64>> {
    std::thread::spawn(move || {
        let peaks: Vec<AtomicU64> = pids.iter().map(|_| AtomicU64::new(0)).collect();
        while !stop.load(Ordering::Relaxed) {
            for (pid, peak) in pids.iter().zip(&peaks) {
                if let Some((_, rss)) = procs::sample(*pid) {
                    peak.fetch_max(rss, Ordering::Relaxed);
                }
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        peaks.into_iter().map(|p| p.into_inner()).collect()
    })
}

/// With `KIEMTRA_LOAD_PERF=1`, the largest phase runs under `perf record` (call graphs, 499 Hz)
/// of each server process, to `load-perf-<engine>-<i>.data` in the target folder
/// (`CARGO_TARGET_DIR` when set, as with the shared one; else `target/`).
fn profile(pids: &[u32], largest: bool, secs: u64, pg: bool) -> Vec<std::process::Child> {
    if !largest || std::env::var("KIEMTRA_LOAD_PERF").is_err() {
        return Vec::new();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let engine = if pg { "pg" } else { "sqlite" };
    pids.iter()
        .enumerate()
        .filter_map(|(i, pid)| {
            std::process::Command::new("perf")
                .args(["record", "-F", "499", "-g", "-p", &pid.to_string(), "-o"])
                .arg(target.join(format!("load-perf-{engine}-{i}.data")))
                .args(["--", "sleep", &secs.to_string()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .ok()
        })
        .collect()
}

async fn engine(plan: &Plan, pg: Option<&procs::Cluster>) -> Vec<Row> {
    let most = *plan.counts.iter().max().unwrap();
    let dirs: Vec<tempfile::TempDir> = (0..if pg.is_some() { plan.processes } else { 1 })
        .map(|_| tempfile::tempdir().unwrap())
        .collect();
    let url = pg.map(|c| c.url.as_str());
    let setup = match pg {
        Some(_) => format!("{} processes, PostgreSQL", plan.processes),
        None => "1 process, SQLite".into(),
    };
    eprintln!("[{setup}] seeding {most} devices");
    let accounts = seed::accounts(dirs[0].path(), url, most).await;
    let servers: Vec<procs::Server> = dirs.iter().map(|d| procs::serve(d.path(), url)).collect();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    let (round, units) = seed::province(&http, &servers[0].base, &accounts, most).await;
    let targets = Targets::new(servers.iter().map(|s| s.base.clone()).collect());
    let mut devices: Vec<Device> = futures_util::stream::iter(0..most)
        .map(|i| {
            let base = targets.bases[i % targets.bases.len()].clone();
            let (http, round, unit) = (&http, &round, &units[i]);
            async move { Device::start(http, &base, i, round, unit).await }
        })
        .buffered(4)
        .collect()
        .await;
    let items = Arc::new(device::checklist());
    let pids: Vec<u32> = servers.iter().map(|s| s.child.id()).collect();
    let mut rows = Vec::new();
    for &n in &plan.counts {
        eprintln!("[{setup}] {n} devices for {} s", plan.secs);
        let _ = std::process::Command::new("sync").status();
        tokio::time::sleep(Duration::from_secs(2)).await;
        let pg_before = pg.map(verify::PgCounts::read);
        let cpu_before: f64 = pids
            .iter()
            .filter_map(|p| procs::sample(*p))
            .map(|s| s.0)
            .sum();
        let pg_cpu_before = pg.and_then(|c| c.postmaster()).map(procs::tree_cpu);
        let stop = Arc::new(AtomicBool::new(false));
        let rss = watch_rss(pids.clone(), stop.clone());
        let perf = profile(&pids, n == most, plan.secs, pg.is_some());
        let started = Instant::now();
        let until = started + Duration::from_secs(plan.secs);
        let mut tasks = Vec::new();
        for mut d in devices.drain(..n) {
            let (http, targets, items) = (http.clone(), targets.clone(), items.clone());
            let (per_push, period) = (plan.per_push, plan.period);
            tasks.push(tokio::spawn(async move {
                let t = d
                    .run(&http, &targets, &items, per_push, period, until)
                    .await;
                (d, t)
            }));
        }
        let mut tally = Tally::default();
        let mut back = Vec::new();
        for t in tasks {
            let (d, t) = t.await.unwrap();
            tally.merge(t);
            back.push(d);
        }
        let secs = started.elapsed().as_secs_f64();
        back.append(&mut devices);
        devices = back;
        stop.store(true, Ordering::Relaxed);
        for mut p in perf {
            let _ = p.wait();
        }
        let cpu_after: f64 = pids
            .iter()
            .filter_map(|p| procs::sample(*p))
            .map(|s| s.0)
            .sum();
        let pg_cpu = pg
            .and_then(|c| c.postmaster())
            .map(procs::tree_cpu)
            .zip(pg_cpu_before)
            .map(|(a, b)| a - b);
        // Counted before the top statements are written, which resets pg_stat_statements.
        let pg_counts = pg.zip(pg_before).map(|(c, before)| {
            let counts = verify::PgCounts::read(c).minus(&before);
            verify::top_statements(c, n, tally.pushes);
            counts
        });
        rows.push(Row {
            setup: setup.clone(),
            devices: n,
            secs,
            tally,
            cpu: cpu_after - cpu_before,
            pg_cpu,
            peak_rss_kb: rss.join().unwrap(),
            pg: pg_counts,
        });
    }
    devices.sort_by_key(|d| d.index);
    let db_url = url
        .map(str::to_owned)
        .unwrap_or_else(|| dirs[0].path().join("kiemtra.db").display().to_string());
    verify::report(&http, &targets, &devices, &db_url, &setup).await;
    drop(servers);
    rows
}

fn main() {
    let plan = Plan {
        counts: std::env::var("KIEMTRA_LOAD_DEVICES")
            .unwrap_or_else(|_| "50,200,500".into())
            .split(',')
            .map(|n| n.trim().parse().unwrap())
            .collect(),
        secs: env_or("KIEMTRA_LOAD_SECS", 30),
        per_push: env_or("KIEMTRA_LOAD_PER_PUSH", 17),
        period: Duration::from_millis(env_or("KIEMTRA_LOAD_PERIOD_MS", 4000)),
        processes: env_or("KIEMTRA_LOAD_PROCESSES", 2),
    };
    let engines = std::env::var("KIEMTRA_LOAD_ENGINES").unwrap_or_else(|_| "sqlite,pg".into());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let started = Instant::now();
    let mut rows = Vec::new();
    for e in engines.split(',') {
        match e.trim() {
            "sqlite" => rows.extend(rt.block_on(engine(&plan, None))),
            "pg" => {
                let cluster = procs::Cluster::start();
                rows.extend(rt.block_on(engine(&plan, Some(&cluster))));
            }
            other => panic!("unknown engine {other} (sqlite, pg)"),
        }
    }
    println!();
    println!(
        "{} answers a push, a cycle every {} ms ± 25 % per device, {} s per phase; whole run {:.0} s",
        plan.per_push,
        plan.period.as_millis(),
        plan.secs,
        started.elapsed().as_secs_f64()
    );
    println!();
    println!("| setup | devices | pushes/s | answers/s | push p50 / p95 / p99 | pull p50 / p95 / p99 | pull requests | errors | kiemtra CPU (of one core) | kiemtra peak RSS | PostgreSQL CPU | statements / commits / WAL fsyncs per push |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for r in &mut rows {
        r.print();
    }
}
