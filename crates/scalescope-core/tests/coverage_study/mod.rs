//! The coverage study of issue 13 (shared by `tests/coverage.rs`, which runs a small one,
//! and `examples/coverage.rs`, which runs the full one and prints the table).
//!
//! Synthetic saturating datasets with known truth `y = E + A·x^−alpha` (E = 1.8, A = 300,
//! alpha = 0.3) at 30 scales log-spaced over 1e7 … 1e11, each value times `exp(0.02·z)`
//! (2 % log-normal noise), `z` standard normal from a seeded PCG-64 (Box–Muller on 53-bit
//! uniforms, so the data are the same on every platform). Each dataset is fitted and the
//! 95 % intervals of alpha and of the input that reaches a fixed target are checked against
//! the truth: the target the true law reaches at x = 1e9 (inside the data) and at 1e12 (a
//! decade beyond it).
#![allow(dead_code)] // each user takes a part

use rand::{RngCore, SeedableRng};
use scalescope_core::bootstrap::{run_chunk, summarise, Reach, Targets};
use scalescope_core::{fit, FitOptions, Form, Objective, Points};

/// The true parameters (E, A, alpha).
pub const TRUTH: [f64; 3] = [1.8, 300.0, 0.3];
/// Points per dataset.
pub const POINTS: usize = 30;
/// Log-normal noise: `y·exp(SIGMA·z)`.
pub const SIGMA: f64 = 0.02;
/// Where the true law meets the two targets.
pub const TARGET_X: [f64; 2] = [1e9, 1e12];

/// The true law at `x`.
pub fn truth(x: f64) -> f64 {
    TRUTH[0] + TRUTH[1] * x.powf(-TRUTH[2])
}

/// Dataset `i` under `seed`.
pub fn dataset(seed: u64, i: u64) -> Points {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i);
    let mut uniform = || ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let x: Vec<f64> = (0..POINTS)
        .map(|k| 1e7 * 10f64.powf(4.0 * k as f64 / (POINTS - 1) as f64))
        .collect();
    let y = x
        .iter()
        .map(|&v| {
            let (u1, u2) = (uniform(), uniform());
            let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
            truth(v) * (SIGMA * z).exp()
        })
        .collect();
    Points::new(x, y)
}

/// How intervals were made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    /// The fit's own analytic intervals (`Fit::ci95`, `Fit::required_x`).
    Analytic,
    /// Percentile intervals from this many bootstrap resamples of the fit.
    Bootstrap(usize),
}

/// One row of the table: how often each interval held the truth.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// Datasets fitted.
    pub datasets: usize,
    /// Datasets whose fit (or bootstrap) failed: counted as misses.
    pub failed: usize,
    /// Intervals of alpha that held the true alpha.
    pub alpha: usize,
    /// Per target: intervals of the required input that held the true one (a fit whose law
    /// never reaches the target counts as a miss).
    pub required: [usize; 2],
    /// Per target: intervals with an unbounded upper end.
    pub unbounded: [usize; 2],
    /// Per target: fits whose law never reaches the target.
    pub unreachable: [usize; 2],
    /// Which intervals the fit's analytic method came from (`se_method` names, counted).
    pub se_methods: Vec<(&'static str, usize)>,
}

impl Tally {
    /// A fraction of the datasets, in per cent.
    pub fn percent(&self, count: usize) -> f64 {
        100.0 * count as f64 / self.datasets.max(1) as f64
    }
}

/// A 95 % interval.
type Interval = (f64, f64);

/// The bootstrap's percentile intervals of alpha and of the input each target needs
/// (`None` for a target no refit's law could be inverted at); `None` when it failed.
fn bootstrap(
    points: &Points,
    options: &FitOptions,
    full: &scalescope_core::Fit,
    seed: u64,
    resamples: usize,
    targets: [f64; 2],
) -> Option<(Interval, [Option<Interval>; 2])> {
    let samples = run_chunk(points, options, full, seed, 0..resamples as u64).ok()?;
    let one = |t: f64| {
        let targets = Targets {
            target: Some(t),
            ..Targets::default()
        };
        summarise(full, &samples, &targets).ok()
    };
    let summaries = targets.map(one);
    let alpha = summaries[0].as_ref()?.ci95[2];
    let required = summaries.map(|s| match s?.required? {
        Ok(r) => match r.reach {
            Reach::Input(x) => Some(x),
            Reach::Allocation(_) => None,
        },
        Err(_) => None,
    });
    Some((alpha, required))
}

fn holds((lo, hi): Interval, v: f64) -> bool {
    lo <= v && v <= hi
}

/// Fits datasets `0..datasets` under `seed` with `objective` and counts how often the
/// 95 % intervals made by `method` hold the truth.
pub fn study(seed: u64, datasets: u64, objective: Objective, method: Method) -> Tally {
    let options = FitOptions::new(Form::Saturating).with_objective(objective);
    let targets = TARGET_X.map(truth);
    let mut tally = Tally {
        datasets: datasets as usize,
        ..Tally::default()
    };
    for i in 0..datasets {
        let points = dataset(seed, i);
        let Ok(f) = fit(&points, &options).map_err(|_| ()).and_then(|f| {
            if f.converged() {
                Ok(f)
            } else {
                Err(())
            }
        }) else {
            tally.failed += 1;
            continue;
        };
        let name = f.se_method().name();
        match tally.se_methods.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => tally.se_methods.push((name, 1)),
        }
        let intervals = match method {
            Method::Analytic => Some((
                f.ci95[2],
                targets.map(|t| f.required_x(t).ok().map(|r| r.ci95)),
            )),
            Method::Bootstrap(b) => bootstrap(&points, &options, &f, 13 + i, b, targets),
        };
        let Some((alpha, required)) = intervals else {
            tally.failed += 1;
            continue;
        };
        if holds(alpha, TRUTH[2]) {
            tally.alpha += 1;
        }
        for k in 0..2 {
            match required[k] {
                Some(ci) => {
                    if holds(ci, TARGET_X[k]) {
                        tally.required[k] += 1;
                    }
                    if ci.1 == f64::INFINITY {
                        tally.unbounded[k] += 1;
                    }
                }
                None => tally.unreachable[k] += 1,
            }
        }
    }
    tally
}
