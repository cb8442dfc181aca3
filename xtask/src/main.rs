//! `cargo xtask` — the project's one automation entry point.
//!
//! - `cargo xtask serve`: install what is missing, then serve the page with live rebuild.
//! - `cargo xtask test`: install what the tests need, then run every check, failing on the first.
//! - `cargo xtask dist`: a release `dist/` with relative asset URLs.
//! - `cargo xtask screenshots`: the README's screenshots, taken in headless Chromium.
//! - `cargo xtask bench-page`: the page benchmark of BENCHMARKS.md.
//! - `cargo xtask fuzz [--time S]`: every cargo-fuzz target for S seconds (default 60).
//! - `cargo xtask tools`: only install/verify the toolchain.

mod fuzz;
mod size;
mod steps;
mod tools;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

Commands:
  serve   install missing tools, then serve the page on http://127.0.0.1:8080 (live rebuild)
  test    install missing tools, then fmt, clippy, native tests, wasm32 build of the core,
          trunk build --release, browser tests, end-to-end tests, size budget,
          each fuzz target for 10 s (skipped without a nightly toolchain)
  dist    release build into dist/ (relative asset URLs: works from any sub-path)
  screenshots  release build, then save the page's screenshots into docs/
  bench-page   release build, then time first plot and paste → redraw in headless Chromium
  fuzz [--time S]  every cargo-fuzz target for S seconds each (default 60; needs nightly)
  tools   install or verify the toolchain only
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => steps::serve(),
        Some("test") => steps::test(),
        Some("dist") => steps::dist(),
        Some("screenshots") => steps::screenshots(),
        Some("bench-page") => steps::bench_page(),
        Some("fuzz") => fuzz::parse_time(&args[1..], 60).and_then(fuzz::fuzz),
        Some("tools") => tools::ensure_build_tools().and_then(|t| tools::ensure_browser(&t.path)),
        Some("-h" | "--help" | "help") | None => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command '{other}'\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}
