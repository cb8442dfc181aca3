//! Fitting benchmarks; SciPy references in `scripts/scipy/bench_*.py`, results and commands
//! in BENCHMARKS.md.
//!
//! - `chinchilla_default_240`: the default chinchilla fit (`huber-log:1e-3`) on Epoch AI's 240
//!   points (`scripts/scipy/bench_chinchilla_grid.py` is the reference: SciPy's 4500-start
//!   grid with exact gradients reaching the same optimum).
//! - `chinchilla_grid_240`: the 4500-start grid mode on the same points (same reference).
//! - `power_*_1e5`: a 2-parameter power law on 10⁵ noisy points, closed form (`ls-log`) and
//!   Levenberg–Marquardt (`ls`) (`scripts/scipy/bench_power_1e5.py`).

use criterion::{criterion_group, criterion_main, Criterion};
use scalescope_core::{fit, FitMode, FitOptions, Form, Objective, Points};
use std::hint::black_box;

#[path = "../tests/common/epoch.rs"]
mod epoch;
use epoch::epoch_points;

/// 10⁵ points of `y = 40·x^−0.1` with deterministic ±1 % multiplicative noise (the same
/// generator as the SciPy script: a linear congruential sequence).
fn power_points() -> Points {
    let n = 100_000;
    let mut state: u64 = 12345;
    let (mut x, mut y) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let u = (state >> 11) as f64 / (1u64 << 53) as f64;
        let xi = 10f64.powf(6.0 + 5.0 * i as f64 / (n - 1) as f64);
        x.push(xi);
        y.push(40.0 * xi.powf(-0.1) * (1.0 + 0.02 * (u - 0.5)));
    }
    Points::new(x, y)
}

fn benches(c: &mut Criterion) {
    let pts = epoch_points();
    let default = FitOptions::new(Form::Chinchilla);
    c.bench_function("chinchilla_default_240", |b| {
        b.iter(|| fit(black_box(&pts), &default))
    });
    let power = power_points();
    let closed = FitOptions::new(Form::Power);
    c.bench_function("power_closed_form_1e5", |b| {
        b.iter(|| fit(black_box(&power), &closed))
    });
    let ls = FitOptions::new(Form::Power).with_objective(Objective::Ls);
    c.bench_function("power_ls_1e5", |b| b.iter(|| fit(black_box(&power), &ls)));
}

fn grid(c: &mut Criterion) {
    let pts = epoch_points();
    let grid = FitOptions::new(Form::Chinchilla).with_mode(FitMode::Grid);
    let mut g = c.benchmark_group("slow");
    g.sample_size(10);
    g.bench_function("chinchilla_grid_240", |b| {
        b.iter(|| fit(black_box(&pts), &grid))
    });
    g.finish();
}

criterion_group!(fast, benches);
criterion_group!(slow, grid);
criterion_main!(fast, slow);
