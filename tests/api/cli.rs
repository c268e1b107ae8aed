//! The `kiemtra` binary itself: serve (with the demo dataset), migrate, user create,
//! configuration errors, and graceful shutdown on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_kiemtra");

pub(crate) fn kiemtra(data_dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear()
        .env("KIEMTRA_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn");
    c
}

pub(crate) struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    pub(crate) addr: String,
    /// Everything printed before the listening line.
    banner: Vec<String>,
}

impl Server {
    // The child is waited for in `Drop` or `wait_exit`.
    #[allow(clippy::zombie_processes)]
    pub(crate) fn start(mut cmd: Command) -> Server {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn kiemtra");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut banner = Vec::new();
        loop {
            let line = lines
                .recv_timeout(Duration::from_secs(60))
                .expect("server printed its listening line");
            if let Some(rest) = line.strip_prefix("kiemtra listening on http://") {
                let addr = rest.split_whitespace().next().unwrap().to_owned();
                banner.push(line);
                return Server {
                    child,
                    lines,
                    addr,
                    banner,
                };
            }
            banner.push(line);
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    fn sigterm(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    fn wait_exit(mut self) -> std::process::ExitStatus {
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("server did not exit within 30 s of SIGTERM");
    }
}

impl Server {
    pub(crate) fn sigkill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = &self.lines;
    }
}

#[tokio::test]
async fn serve_demo_prints_working_accounts_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = kiemtra(dir.path());
    cmd.args(["serve", "--demo", "--bind", "127.0.0.1:0"]);
    let server = Server::start(cmd);
    let start_line = server.banner.last().unwrap().clone();
    assert!(start_line.contains("database: SQLite"), "{start_line}");
    assert!(
        start_line.contains(&format!("data folder: {}", dir.path().display())),
        "{start_line}"
    );
    let admin_line = server
        .banner
        .iter()
        .find(|l| l.trim_start().starts_with("demo.admin"))
        .expect("demo admin printed")
        .clone();
    let password = admin_line.split_whitespace().nth(2).unwrap().to_owned();
    for role in ["lead", "inspector", "viewer"] {
        assert!(
            server.banner.iter().any(|l| l.contains(role)),
            "a demo {role}: {:?}",
            server.banner
        );
    }

    let client = reqwest::Client::new();
    let res = client.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let t: Value = client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"username": "demo.admin", "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = t["access_token"]
        .as_str()
        .expect("demo admin logs in")
        .to_owned();
    assert_eq!(t["user"]["role"], "admin");

    // The demo domain: an open round with inspections in every review state (team 1's lead has
    // two waiting for review, team 2's one), and the closed 2025 round's approved inspection
    // of Nghi Lộc (demo/followup.rs).
    let mut statuses: Vec<String> = client
        .get(server.url("/api/v1/inspections"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap().to_owned())
        .collect();
    statuses.sort();
    assert_eq!(
        statuses,
        [
            "approved",
            "approved",
            "draft",
            "returned",
            "submitted",
            "submitted",
            "submitted"
        ]
    );
    let units: Value = client
        .get(server.url("/api/v1/units?q=nghi loc"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        units["items"][0]["name"]
            .as_str()
            .unwrap()
            .ends_with("[demo]"),
        "demo data is marked"
    );

    // The generated JWT key is private and survives a restart.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("jwt-secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    server.sigterm();
    assert!(server.wait_exit().success());

    let mut cmd = kiemtra(dir.path());
    cmd.args(["serve", "--demo", "--bind", "127.0.0.1:0"]);
    let server = Server::start(cmd);
    assert!(
        server
            .banner
            .iter()
            .any(|l| l.contains("demo dataset present")),
        "{:?}",
        server.banner
    );
    assert!(
        !server.banner.iter().any(|l| l.contains(&password)),
        "passwords are shown once"
    );
    let res = client
        .get(server.url("/api/v1/me"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        200,
        "token from before the restart still valid"
    );
    let rounds: Value = client
        .get(server.url("/api/v1/rounds"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // The 2026 round and the closed 2025 one (demo/followup.rs), once each.
    assert_eq!(
        rounds.as_array().unwrap().len(),
        2,
        "loading the demo twice changes nothing"
    );
    // Điểm sáng (api/demo/bright_spots.rs): two registered, one recognised, once.
    let spots: Value = client
        .get(server.url("/api/v1/bright-spots"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut spots: Vec<&str> = spots["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    spots.sort();
    assert_eq!(spots, ["recognised", "registered", "registered"]);
}

#[test]
fn migrate_runs_alone_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let count = |engine: &str| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(engine);
        std::fs::read_dir(dir).unwrap().count()
    };
    let out = kiemtra(dir.path()).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let expected = format!("{} migration(s) applied", count("sqlite"));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with(&expected),
        "{out:?}"
    );
    let out = kiemtra(dir.path()).arg("migrate").output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("0 migration(s) applied"),
        "{out:?}"
    );

    match crate::pg::fresh_database() {
        Ok(url) => {
            let out = kiemtra(dir.path())
                .arg("migrate")
                .env("KIEMTRA_DATABASE_URL", &url)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                stdout.starts_with(&format!(
                    "{} migration(s) applied to PostgreSQL",
                    count("postgres")
                )),
                "{out:?}"
            );
        }
        Err(why) if crate::pg::required() => panic!("PostgreSQL required: {why}"),
        Err(why) => eprintln!("!!!!!!!! POSTGRESQL PART SKIPPED: {why}"),
    }
}

#[tokio::test]
async fn user_create_reads_stdin_or_generates() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = kiemtra(dir.path())
        .args([
            "user",
            "create",
            "--username",
            "Hai.Tran",
            "--role",
            "lead",
            "--full-name",
            "Trần Văn Hải",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("mật khẩu từ stdin\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("created lead hai.tran") && !stdout.contains("password"),
        "{stdout}"
    );

    let out = kiemtra(dir.path())
        .args([
            "user",
            "create",
            "--username",
            "gen.user",
            "--role",
            "viewer",
            "--full-name",
            "Người xem",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let generated = stdout
        .lines()
        .find_map(|l| l.strip_prefix("password (shown once): "))
        .expect("generated password printed")
        .to_owned();

    let out = kiemtra(dir.path())
        .args([
            "user",
            "create",
            "--username",
            "hai.tran",
            "--role",
            "viewer",
            "--full-name",
            "Trùng",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already in use"));
    let out = kiemtra(dir.path())
        .args([
            "user",
            "create",
            "--username",
            "x",
            "--role",
            "king",
            "--full-name",
            "X",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());

    let mut cmd = kiemtra(dir.path());
    cmd.args(["serve", "--bind", "127.0.0.1:0"]);
    let server = Server::start(cmd);
    let client = reqwest::Client::new();
    for (u, p) in [
        ("hai.tran", "mật khẩu từ stdin"),
        ("gen.user", generated.as_str()),
    ] {
        let res = client
            .post(server.url("/api/v1/auth/login"))
            .json(&json!({"username": u, "password": p}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{u}");
    }
}

#[test]
fn bad_configuration_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = kiemtra(dir.path())
        .arg("migrate")
        .env("KIEMTRA_LOG_FORMAT", "xml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("log_format"));
    let out = kiemtra(dir.path())
        .arg("migrate")
        .env("KIEMTRA_DB_POOL_SIZE", "many")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let toml = dir.path().join("kiemtra.toml");
    std::fs::write(&toml, "bind = \"127.0.0.1:0\"\naccess_token_ttl_secs = 0\n").unwrap();
    let out = kiemtra(dir.path())
        .args(["--config", toml.to_str().unwrap(), "migrate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lifetimes"));
}

#[test]
fn sigterm_lets_in_flight_requests_finish() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = kiemtra(dir.path());
    cmd.args(["serve", "--bind", "127.0.0.1:0"])
        .env("KIEMTRA_SHUTDOWN_TIMEOUT_SECS", "20");
    let server = Server::start(cmd);

    let body = json!({"username": "nobody", "password": "wrong-password"}).to_string();
    let (first, rest) = body.split_at(10);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));

    server.sigterm();
    std::thread::sleep(Duration::from_millis(500));
    // The request that was under way when the signal came is still answered in full.
    stream.write_all(rest.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    assert!(response.contains("invalid_credentials"), "{response}");

    assert!(server.wait_exit().success());
}
