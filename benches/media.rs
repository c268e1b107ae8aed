//! `cargo bench --bench media`: photo ingest beside its anchors, in one run (see
//! docs/performance.md):
//! - the whole ingest of a real 12-megapixel camera JPEG (SHA-256, verification by decoding,
//!   EXIF, both thumbnails) against `vipsthumbnail` (Debian's libvips-tools) making the same
//!   two thumbnails from the same file;
//! - the server's memory while 8 uploads of 40 MB run at once, against its memory at idle
//!   (the release binary as its own process, its resident set sampled from /proc).
//!
//! The photo: `KIEMTRA_BENCH_PHOTO`, else `flower.jpg` (4256 × 2832, a camera original) that
//! the rust-embed crate (a dependency of the Swagger UI) ships in the cargo registry.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kiemtra::media::inspect::{self, Limits};
use kiemtra::media::{spool, thumbs};
use serde_json::{json, Value};

const RUNS: usize = 9;

fn photo() -> PathBuf {
    if let Some(p) = std::env::var_os("KIEMTRA_BENCH_PHOTO") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    for reg in std::fs::read_dir(home.join("registry/src"))
        .unwrap()
        .flatten()
    {
        for krate in std::fs::read_dir(reg.path()).unwrap().flatten() {
            let name = krate.file_name().to_string_lossy().into_owned();
            let p = krate.path().join("examples/public/images/flower.jpg");
            if name.starts_with("rust-embed-") && p.exists() {
                return p;
            }
        }
    }
    panic!("no 12 MP photo: set KIEMTRA_BENCH_PHOTO");
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn kiemtra_ingest(path: &Path, limits: &Limits, out: &Path) -> Duration {
    let started = Instant::now();
    let sha = spool::hash_file(path).unwrap();
    let facts = inspect::inspect(path, limits).unwrap();
    let thumbs = thumbs::render(
        path,
        facts.format,
        facts.exif.orientation,
        &thumbs::SIZES,
        limits,
    )
    .unwrap();
    let took = started.elapsed();
    for (size, bytes) in thumbs {
        std::fs::write(out.join(format!("kiemtra-{size}.jpg")), bytes).unwrap();
    }
    assert_eq!(sha.len(), 32);
    took
}

fn vips(path: &Path, out: &Path) -> Option<Duration> {
    let started = Instant::now();
    for size in thumbs::SIZES {
        let st = Command::new("vipsthumbnail")
            .arg(path)
            .args(["-s", &size.to_string(), "-o"])
            .arg(out.join(format!("vips-{size}.jpg[Q=82,strip]")))
            .status()
            .ok()?;
        assert!(st.success());
    }
    Some(started.elapsed())
}

fn ingest_vs_vips() {
    let path = photo();
    let out = tempfile::tempdir().unwrap();
    let limits = Limits::from(&kiemtra::config::MediaSettings::default());
    let facts = inspect::inspect(&path, &limits).unwrap();
    let bytes = std::fs::metadata(&path).unwrap().len();
    println!(
        "photo: {} ({} × {}, {:.1} MP, {:.2} MB)",
        path.display(),
        facts.width,
        facts.height,
        f64::from(facts.width * facts.height) / 1e6,
        bytes as f64 / 1e6
    );
    let have_vips = Command::new("vipsthumbnail")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let (mut k, mut v) = (Vec::new(), Vec::new());
    // Interleaved, so both see the same machine.
    for _ in 0..RUNS {
        k.push(kiemtra_ingest(&path, &limits, out.path()));
        if have_vips {
            v.push(vips(&path, out.path()).unwrap());
        }
    }
    let k = median(k);
    println!("kiemtra ingest (hash + verify + EXIF + 320 & 1280 thumbnails): {:>7.1} ms (median of {RUNS})", k.as_secs_f64() * 1e3);
    if have_vips {
        let v = median(v);
        println!("vipsthumbnail, the same two thumbnails:                     {:>7.1} ms (median of {RUNS})", v.as_secs_f64() * 1e3);
        println!(
            "ratio kiemtra / libvips: {:.2} (goal <= 1.0)",
            k.as_secs_f64() / v.as_secs_f64()
        );
    } else {
        println!("vipsthumbnail not found (apt-get install libvips-tools): no anchor measured");
    }
}

// ---- memory under 8 concurrent 40 MB uploads ----

fn rss_kb(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A JPEG of about `target` bytes: big, detailed (noise), 8 copies made distinct by a comment
/// segment so none is deduplicated.
fn big_jpegs(dir: &Path, target: usize, n: usize) -> Vec<PathBuf> {
    use image::ImageEncoder;
    let (w, h) = (6000u32, 4500u32);
    // A 27-megapixel scene: gradients with sensor-like noise; padded below to the target size.
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let r =
            (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)).wrapping_mul(2_246_822_519);
        let n = (r >> 28) as u8;
        image::Rgb([
            ((x * 255 / w) as u8).wrapping_add(n),
            ((y * 255 / h) as u8).wrapping_add(n),
            (((x + y) / 40) % 256) as u8,
        ])
    });
    let mut buf = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 92)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    assert!(
        buf.len() < target,
        "the base JPEG ({} bytes) is already over the target",
        buf.len()
    );
    // Pad with comment segments to the target size (still a valid JPEG).
    let mut padded = buf[..2].to_vec();
    while padded.len() + buf.len() < target {
        let chunk = (target - padded.len() - buf.len()).min(65_000);
        padded.extend_from_slice(&[0xFF, 0xFE]);
        padded.extend_from_slice(&((chunk + 2) as u16).to_be_bytes());
        padded.extend(std::iter::repeat_n(b'k', chunk));
    }
    (0..n)
        .map(|i| {
            let p = dir.join(format!("big-{i}.jpg"));
            let mut f = std::fs::File::create(&p).unwrap();
            f.write_all(&padded[..2]).unwrap();
            f.write_all(&[0xFF, 0xFE, 0, 10]).unwrap();
            f.write_all(format!("copy{i:04}").as_bytes()).unwrap();
            f.write_all(&padded[2..]).unwrap();
            f.write_all(&buf[2..]).unwrap();
            p
        })
        .collect()
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
    let out = c.output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

fn memory_under_uploads() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = Command::new(env!("CARGO_BIN_EXE_kiemtra"))
        .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
        .env("KIEMTRA_DATA_DIR", dir.path())
        .env("KIEMTRA_LOG_FORMAT", "json")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = server.id();
    // The demo accounts' passwords are printed once, at the first start.
    let mut password = None;
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.contains("demo.kiemtra3") {
            password = line.split_whitespace().last().map(str::to_owned);
        }
        if line.contains("listening") || line.contains(&port.to_string()) {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let password = password.expect("demo password printed");
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
    let token = token["access_token"].as_str().expect("login").to_owned();
    let list = http(
        "GET",
        &format!("{base}/api/v1/inspections"),
        Some(&token),
        None,
    );
    let items = list.get("items").cloned().unwrap_or(list);
    let ins = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "returned" || i["status"] == "draft")
        .expect("an editable demo inspection")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let item = "nv1.quan_triet";
    let files = big_jpegs(dir.path(), 40 * 1000 * 1000, 8);
    println!(
        "uploading 8 JPEGs of {:.1} MB each (6000 × 4500 pixels)",
        std::fs::metadata(&files[0]).unwrap().len() as f64 / 1e6
    );
    let ids: Vec<String> = (0..8)
        .map(|_| {
            http(
                "POST",
                &format!("{base}/api/v1/inspections/{ins}/evidence"),
                Some(&token),
                Some(json!({"item_id": item})),
            )["id"]
                .as_str()
                .expect("evidence")
                .to_owned()
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let idle = rss_kb(pid);
    let started = Instant::now();
    let uploads: Vec<_> = ids
        .iter()
        .zip(&files)
        .map(|(id, f)| {
            Command::new("curl")
                .args([
                    "-s",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    "-X",
                    "PUT",
                    "-H",
                    &format!("authorization: Bearer {token}"),
                    "-H",
                    "content-type: image/jpeg",
                    "--data-binary",
                ])
                .arg(format!("@{}", f.display()))
                .arg(format!("{base}/api/v1/evidence/{id}/content"))
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut peak = idle;
    let mut children = uploads;
    let mut codes = Vec::new();
    while !children.is_empty() {
        peak = peak.max(rss_kb(pid));
        std::thread::sleep(Duration::from_millis(5));
        let mut still = Vec::new();
        for mut c in children {
            if c.try_wait().unwrap().is_some() {
                let out = c.wait_with_output().unwrap();
                codes.push(String::from_utf8_lossy(&out.stdout).into_owned());
            } else {
                still.push(c);
            }
        }
        children = still;
    }
    let took = started.elapsed();
    // Thumbnails follow in the background; keep sampling until they are done.
    let until = Instant::now() + Duration::from_secs(20);
    while Instant::now() < until {
        peak = peak.max(rss_kb(pid));
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = server.kill();
    let _ = server.wait();
    println!(
        "8 concurrent uploads of 40 MB: answers {codes:?} in {:.1} s",
        took.as_secs_f64()
    );
    println!("server resident memory: idle {:.1} MB, peak {:.1} MB, peak above idle {:.1} MB (goal < 100 MB)", idle as f64 / 1024.0, peak as f64 / 1024.0, (peak - idle) as f64 / 1024.0);
}

fn main() {
    // `cargo test --benches` runs this binary too; only measure under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    ingest_vs_vips();
    memory_under_uploads();
}
