//! The bootstrap: resample each group's rows with replacement, refit every resample
//! warm-started from the full fit, and read percentile intervals off the refits.
//!
//! Resample `i` is a pure function of `(seed, i)`: its generator is seeded from both, so a
//! run split into chunks ([`run_chunk`] over index ranges, on threads or Web Workers) gives
//! exactly the resamples of one run over `0..B`, in any order. [`summarise`] turns the
//! refits into standard errors and intervals.
//!
//! ```
//! use scalescope_core::bootstrap::{run_chunk, summarise, Targets};
//! use scalescope_core::{fit, FitOptions, Form, Points};
//!
//! let x: Vec<f64> = (0..12).map(|k| 1e7 * 2f64.powi(k)).collect();
//! // 1 % of deterministic scatter around E = 1.7, A = 406.4, alpha = 0.34.
//! let y: Vec<f64> = x
//!     .iter()
//!     .enumerate()
//!     .map(|(k, n)| (1.7 + 406.4 * n.powf(-0.34)) * (1.0 + 0.01 * ((k * 7 % 5) as f64 - 2.0) / 2.0))
//!     .collect();
//! let points = Points::new(x, y);
//! let options = FitOptions::new(Form::Saturating);
//! let full = fit(&points, &options)?;
//! // Two chunks give the same refits as one run over 0..200.
//! let mut samples = run_chunk(&points, &options, &full, 7, 0..120)?;
//! samples.extend(run_chunk(&points, &options, &full, 7, 120..200)?);
//! assert_eq!(samples, run_chunk(&points, &options, &full, 7, 0..200)?);
//! let b = summarise(&full, &samples, &Targets::default())?;
//! assert_eq!(b.resamples, 200);
//! let (lo, hi) = b.ci95[2];
//! assert!(lo < full.params[2] && full.params[2] < hi && b.se[2] > 0.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod summary;

pub use crate::chinchilla::AllocationCi;
pub(crate) use summary::percentile95;
pub use summary::{summarise, Bootstrap, Reach, RequiredCi, Targets};

use crate::{fit, Fit, FitMode, FitOptions, Points};
use rand::{RngCore, SeedableRng};
use std::ops::{Range, RangeInclusive};

/// The resamples a user may ask for (issue 13: 100 to 10 000).
pub const RESAMPLES: RangeInclusive<usize> = 100..=10_000;

/// The resamples when none are asked for.
pub const DEFAULT_RESAMPLES: usize = 1000;

/// The seed when none is given (the CLI's `--seed` default), so that an unseeded run is
/// still reproducible.
pub const DEFAULT_SEED: u64 = 13;

/// Why a bootstrap has no answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BootstrapError {
    /// The number of resamples is outside [`RESAMPLES`].
    #[error("{0} resamples: choose between 100 and 10000")]
    Resamples(usize),
    /// The options are for another law than the full fit.
    #[error("the bootstrap refits a {fit} fit, but the options are for the {options} law")]
    FormMismatch {
        /// The full fit's law.
        fit: crate::Form,
        /// The options' law.
        options: crate::Form,
    },
    /// Fewer than two resamples could be refitted.
    #[error("only {succeeded} of {resamples} resamples could be refitted: no interval")]
    TooFewRefits {
        /// Resamples refitted.
        succeeded: usize,
        /// Resamples drawn.
        resamples: usize,
    },
}

/// Checks that `resamples` is within [`RESAMPLES`].
///
/// # Errors
/// [`BootstrapError::Resamples`] otherwise.
pub fn check_resamples(resamples: usize) -> Result<usize, BootstrapError> {
    if RESAMPLES.contains(&resamples) {
        Ok(resamples)
    } else {
        Err(BootstrapError::Resamples(resamples))
    }
}

/// SplitMix64's finaliser: a bijective mix of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of resample `i` under `seed`: PCG-64 seeded with a hash of both, so
/// neighbouring indices and seeds give unrelated streams.
fn generator(seed: u64, i: u64) -> rand_pcg::Pcg64 {
    let a = mix(seed);
    let b = mix(a ^ mix(i.wrapping_add(0x5CA1_E5C0)));
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&a.to_le_bytes());
    bytes[8..16].copy_from_slice(&b.to_le_bytes());
    bytes[16..24].copy_from_slice(&mix(b).to_le_bytes());
    bytes[24..].copy_from_slice(&mix(a ^ b).to_le_bytes());
    rand_pcg::Pcg64::from_seed(bytes)
}

/// The rows of resample `i` under `seed`: `n` draws from `0..n` with replacement
/// (Lemire's multiply-shift on 64 random bits: the same indices on every platform).
pub fn resample_rows(n: usize, seed: u64, i: u64) -> Vec<usize> {
    let mut rng = generator(seed, i);
    draw(&mut rng, n)
}

/// The rows of resample `i` under `seed` for strata of `sizes` rows (e.g. the runs of each
/// compute budget of an isoFLOP sweep): entry `k` holds `sizes[k]` draws from
/// `0..sizes[k]` with replacement, so every stratum keeps its size. One generator serves
/// the strata in order, so they are independent of each other and the draw is a pure
/// function of `(seed, i)` like [`resample_rows`] (whose draw it is for a single stratum).
pub fn resample_strata(sizes: &[usize], seed: u64, i: u64) -> Vec<Vec<usize>> {
    let mut rng = generator(seed, i);
    sizes.iter().map(|&n| draw(&mut rng, n)).collect()
}

/// `n` draws from `0..n` (Lemire's multiply-shift on 64 random bits).
fn draw(rng: &mut rand_pcg::Pcg64, n: usize) -> Vec<usize> {
    (0..n)
        .map(|_| ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize)
        .collect()
}

/// Resample `i` of `points` under `seed` (rows drawn with replacement, each with its
/// inputs, value and weight).
pub fn resample(points: &Points, seed: u64, i: u64) -> Points {
    pick(points, &resample_rows(points.len(), seed, i))
}

/// The rows `rows` of `points` (each with its inputs, value and weight); indices out of
/// range are left out.
pub(crate) fn pick(points: &Points, rows: &[usize]) -> Points {
    let pick = |v: &[f64]| rows.iter().filter_map(|&r| v.get(r).copied()).collect();
    Points {
        x: pick(&points.x),
        d: points.d.as_deref().map(pick),
        y: pick(&points.y),
        weights: points.weights.as_deref().map(pick),
    }
}

/// Refits resamples `range` of `points` (the rows the full fit used) under `seed`: each
/// warm-started from `full`'s parameters, falling back to the full start search (the
/// default strategy) when that refit does not converge. Entry `k` is resample
/// `range.start + k`'s parameters, `None` when it could not be fitted (too few distinct
/// inputs, no convergence): [`summarise`] counts those as failed.
///
/// # Errors
/// [`BootstrapError::FormMismatch`] when `options` are for another law than `full`.
pub fn run_chunk(
    points: &Points,
    options: &FitOptions,
    full: &Fit,
    seed: u64,
    range: Range<u64>,
) -> Result<Vec<Option<Vec<f64>>>, BootstrapError> {
    if options.form != full.form || full.params.len() != full.form.n_params() {
        return Err(BootstrapError::FormMismatch {
            fit: full.form,
            options: options.form,
        });
    }
    let fallback = fallback(options);
    Ok(range
        .map(|i| refit(&resample(points, seed, i), options, &fallback, full))
        .collect())
}

/// The options a refit falls back to when the warm start does not converge: the
/// structure-aware starts (the grid's 4500 starts per resample would be the published
/// protocol's cost a thousand times over).
pub(crate) fn fallback(options: &FitOptions) -> FitOptions {
    options.clone().with_mode(FitMode::Default)
}

/// `sample` refitted warm-started from `full`'s parameters, then with `fallback`'s start
/// search; `None` when neither converges to finite parameters.
pub(crate) fn refit(
    sample: &Points,
    options: &FitOptions,
    fallback: &FitOptions,
    full: &Fit,
) -> Option<Vec<f64>> {
    match fit::refit_from(sample, options, &full.params) {
        Ok(Some(p)) => Some(p),
        Ok(None) => fit(sample, fallback)
            .ok()
            .filter(|f| f.converged() && f.params.iter().all(|v| v.is_finite()))
            .map(|f| f.params),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_depend_on_seed_and_index_only() {
        let a = resample_rows(50, 1, 3);
        assert_eq!(a, resample_rows(50, 1, 3));
        assert_ne!(a, resample_rows(50, 1, 4));
        assert_ne!(a, resample_rows(50, 2, 3));
        assert!(a.iter().all(|&r| r < 50));
        // With replacement: 50 draws from 50 rows almost surely repeat one (1 − 50!/50⁵⁰).
        let mut sorted = a.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert!(sorted.len() < 50 && sorted.len() > 20, "{}", sorted.len());
    }

    #[test]
    fn strata_keep_their_sizes_and_one_stratum_is_resample_rows() {
        let strata = resample_strata(&[5, 9, 3], 4, 11);
        assert_eq!(strata.iter().map(Vec::len).collect::<Vec<_>>(), [5, 9, 3]);
        assert!(strata
            .iter()
            .zip([5, 9, 3])
            .all(|(s, n)| s.iter().all(|&r| r < n)));
        assert_eq!(strata, resample_strata(&[5, 9, 3], 4, 11));
        assert_ne!(strata, resample_strata(&[5, 9, 3], 4, 12));
        assert_eq!(resample_strata(&[40], 8, 2), [resample_rows(40, 8, 2)]);
    }

    #[test]
    fn draws_are_uniform_over_rows() {
        // 200 resamples of 10 rows: each row drawn 200 times on average (sd ≈ 13.4).
        let mut count = [0usize; 10];
        for i in 0..200 {
            for r in resample_rows(10, 99, i) {
                count[r] += 1;
            }
        }
        assert!(count.iter().all(|&c| (140..=260).contains(&c)), "{count:?}");
    }

    #[test]
    fn resamples_out_of_range_are_refused() {
        assert_eq!(check_resamples(99), Err(BootstrapError::Resamples(99)));
        assert_eq!(check_resamples(100), Ok(100));
        assert_eq!(check_resamples(10_000), Ok(10_000));
        assert!(check_resamples(10_001).is_err());
    }
}
