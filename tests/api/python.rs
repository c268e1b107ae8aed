//! Pinned Python tools for the tests (the report readers, schemathesis): each in a virtualenv
//! of its own under the target folder, made once and remade when its requirements change. No
//! python3: a loud skip, and a failure in CI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// The venv's Python for the requirements file `reqs` (named `name`), or `None` to skip.
pub fn venv(name: &str, reqs: &Path) -> Option<PathBuf> {
    static MAKING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = MAKING.lock().unwrap_or_else(|p| p.into_inner());
    let have = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        if std::env::var_os("CI").is_some() {
            panic!("python3 is required for {name} (install python3-venv)");
        }
        eprintln!("\n!!!!!!!! {name} TESTS SKIPPED: no python3 on PATH\n");
        return None;
    }
    let wanted = std::fs::read_to_string(reqs).unwrap();
    let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-venv"));
    let bin = venv.join("bin").join("python");
    let stamp = venv.join("requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        let _ = std::fs::remove_dir_all(&venv);
        run(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv (install python3-venv)",
        );
        run(
            Command::new(&bin)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "-r",
                ])
                .arg(reqs),
            "pip install",
        );
        std::fs::write(&stamp, &wanted).unwrap();
    }
    Some(bin)
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
