//! The processes under test: the release server started as its own process (as in
//! `benches/hostile.rs`), a throwaway PostgreSQL cluster with production settings (fsync and
//! synchronous commit on, unlike the test cluster of `tests/api/pg.rs`, which turns them off
//! for speed), and their CPU time and resident memory read from `/proc`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A server process, killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub const JWT_SECRET: &str = "load-bench-secret-load-bench-secret-0123456789";
pub const METRICS_TOKEN: &str = "load-bench-metrics-token-0123456789";

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `kiemtra serve` on a free port and waits for its "listening" line.
pub fn serve(data_dir: &Path, database_url: Option<&str>) -> Server {
    let port = free_port();
    // `KIEMTRA_LOAD_SERVER` names another build of the server: with a target folder shared by
    // several checkouts, the uplifted `target/release/kiemtra` is whichever was built last.
    let server = std::env::var("KIEMTRA_LOAD_SERVER")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_kiemtra").into());
    let mut cmd = Command::new(server);
    cmd.args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("KIEMTRA_DATA_DIR", data_dir)
        .env("KIEMTRA_JWT_SECRET", JWT_SECRET)
        .env("KIEMTRA_METRICS_TOKEN", METRICS_TOKEN)
        // Long enough for the whole run: a device refreshing its token is not what is measured.
        .env("KIEMTRA_ACCESS_TOKEN_TTL_SECS", "14400")
        .env("KIEMTRA_LOG_FORMAT", "json")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(url) = database_url {
        cmd.env("KIEMTRA_DATABASE_URL", url);
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("listening") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

/// A PostgreSQL cluster in a temp folder, stopped and removed when dropped.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    as_root: bool,
    pub url: String,
}

impl Cluster {
    pub fn start() -> Cluster {
        let bin = find_bin_dir().expect("initdb and pg_ctl (Debian's postgresql package)");
        let dir = std::env::temp_dir().join(format!("kiemtra-load-pg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let as_root = is_root();
        if as_root {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir));
        }
        let port = free_port();
        let c = Cluster {
            bin,
            dir,
            as_root,
            url: format!("postgres://postgres@127.0.0.1:{port}/kiemtra"),
        };
        let data = c.dir.join("data");
        run(c
            .pg("initdb")
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "-D",
            ])
            .arg(&data));
        // Production settings (fsync, synchronous_commit and full_page_writes at their
        // defaults, on); pg_stat_statements counts the statements a push costs.
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=100 \
             -c shared_buffers=256MB -c shared_preload_libraries=pg_stat_statements \
             -c pg_stat_statements.track=all -c track_io_timing=on",
            c.dir.display()
        );
        run(c
            .pg("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(c.dir.join("log"))
            .args(["-o", &opts, "-w", "-t", "60", "start"]));
        run(c.pg("psql").args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-U",
            "postgres",
            "-c",
            "CREATE DATABASE kiemtra",
        ]));
        c.psql("CREATE EXTENSION pg_stat_statements");
        c
    }

    fn pg(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        if self.as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    /// Runs one SQL statement in the bench database; its rows, `|`-separated.
    pub fn psql(&self, sql: &str) -> String {
        let out = self
            .pg("psql")
            .args(["-X", "-A", "-t", "-d", &self.url, "-c", sql])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// The postmaster's process id.
    pub fn postmaster(&self) -> Option<u32> {
        let pid = std::fs::read_to_string(self.dir.join("data/postmaster.pid")).ok()?;
        pid.lines().next()?.trim().parse().ok()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .pg("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["stop", "-m", "fast"])
            .stdout(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
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
    candidates.push("/usr/local/bin".into());
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

fn run(cmd: &mut Command) {
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// CPU time (user + system, seconds) and resident memory (kB) of one process.
pub fn sample(pid: u32) -> Option<(f64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    Some((ticks as f64 / clock_ticks(), rss))
}

fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// CPU seconds of a process and all its children (the postmaster and its backends), including
/// backends that have already exited (`cutime`/`cstime` of the parent).
pub fn tree_cpu(root: u32) -> f64 {
    let own = |pid: u32| -> Option<(f64, u32)> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let rest = &stat[stat.rfind(')')? + 2..];
        let f: Vec<&str> = rest.split_whitespace().collect();
        let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        let ppid = num(1) as u32;
        let secs = (num(11) + num(12) + num(13) + num(14)) as f64 / clock_ticks();
        Some((secs, ppid))
    };
    let mut total = own(root).map(|(s, _)| s).unwrap_or(0.0);
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        if let Some((secs, ppid)) = own(pid) {
            if ppid == root {
                total += secs;
            }
        }
    }
    total
}
