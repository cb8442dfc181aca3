//! `scalescope fit --bootstrap B`: every group's bootstrap, its resamples split into
//! chunks that every core refits ([`std::thread::scope`]); `scalescope compare` splits its
//! pairs of resamples the same way ([`chunked`]). Resample `i` depends only on the seed
//! and `i`, so the answer does not depend on the number of threads.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use std::ops::Range;

use scalescope_core::analysis::Analysis;
use scalescope_core::bootstrap::{run_chunk, summarise, BootstrapError};
use scalescope_core::report::{Questions, Report};
use scalescope_core::{Fit, FitOptions, Points};

use crate::args::ResampleArgs;

/// How to bootstrap every fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resampling {
    /// Resamples per group.
    pub resamples: usize,
    /// The seed of every group's resamples.
    pub seed: u64,
    /// Threads to refit on.
    pub threads: NonZeroUsize,
}

impl Resampling {
    /// `resamples` under `seed` on `threads` threads, or on every core.
    pub fn new(resamples: usize, seed: u64, threads: Option<NonZeroUsize>) -> Self {
        let threads = threads
            .or_else(|| std::thread::available_parallelism().ok())
            .unwrap_or(NonZeroUsize::MIN);
        Resampling {
            resamples,
            seed,
            threads,
        }
    }

    /// The bootstrap `--bootstrap`, `--seed` and `--threads` ask for, if any.
    pub fn of_args(args: &ResampleArgs) -> Option<Self> {
        args.bootstrap
            .map(|b| Resampling::new(b as usize, args.seed, args.threads))
    }
}

/// Bootstraps every fitted group of `analysis` (fitted with `options`) and attaches the
/// answers to `report`'s fits (the same groups in the same order).
pub fn attach(
    report: &mut Report,
    analysis: &Analysis,
    options: &FitOptions,
    plan: Resampling,
    questions: Questions,
) {
    let targets = questions.bootstrap_targets();
    let fitted = analysis
        .groups
        .iter()
        .filter_map(|g| g.fit.as_ref().ok().map(|f| (g, f)));
    for (g, (group, full)) in report.fits.iter_mut().zip(fitted) {
        let samples = refit_all(&group.fitted_points(), options, full, plan);
        g.bootstrap = Some(samples.and_then(|s| summarise(full, &s, &targets)));
    }
}

/// Refits resamples `0..plan.resamples` on `plan.threads` threads.
fn refit_all(
    points: &Points,
    options: &FitOptions,
    full: &Fit,
    plan: Resampling,
) -> Result<Vec<Option<Vec<f64>>>, BootstrapError> {
    chunked(plan, |range| {
        run_chunk(points, options, full, plan.seed, range)
    })
}

/// `refit` over resamples `0..plan.resamples` on `plan.threads` threads: chunks of the
/// index range handed out in order, their results put back in index order.
pub fn chunked<T: Send>(
    plan: Resampling,
    refit: impl Fn(Range<u64>) -> Result<Vec<T>, BootstrapError> + Sync,
) -> Result<Vec<T>, BootstrapError> {
    let b = plan.resamples as u64;
    let threads = plan.threads.get();
    // Several chunks per thread, so one slow chunk does not idle the others.
    let size = b.div_ceil(4 * threads as u64).max(1);
    let chunks: Vec<Range<u64>> = (0..b.div_ceil(size))
        .map(|c| c * size..((c + 1) * size).min(b))
        .collect();
    let next = AtomicUsize::new(0);
    type Chunk<T> = (usize, Result<Vec<T>, BootstrapError>);
    let done: Mutex<Vec<Chunk<T>>> = Mutex::new(Vec::with_capacity(chunks.len()));
    std::thread::scope(|s| {
        for _ in 0..threads.min(chunks.len()) {
            s.spawn(|| loop {
                let c = next.fetch_add(1, Ordering::Relaxed);
                let Some(range) = chunks.get(c) else { break };
                let refits = refit(range.clone());
                // A poisoned lock means another thread panicked (a bug); keep its results.
                done.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((c, refits));
            });
        }
    });
    let mut done = done
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    done.sort_by_key(|(c, _)| *c);
    let mut all = Vec::with_capacity(plan.resamples);
    for (_, refits) in done {
        all.extend(refits?);
    }
    Ok(all)
}
