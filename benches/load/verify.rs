//! After the phases: was any acknowledged write lost, and do the server processes pull alike?
//! Also PostgreSQL's own counters, read around each phase.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::device::{full_pull, Device, Targets};
use super::procs::Cluster;
use super::seed::TEAM_SIZE;

/// Cumulative counters of the bench database.
pub struct PgCounts {
    pub statements: i64,
    pub commits: i64,
    pub wal_syncs: i64,
}

impl PgCounts {
    pub fn read(c: &Cluster) -> PgCounts {
        let n = |sql: &str| c.psql(sql).parse::<i64>().unwrap_or(0);
        PgCounts {
            statements: n(
                "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements s \
                           JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'kiemtra'",
            ),
            commits: n("SELECT xact_commit FROM pg_stat_database WHERE datname = 'kiemtra'"),
            wal_syncs: n("SELECT wal_sync FROM pg_stat_wal"),
        }
    }

    pub fn minus(self, before: &PgCounts) -> PgCounts {
        PgCounts {
            statements: self.statements - before.statements,
            commits: self.commits - before.commits,
            wal_syncs: self.wal_syncs - before.wal_syncs,
        }
    }
}

/// Writes the phase's most-called statements, per push, to `target/load-pg-<n>.txt`, then
/// resets the counts for the next phase.
pub fn top_statements(c: &Cluster, devices: usize, pushes: usize) {
    let rows = c.psql(&format!(
        "SELECT round(calls::numeric / {}, 2), round(mean_exec_time::numeric, 3), \
         round(total_exec_time::numeric), left(regexp_replace(query, '\\s+', ' ', 'g'), 160) \
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid \
         WHERE d.datname = 'kiemtra' ORDER BY total_exec_time DESC LIMIT 40",
        pushes.max(1)
    ));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/load-pg-{devices}.txt"));
    let text = format!("calls per push | mean ms | total ms | statement\n{rows}\n");
    let _ = std::fs::write(&path, text);
    eprintln!("  top statements: {}", path.display());
    c.psql("SELECT pg_stat_statements_reset()");
}

/// Every mutation id the database holds.
async fn stored_ids(db_url: &str) -> HashSet<String> {
    let db = kiemtra::db::Db::connect(db_url, kiemtra::db::PoolSettings::sized(1)).unwrap();
    db.read(|c| {
        use diesel::{QueryDsl, RunQueryDsl};
        use kiemtra::db::schema::sync_mutations as m;
        m::table
            .select(m::mutation_id)
            .load::<String>(c)
            .map_err(kiemtra::db::DbError::from)
    })
    .await
    .unwrap()
    .into_iter()
    .collect()
}

/// Prints the checks; panics if a write was lost or the processes disagree.
pub async fn report(
    http: &reqwest::Client,
    targets: &Targets,
    devices: &[Device],
    db_url: &str,
    setup: &str,
) {
    let stored = stored_ids(db_url).await;
    let acked: usize = devices.iter().map(|d| d.acked.len()).sum();
    let missing = devices
        .iter()
        .flat_map(|d| &d.acked)
        .filter(|id| !stored.contains(*id))
        .count();
    // One device per team pulls everything from each process; its teammates' acknowledged
    // answers must be there, with the version and value the push answered.
    let (mut stale, mut differ, mut checked) = (0, 0, 0);
    for team in devices.chunks(TEAM_SIZE) {
        let mut pulls = Vec::new();
        for base in &targets.bases {
            pulls.push(full_pull(http, base, &team[0].token).await.1);
        }
        if pulls.iter().any(|p| p != &pulls[0]) {
            differ += 1;
        }
        let answers: HashMap<(String, String), (i64, Value)> = pulls[0]
            .iter()
            .filter(|c| c["entity"] == "answer" && c["deleted"] != true)
            .map(|c| {
                let d = &c["data"];
                let key = (
                    d["inspection_id"].as_str().unwrap_or_default().to_owned(),
                    d["item_id"].as_str().unwrap_or_default().to_owned(),
                );
                (
                    key,
                    (d["version"].as_i64().unwrap_or(-1), d["value"].clone()),
                )
            })
            .collect();
        for d in team {
            for (item, known) in &d.known {
                checked += 1;
                if answers.get(&(d.inspection.clone(), item.clone())) != Some(known) {
                    stale += 1;
                }
            }
        }
    }
    println!(
        "[{setup}] {acked} acknowledged mutations, {missing} missing from the database; \
         {checked} last-acknowledged answers checked by full pulls, {stale} differing; \
         {differ} of {} teams pulled differently from the {} processes",
        devices.len().div_ceil(TEAM_SIZE),
        targets.bases.len()
    );
    assert_eq!(
        missing + stale + differ,
        0,
        "lost writes or diverging pulls"
    );
}
