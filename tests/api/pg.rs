//! A throwaway PostgreSQL cluster for the whole test run, made with Debian's `initdb` and
//! `pg_ctl` (as the `postgres` user when the tests run as root, since initdb refuses root),
//! or the server named by `KIEMTRA_TEST_PG_URL`. Each test gets a database of its own.
//!
//! `KIEMTRA_TEST_PG=require` turns "no PostgreSQL here" from a loud skip into a failure.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use diesel::{Connection, PgConnection, RunQueryDsl};

pub struct Cluster {
    /// Connects to the `postgres` maintenance database.
    admin_url: String,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();

pub fn required() -> bool {
    std::env::var("KIEMTRA_TEST_PG").is_ok_and(|v| v == "require")
}

/// A URL to a fresh, empty database, or why none can be had.
pub fn fresh_database() -> Result<String, String> {
    let cluster = CLUSTER.get_or_init(start).as_ref().map_err(Clone::clone)?;
    let name = format!("kt_{}", uuid::Uuid::new_v4().simple());
    let mut conn = PgConnection::establish(&cluster.admin_url).map_err(|e| e.to_string())?;
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .map_err(|e| e.to_string())?;
    let base = cluster
        .admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(&cluster.admin_url);
    Ok(format!("{base}/{name}"))
}

fn start() -> Result<Cluster, String> {
    if let Ok(url) = std::env::var("KIEMTRA_TEST_PG_URL") {
        return Ok(Cluster { admin_url: url });
    }
    let bin = find_bin_dir().ok_or("no initdb found (install Debian's postgresql package)")?;
    let dir = std::env::temp_dir().join(format!("kiemtra-test-pg-{}", std::process::id()));
    let data = dir.join("data");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let as_root = is_root();
    if as_root {
        run(Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir))?;
    }
    let port = free_port()?;
    let pg = |tool: &str| -> Command {
        let exe = bin.join(tool);
        if as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    };
    run(pg("initdb")
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "-D",
        ])
        .arg(&data))?;
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
        dir.display()
    );
    run(pg("pg_ctl")
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(dir.join("log"))
        .args(["-o", &opts, "-w", "-t", "60", "start"]))?;
    watch_and_stop(&bin, &dir, &data, as_root);
    Ok(Cluster {
        admin_url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
    })
}

/// A detached watchdog stops the cluster and removes its files once this test process ends,
/// however it ends; statics are never dropped, so nothing in-process could.
fn watch_and_stop(bin: &Path, dir: &Path, data: &Path, as_root: bool) {
    let me = std::process::id();
    let stop = format!(
        "{}{} -D {} stop -m immediate",
        if as_root {
            "runuser -u postgres -- "
        } else {
            ""
        },
        bin.join("pg_ctl").display(),
        data.display()
    );
    let script = format!(
        "while kill -0 {me} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {}",
        dir.display()
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

fn find_bin_dir() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .collect();
    candidates.sort();
    candidates.reverse();
    if let Ok(path) = std::env::var("PATH") {
        candidates.extend(std::env::split_paths(&path));
    }
    candidates
        .into_iter()
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
