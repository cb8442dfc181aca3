//! The bootstrap's speed: 1000 resamples of Epoch AI's 240 Chinchilla points
//! (chinchilla, `huber-log:1e-3`), each refitted warm-started from the full fit, on one
//! core. SciPy reference: `scripts/scipy/bench_bootstrap_epoch.py` (Epoch's protocol,
//! BFGS from the full fit on each of 4000 resamples). Results in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};
use scalescope_core::bootstrap::{run_chunk, summarise, Targets, DEFAULT_SEED};
use scalescope_core::{fit, FitOptions, Form, Objective};
use std::hint::black_box;

#[path = "../tests/common/epoch.rs"]
mod epoch;
use epoch::epoch_points;

fn benches(c: &mut Criterion) {
    let points = epoch_points();
    let options =
        FitOptions::new(Form::Chinchilla).with_objective(Objective::HuberLog { delta: 1e-3 });
    let full = fit(&points, &options).expect("Epoch's points fit");
    let targets = Targets {
        band_at: Vec::new(),
        target: Some(2.0),
        compute: Some(1e24),
    };
    let mut group = c.benchmark_group("bootstrap");
    group.sample_size(10);
    group.bench_function("epoch_240_1000_resamples_one_core", |b| {
        b.iter(|| {
            let samples =
                run_chunk(&points, &options, &full, DEFAULT_SEED, 0..1000).expect("same law");
            black_box(summarise(&full, &samples, &targets).expect("refits"))
        })
    });
    group.finish();
}

criterion_group!(bootstrap, benches);
criterion_main!(bootstrap);
