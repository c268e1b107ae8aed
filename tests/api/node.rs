//! Node.js and the pinned client packages of tests/clients (installed with `npm ci` on first
//! use). In CI a missing Node is a failure, not a skip.

use std::path::PathBuf;
use std::process::Command;

pub fn clients_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("clients")
}

/// `None` (after a loud notice) when Node is missing outside CI.
pub fn ready(what: &str) -> Option<()> {
    installed(
        what,
        &clients_dir(),
        &["@nozbe/watermelondb", "tus-js-client"],
    )
}

/// Node on the PATH, and `packages` installed in `dir` (with `npm ci` on first use); `None`
/// (after a loud notice) when Node is missing outside CI, a failure in CI.
pub fn installed(what: &str, dir: &std::path::Path, packages: &[&str]) -> Option<()> {
    let have_node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_node {
        if std::env::var_os("CI").is_some() {
            panic!("Node.js is required for the {what} test (install nodejs)");
        }
        eprintln!("\n!!!!!!!! {what} TEST SKIPPED: no node on PATH\n");
        return None;
    }
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _once = INSTALL.lock().unwrap_or_else(|p| p.into_inner());
    let present = packages
        .iter()
        .all(|p| dir.join("node_modules").join(p).exists());
    if !present {
        let out = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .output()
            .expect("npm");
        assert!(
            out.status.success(),
            "npm ci failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Some(())
}
