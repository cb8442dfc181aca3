//! `cargo xtask fuzz [--time S]`: every cargo-fuzz target in `fuzz/` for S seconds each,
//! from its committed seed corpus; `cargo xtask test` runs them briefly.
//!
//! cargo-fuzz needs a nightly toolchain. Where the machine has none, the step says so and is
//! skipped rather than failed (a user's clone on stable still tests everything else).

use crate::tools::{root, run, show};
use std::process::Command;

/// The cargo-fuzz release this was set up with (`cargo install --locked`).
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// The targets, in `fuzz/Cargo.toml`'s order.
pub const TARGETS: [&str; 5] = [
    "read_table",
    "share_link",
    "job_wire",
    "fit_points",
    "formula",
];

/// Whether `cargo +nightly` runs here.
fn has_nightly() -> bool {
    Command::new("cargo")
        .args(["+nightly", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Installs cargo-fuzz when `cargo fuzz` is missing or another version.
fn ensure_cargo_fuzz() -> Result<(), String> {
    let found = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if found
        .as_deref()
        .is_some_and(|v| v.contains(CARGO_FUZZ_VERSION))
    {
        println!("xtask: cargo-fuzz {CARGO_FUZZ_VERSION}: present");
        return Ok(());
    }
    println!("xtask: installing cargo-fuzz {CARGO_FUZZ_VERSION} (about 2 minutes)");
    run(Command::new("cargo").args([
        "install",
        "--locked",
        "cargo-fuzz",
        "--version",
        CARGO_FUZZ_VERSION,
    ]))
}

/// Runs every target for `seconds` each. Findings are failures: libFuzzer's crash, timeout
/// (10 s per input) and out-of-memory (2 GB) reports end the run with the input saved under
/// `fuzz/artifacts/`.
pub fn fuzz(seconds: u64) -> Result<(), String> {
    if !has_nightly() {
        println!(
            "\nxtask: fuzzing skipped: no nightly toolchain here (cargo-fuzz needs `cargo +nightly`)"
        );
        return Ok(());
    }
    ensure_cargo_fuzz()?;
    let root = root();
    for target in TARGETS {
        // The committed seeds stay as they are: new inputs go to a scratch corpus first.
        let scratch = root.join("fuzz").join("target").join("corpus").join(target);
        std::fs::create_dir_all(&scratch)
            .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
        let mut cmd = Command::new("cargo");
        cmd.current_dir(&root)
            .args(["+nightly", "fuzz", "run", target])
            .arg(&scratch)
            .arg(root.join("fuzz").join("corpus").join(target))
            .args(["--", &format!("-max_total_time={seconds}")])
            .args(["-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1"]);
        run(&mut cmd).map_err(|e| {
            format!(
                "{e}\nxtask: the failing input is under fuzz/artifacts/{target}/ (rerun: {})",
                show(&cmd)
            )
        })?;
    }
    Ok(())
}

/// The `--time S` of `cargo xtask fuzz`, default `default`.
pub fn parse_time(args: &[String], default: u64) -> Result<u64, String> {
    match args {
        [] => Ok(default),
        [flag, s] if flag == "--time" => s
            .parse()
            .map_err(|_| format!("--time takes whole seconds, not '{s}'")),
        _ => Err("usage: cargo xtask fuzz [--time SECONDS]".to_string()),
    }
}
