//! What the binary's test files share: running `scalescope` as a user would (no stdin, no
//! `SCALESCOPE_URL` from the environment) and the core's committed reference data.
#![allow(dead_code)] // each test file is its own crate and uses a part

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Runs the binary with `args`, stdin closed and `SCALESCOPE_URL` unset.
pub fn run(args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_scalescope"))
        .args(args)
        .env_remove("SCALESCOPE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.wait_with_output().expect("the binary finishes")
}

/// What the binary wrote to stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What the binary wrote to stdout.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A file of the core's committed test data (`crates/scalescope-core/tests/data/`).
pub fn core_data(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../scalescope-core/tests/data")
        .join(file)
}

/// Runs the binary with `args`, which must succeed, and reads what it wrote to stdout as
/// JSON.
pub fn json(args: &[&str]) -> serde_json::Value {
    let o = run(args);
    assert!(o.status.success(), "exit {:?}: {}", o.status, stderr(&o));
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}
