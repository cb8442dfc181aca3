//! The coverage study of issue 13: 500 synthetic saturating datasets of 30 points with
//! known truth and 2 % log-normal noise (seeded), fitted with `ls-log` (analytic intervals
//! and a percentile bootstrap) and with `huber-log:1e-3` (the method the tool reports by
//! default, and the bootstrap). Prints how often the 95 % intervals of alpha and of the
//! input that reaches a fixed target hold the truth.
//!
//! Run: `cargo run --release -p scalescope-core --example coverage [DATASETS [RESAMPLES]]`
//! (defaults 500 and 1000, the tool's default). The data: `tests/coverage_study/mod.rs`.

#[path = "../tests/coverage_study/mod.rs"]
mod study;

use scalescope_core::Objective;
use study::{Method, Tally};

const SEED: u64 = 2026;

fn main() {
    let mut args = std::env::args().skip(1);
    let datasets: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let resamples: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    println!(
        "{datasets} datasets of {} points, truth E = {}, A = {}, alpha = {}, noise {} % \
         log-normal, seed {SEED}; targets: the true law at x = {:e} (in the data) and {:e}",
        study::POINTS,
        study::TRUTH[0],
        study::TRUTH[1],
        study::TRUTH[2],
        100.0 * study::SIGMA,
        study::TARGET_X[0],
        study::TARGET_X[1],
    );
    println!(
        "| objective | intervals | alpha | x for y(1e9) | x for y(1e12) | unbounded (1e9, 1e12) | unreachable | failed | se_method | time |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let rows = [
        (Objective::LsLog, Method::Analytic),
        (Objective::LsLog, Method::Bootstrap(resamples)),
        (Objective::HuberLog { delta: 1e-3 }, Method::Analytic),
        (
            Objective::HuberLog { delta: 1e-3 },
            Method::Bootstrap(resamples),
        ),
    ];
    for (objective, method) in rows {
        let start = std::time::Instant::now();
        let t = study::study(SEED, datasets, objective, method);
        let elapsed = start.elapsed();
        print_row(objective, method, &t, elapsed);
    }
}

fn print_row(objective: Objective, method: Method, t: &Tally, elapsed: std::time::Duration) {
    let intervals = match method {
        Method::Analytic => "analytic (default)".to_string(),
        Method::Bootstrap(b) => format!("bootstrap, {b} resamples"),
    };
    let methods: Vec<String> = t
        .se_methods
        .iter()
        .map(|(n, c)| format!("{n} {c}"))
        .collect();
    println!(
        "| `{objective}` | {intervals} | {:.1} % | {:.1} % | {:.1} % | {}, {} | {}, {} | {} | {} | {:.1} s |",
        t.percent(t.alpha),
        t.percent(t.required[0]),
        t.percent(t.required[1]),
        t.unbounded[0],
        t.unbounded[1],
        t.unreachable[0],
        t.unreachable[1],
        t.failed,
        methods.join(", "),
        elapsed.as_secs_f64()
    );
}
