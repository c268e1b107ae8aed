//! `cargo bench --bench hostile`: the server's peak memory while a hostile corpus is uploaded 8
//! at once, against the decoding budget `media.max_decode_alloc` (512 MiB by default; goal:
//! peak resident memory ≤ budget + 64 MB). See docs/performance.md.
//!
//! The corpus is made here (`tests/api/hostile.rs`): WebP, PNG, JPEG and GIF bombs, some far
//! beyond the budget (refused from their headers), some just within it (decoded, one at a time
//! under the budget), and a JPEG whose header lies. The release binary runs as its own process:
//! started once with `--demo` to make the accounts, then again on the same data without it (so
//! idle memory is the server's, not the demo loader's). Its resident set (`VmRSS`) is sampled
//! every 2 ms, and its high-water mark (`VmHWM`, reset through `/proc/<pid>/clear_refs` once
//! signed in) read at the end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/api/hostile.rs"]
mod hostile;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ROUNDS: usize = 3;
const BUDGET: u64 = 512 << 20;

fn status_kb(pid: u32, field: &str) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn mb(kb: u64) -> f64 {
    kb as f64 * 1024.0 / 1e6
}

fn http(method: &str, url: &str, token: Option<&str>, body: Option<Value>) -> Value {
    let mut c = Command::new("curl");
    c.args([
        "-s",
        "-X",
        method,
        url,
        "-H",
        "content-type: application/json",
    ]);
    if let Some(t) = token {
        c.args(["-H", &format!("authorization: Bearer {t}")]);
    }
    if let Some(b) = body {
        c.args(["-d", &b.to_string()]);
    }
    serde_json::from_slice(&c.output().unwrap().stdout).unwrap_or(Value::Null)
}

/// Starts the server; returns it and the lines it printed before listening.
fn serve(dir: &Path, port: u16, demo: bool) -> (Child, Vec<String>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiemtra"));
    cmd.args(["serve", "--bind", &format!("127.0.0.1:{port}")]);
    if demo {
        cmd.arg("--demo");
    }
    let mut server = cmd
        .env("KIEMTRA_DATA_DIR", dir)
        .env("KIEMTRA_LOG_FORMAT", "json")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut printed = Vec::new();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.contains("listening");
        printed.push(line);
        if done {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    (server, printed)
}

fn corpus(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let photo = {
        use image::ImageEncoder;
        let img = image::RgbImage::from_fn(640, 480, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut buf = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 90)
            .write_image(img.as_raw(), 640, 480, image::ExtendedColorType::Rgb8)
            .unwrap();
        buf
    };
    let files: Vec<(&'static str, Vec<u8>)> = vec![
        (
            "WebP lossless 10000 x 10000 (issue 15's bomb)",
            hostile::webp_lossless_flat(10_000, 10_000),
        ),
        (
            "WebP lossless 7500 x 7500",
            hostile::webp_lossless_flat(7_500, 7_500),
        ),
        (
            "PNG 8-bit RGB 9000 x 9000 of zeros",
            hostile::png_zeros(9_000, 9_000, false),
        ),
        (
            "PNG 16-bit RGBA 8200 x 8200 of zeros",
            hostile::png_zeros(8_200, 8_200, true),
        ),
        (
            "JPEG progressive 7000 x 7000, 3 components",
            hostile::jpeg_progressive_flat(7_000, 7_000, 3),
        ),
        (
            "JPEG progressive 10000 x 10000, 3 components",
            hostile::jpeg_progressive_flat(10_000, 10_000, 3),
        ),
        (
            "GIF claiming 65535 x 65535",
            hostile::gif_claiming(65_535, 65_535),
        ),
        (
            "JPEG header claiming 20000 x 5000",
            hostile::jpeg_claiming(&photo, 20_000, 5_000),
        ),
    ];
    files
        .into_iter()
        .enumerate()
        .map(|(i, (what, bytes))| {
            let p = dir.join(format!("hostile-{i}"));
            std::fs::write(&p, bytes).unwrap();
            (what, p)
        })
        .collect()
}

fn upload(base: &str, token: &str, evidence: &str, file: &Path) -> Child {
    Command::new("curl")
        .args(["-s", "-o", "-", "-w", "\n%{http_code}", "-X", "PUT"])
        .args(["-H", &format!("authorization: Bearer {token}")])
        .args([
            "-H",
            "content-type: application/octet-stream",
            "--data-binary",
        ])
        .arg(format!("@{}", file.display()))
        .arg(format!("{base}/api/v1/evidence/{evidence}/content"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Samples the server's resident memory until `done` says so; returns the peak, kB.
fn sample_until(pid: u32, mut done: impl FnMut() -> bool) -> u64 {
    let mut peak = 0;
    loop {
        peak = peak.max(status_kb(pid, "VmRSS:"));
        if done() {
            return peak;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn sign_in(dir: &Path, port: u16, base: &str) -> (Child, String) {
    // First start: the demo dataset and its accounts (passwords printed once).
    let (mut first, printed) = serve(dir, port, true);
    let password = printed
        .iter()
        .find(|l| l.contains("demo.kiemtra3"))
        .and_then(|l| l.split_whitespace().last())
        .expect("demo password printed")
        .to_owned();
    let _ = first.kill();
    let _ = first.wait();
    let (server, _) = serve(dir, port, false);
    let mut token = Value::Null;
    for _ in 0..100 {
        token = http(
            "POST",
            &format!("{base}/api/v1/auth/login"),
            None,
            Some(
                json!({"username": "demo.kiemtra3", "password": password, "device_name": "bench"}),
            ),
        );
        if token.is_object() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (
        server,
        token["access_token"].as_str().expect("login").to_owned(),
    )
}

fn editable_inspection(base: &str, token: &str) -> String {
    let list = http(
        "GET",
        &format!("{base}/api/v1/inspections"),
        Some(token),
        None,
    );
    let items = list.get("items").cloned().unwrap_or(list);
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "returned" || i["status"] == "draft")
        .expect("an editable demo inspection")["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The answer to an upload: its status and, for a refusal, its problem code.
fn answer(c: Child) -> String {
    let out = String::from_utf8_lossy(&c.wait_with_output().unwrap().stdout).into_owned();
    let code = out.lines().last().unwrap_or("").to_owned();
    let problem = serde_json::from_str::<Value>(out.lines().next().unwrap_or(""))
        .ok()
        .and_then(|v| v["code"].as_str().map(str::to_owned));
    format!("{code} {}", problem.unwrap_or_default())
        .trim()
        .to_owned()
}

/// One round: the corpus uploaded 8 at once to fresh evidence; returns the peak resident
/// memory (kB) while they run.
fn round(
    base: &str,
    token: &str,
    ins: &str,
    pid: u32,
    files: &[(&str, PathBuf)],
    answers: &mut [Vec<String>],
) -> u64 {
    let evidence = |_| {
        let body = json!({"item_id": "nv1.quan_triet"});
        let ev = http(
            "POST",
            &format!("{base}/api/v1/inspections/{ins}/evidence"),
            Some(token),
            Some(body),
        );
        ev["id"].as_str().expect("evidence").to_owned()
    };
    let mut running: Vec<(usize, Child)> = files
        .iter()
        .enumerate()
        .map(|(i, (_, p))| (i, upload(base, token, &evidence(i), p)))
        .collect();
    sample_until(pid, || {
        let mut still = Vec::new();
        for (i, mut c) in std::mem::take(&mut running) {
            if c.try_wait().unwrap().is_some() {
                answers[i].push(answer(c));
            } else {
                still.push((i, c));
            }
        }
        running = still;
        running.is_empty()
    })
}

fn main() {
    // `cargo test --benches` runs this binary too; only measure under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let (mut server, token) = sign_in(dir.path(), port, &base);
    let pid = server.id();
    let ins = editable_inspection(&base, &token);
    let files = corpus(dir.path());
    for (what, p) in &files {
        println!("  {what}: {} bytes", std::fs::metadata(p).unwrap().len());
    }
    std::thread::sleep(Duration::from_millis(500));
    // Forget the sign-in's peak (argon2): from here on, the high-water mark is the burst's.
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").unwrap();
    let idle = status_kb(pid, "VmRSS:");
    let started = Instant::now();
    let mut answers: Vec<Vec<String>> = vec![Vec::new(); files.len()];
    let mut peak = idle;
    for _ in 0..ROUNDS {
        peak = peak.max(round(&base, &token, &ins, pid, &files, &mut answers));
    }
    let took = started.elapsed();
    // Thumbnails of the accepted ones follow in the background; keep sampling.
    let until = Instant::now() + Duration::from_secs(30);
    peak = peak.max(sample_until(pid, || Instant::now() > until));
    let hwm = status_kb(pid, "VmHWM:");
    let _ = server.kill();
    let _ = server.wait();
    println!(
        "{ROUNDS} rounds of 8 concurrent uploads in {:.1} s; answers:",
        took.as_secs_f64()
    );
    for ((what, _), a) in files.iter().zip(&answers) {
        println!("  {what}: {}", a.join(" | "));
    }
    let limit = BUDGET as f64 / 1e6;
    let met = mb(hwm.max(peak)) <= limit + 64.0;
    println!(
        "server resident memory: idle {:.1} MB, peak {:.1} MB sampled, {:.1} MB high-water mark; \
         decoding budget {limit:.1} MB; goal peak <= {:.1} MB: {}",
        mb(idle),
        mb(peak),
        mb(hwm),
        limit + 64.0,
        if met { "met" } else { "NOT met" }
    );
}
