//! The commands: serve, test, dist.

use crate::tools::{self, run, Tools};
use crate::{fuzz, size};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// A cargo command in the workspace root with the tools on PATH.
fn cargo(t: &Tools, args: &[&str]) -> Command {
    let mut c = Command::new("cargo");
    c.args(args).current_dir(&t.root).env("PATH", &t.path);
    c
}

/// `cargo xtask serve`.
pub fn serve() -> Result<(), String> {
    let t = tools::ensure_build_tools()?;
    println!("\nxtask: serving on http://127.0.0.1:8080 (Ctrl-C to stop; edits rebuild the page)");
    run(Command::new("trunk")
        .args([
            "serve",
            "--public-url",
            "/",
            "--address",
            "127.0.0.1",
            "--port",
            "8080",
        ])
        .current_dir(&t.root)
        .env("PATH", &t.path))
}

/// `cargo xtask dist`.
pub fn dist() -> Result<(), String> {
    let t = tools::ensure_build_tools()?;
    trunk_release(&t)?;
    let s = size::measure(&t.root.join("dist"))?;
    println!("\nxtask: dist/ is ready: copy it to any static host (also a sub-path).");
    println!("{s}");
    Ok(())
}

fn trunk_release(t: &Tools) -> Result<(), String> {
    run(Command::new("trunk")
        .args(["build", "--release", "--public-url", "./"])
        .current_dir(&t.root)
        .env("PATH", &t.path))
}

/// Counts of `test result:` lines seen in a run.
#[derive(Default)]
struct Counts {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Counts {
    /// Reads one libtest summary line: `test result: ok. 12 passed; 0 failed; 1 ignored; ...`.
    fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(';') {
            let words: Vec<&str> = part.split_whitespace().collect();
            let (num, what) = match words.as_slice() {
                [.., n, w] => (n.parse::<u64>().unwrap_or(0), *w),
                _ => continue,
            };
            match what {
                "passed" => self.passed += num,
                "failed" => self.failed += num,
                "ignored" => self.ignored += num,
                _ => {}
            }
        }
    }
}

/// Runs a test command, echoing its output and counting its tests.
fn run_counted(cmd: &mut Command, counts: &mut Counts) -> Result<(), String> {
    let shown = tools::show(cmd);
    println!("\n==> {shown}");
    let started = std::time::Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            counts.add_line(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("`{shown}` did not finish: {e}"))?;
    println!("<== {:.0} s: {shown}", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// `cargo xtask test`: every check, failing on the first problem.
pub fn test() -> Result<(), String> {
    let started = std::time::Instant::now();
    let t = tools::ensure_build_tools()?;
    tools::ensure_browser(&t.path)?;
    let mut native = Counts::default();
    let mut browser = Counts::default();
    let mut e2e = Counts::default();

    run(&mut cargo(&t, &["fmt", "--all", "--check"]))?;
    run(&mut cargo(
        &t,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run_counted(
        &mut cargo(
            &t,
            &[
                "test",
                "--workspace",
                "--locked",
                "--exclude",
                "scalescope-web",
            ],
        ),
        &mut native,
    )?;
    run_counted(
        &mut cargo(
            &t,
            &[
                "test",
                "--locked",
                "-p",
                "scalescope-web",
                "--lib",
                "--bins",
            ],
        ),
        &mut native,
    )?;
    run(&mut cargo(
        &t,
        &[
            "build",
            "--locked",
            "-p",
            "scalescope-core",
            "--target",
            "wasm32-unknown-unknown",
        ],
    ))?;
    trunk_release(&t)?;
    let sizes = size::measure(&t.root.join("dist"))?;
    let mut browser_tests = cargo(
        &t,
        &[
            "test",
            "--locked",
            "-p",
            "scalescope-web",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "browser",
        ],
    );
    run_counted(&mut browser_tests, &mut browser)?;
    let mut e2e_tests = cargo(
        &t,
        &["test", "--locked", "-p", "scalescope-web", "--test", "e2e"],
    );
    e2e_tests.env("SCALESCOPE_DIST", t.root.join("dist"));
    run_counted(&mut e2e_tests, &mut e2e)?;
    // Briefly: CI's whole fuzzing budget is under a minute (`cargo xtask fuzz` runs longer).
    fuzz::fuzz(10)?;

    println!(
        "\nxtask test: all steps passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    for (name, c) in [
        ("native", &native),
        ("browser (wasm-bindgen-test)", &browser),
        ("end-to-end", &e2e),
    ] {
        println!(
            "  {name:<28} {:>4} passed, {} failed, {} ignored",
            c.passed, c.failed, c.ignored
        );
    }
    println!("{sizes}");
    sizes.check_budget()
}

/// `cargo xtask screenshots`: release build, then the views end-to-end test saves light/dark,
/// one-input/chinchilla screenshots into docs/ (the README shows them).
pub fn screenshots() -> Result<(), String> {
    let t = tools::ensure_build_tools()?;
    tools::ensure_browser(&t.path)?;
    trunk_release(&t)?;
    run(cargo(
        &t,
        &[
            "test",
            "--locked",
            "-p",
            "scalescope-web",
            "--test",
            "e2e",
            "views",
        ],
    )
    .env("SCALESCOPE_DIST", t.root.join("dist"))
    .env("SCALESCOPE_SHOTS", t.root.join("docs")))?;
    println!("\nxtask: screenshots written to docs/");
    Ok(())
}

/// `cargo xtask bench-page`: release build, then the page benchmark in headless Chromium.
pub fn bench_page() -> Result<(), String> {
    let t = tools::ensure_build_tools()?;
    tools::ensure_browser(&t.path)?;
    trunk_release(&t)?;
    run(cargo(
        &t,
        &[
            "bench",
            "--locked",
            "-p",
            "scalescope-web",
            "--bench",
            "page",
        ],
    )
    .env("SCALESCOPE_DIST", t.root.join("dist")))
}
