//! The bootstrap's speed: 1000 resamples of Epoch AI's 240 Chinchilla points
//! (chinchilla, `huber-log:1e-3`), each refitted warm-started from the full fit, on one
//! core. SciPy reference: `scripts/scipy/bench_bootstrap_epoch.py` (Epoch's protocol,
//! BFGS from the full fit on each of 4000 resamples). Results in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};
use scalescope_core::bootstrap::{run_chunk, summarise, Targets, DEFAULT_SEED};
use scalescope_core::{fit, FitOptions, Form, Objective, Points};
use std::hint::black_box;
use std::path::PathBuf;

fn epoch_points() -> Points {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/chinchilla_epoch.csv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reference data missing: {} ({e})", path.display()));
    let mut rows: Vec<[f64; 3]> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let v: Vec<f64> = l.split(',').filter_map(|t| t.trim().parse().ok()).collect();
            (v.len() == 4).then(|| [v[0], v[1], v[3]])
        })
        .collect();
    let mut losses: Vec<f64> = rows.iter().map(|r| r[2]).collect();
    losses.sort_by(|a, b| b.total_cmp(a));
    rows.retain(|r| r[2] < losses[4]);
    assert_eq!(rows.len(), 240);
    Points::with_d(
        rows.iter().map(|r| r[0]).collect(),
        rows.iter().map(|r| r[1]).collect(),
        rows.iter().map(|r| r[2]).collect(),
    )
}

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
