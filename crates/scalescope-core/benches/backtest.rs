//! The backtests' speed on Epoch AI's 240 Chinchilla points (chinchilla, the page's default
//! objective for it): the hold-out of the largest scale and the rolling backtest (one refit
//! per scale step). The page runs both on its main thread whenever the fit changes while the
//! backtest switch is on; results in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};
use scalescope_core::backtest::{holdout, rolling, HoldOut};
use scalescope_core::{FitOptions, Form, Objective};
use std::hint::black_box;

#[path = "../tests/common/epoch.rs"]
mod epoch;
use epoch::epoch_points;

fn benches(c: &mut Criterion) {
    let points = epoch_points();
    let options =
        FitOptions::new(Form::Chinchilla).with_objective(Objective::default_for(Form::Chinchilla));
    let mut group = c.benchmark_group("backtest");
    group.sample_size(10);
    group.bench_function("epoch_240_hold_out_top_1", |b| {
        b.iter(|| black_box(holdout(&points, &options, HoldOut::Top(1)).expect("fits")))
    });
    group.bench_function("epoch_240_rolling", |b| {
        b.iter(|| black_box(rolling(&points, &options).expect("fits")))
    });
    group.finish();
}

criterion_group!(backtest, benches);
criterion_main!(backtest);
