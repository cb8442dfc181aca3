//! A bootstrap percentile interval of the compute multiplier: each group's rows resampled
//! with replacement on their own, both refitted as [`crate::bootstrap`] refits one group
//! (warm-started from the full fit, the default start search when that does not
//! converge), and the multiplier read off every pair of refits.
//!
//! Resample `i` of both groups is one draw of [`crate::bootstrap::resample_strata`] over
//! the two groups' sizes: a pure function of `(seed, i)`, the groups independent of each
//! other (a group compared with itself gets two different resamples). So a run split into
//! chunks ([`refit_pairs`] over index ranges, on threads) gives exactly the refits of one
//! run over `0..B`.
//!
//! Nothing is dropped silently. A pair in which either group could not be refitted, or
//! whose law cannot be inverted at the loss, is counted in [`MultiplierCi::failed`]; a
//! refit that never reaches the loss needs infinite compute, so the multiplier is `0`
//! (the baseline never reaches it) or `+∞` (the other never does), counted and kept in
//! the percentiles, which then say "may never" at that end; a pair in which neither reaches
//! it has no multiplier and is counted in [`MultiplierCi::neither`]. When more than
//! [`MAX_UNUSABLE`] of the resamples give no multiplier there is no interval, with the
//! counts as the reason.
//!
//! ```
//! use scalescope_core::compare::bootstrap::{multiplier_ci, Group};
//! use scalescope_core::{fit, FitOptions, Form, Objective, Points};
//!
//! let x: Vec<f64> = (0..12).map(|k| 1e15 * 4f64.powi(k)).collect();
//! // 1 % of deterministic scatter around L = 1.7 + A·C^−0.3.
//! let y: Vec<f64> = x
//!     .iter()
//!     .enumerate()
//!     .map(|(k, c)| (1.7 + 1.6e5 * c.powf(-0.3)) * (1.0 + 0.01 * ((k * 7 % 5) as f64 - 2.0) / 2.0))
//!     .collect();
//! let points = Points::new(x, y);
//! let options = FitOptions::new(Form::Saturating).with_objective(Objective::LsLog);
//! let full = fit(&points, &options)?;
//! let group = Group { points: &points, fit: &full };
//! // The group against itself: its two resamples differ, and 1 lies inside.
//! let m = multiplier_ci(group, group, &options, 2.5, 200, 7)?;
//! let (lo, hi) = m.ci95?;
//! assert!(lo < 1.0 && 1.0 < hi && m.resamples == 200);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::needed;
use crate::bootstrap::{self, check_resamples, percentile95, BootstrapError};
use crate::presets::Model;
use crate::{Fit, FitOptions, InvertError, Points};
use std::ops::Range;

/// The largest fraction of resamples that may give no multiplier (a failed refit, a law
/// that cannot be inverted, neither group reaching the loss) for an interval to be given:
/// beyond it the interval would describe the resamples that happened to work.
pub const MAX_UNUSABLE: f64 = 0.1;

/// One group of a comparison: the rows its fit used, and the fit.
#[derive(Clone, Copy, Debug)]
pub struct Group<'a> {
    /// The rows the fit used (e.g. `analysis::GroupFit::fitted_points`).
    pub points: &'a Points,
    /// The fit of those rows.
    pub fit: &'a Fit,
}

/// Resample `i`'s refits: the baseline's parameters and the other's, `None` for a resample
/// that could not be refitted.
pub type PairRefit = (Option<Vec<f64>>, Option<Vec<f64>>);

/// The bootstrap interval of the multiplier at one loss.
#[derive(Clone, Debug, PartialEq)]
pub struct MultiplierCi {
    /// The loss both reach.
    pub at_loss: f64,
    /// Resample pairs drawn.
    pub resamples: usize,
    /// Pairs without a multiplier because a group's resample could not be refitted, or
    /// its refitted law could not be inverted at the loss.
    pub failed: usize,
    /// Pairs whose refitted baseline never reaches the loss (multiplier 0, kept).
    pub baseline_unreachable: usize,
    /// Pairs whose refitted other group never reaches the loss (multiplier +∞, kept).
    pub other_unreachable: usize,
    /// Pairs in which neither refit reaches the loss (no multiplier).
    pub neither: usize,
    /// The percentile 95 % interval (2.5th and 97.5th percentiles of the pairs'
    /// multipliers), or why there is none.
    pub ci95: Result<(f64, f64), NoInterval>,
}

impl MultiplierCi {
    /// Pairs that gave a multiplier (0 and +∞ included).
    pub fn used(&self) -> usize {
        self.resamples
            .saturating_sub(self.failed)
            .saturating_sub(self.neither)
    }
}

/// A comparison's bootstrap: the interval at the loss asked for and along the curve, all
/// from the same refits.
#[derive(Clone, Debug, PartialEq)]
pub struct Intervals {
    /// The seed of the resamples.
    pub seed: u64,
    /// At the loss asked for.
    pub at: MultiplierCi,
    /// At each loss of [`super::Comparison::curve`], in its order.
    pub curve: Vec<MultiplierCi>,
}

/// Why the bootstrap gives no interval of the multiplier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoInterval {
    /// Too many resamples gave no multiplier.
    #[error(
        "only {used} of {resamples} resamples give a multiplier ({failed} could not be \
         refitted or inverted, {neither} reached the loss in neither group): no bootstrap \
         interval"
    )]
    TooFew {
        /// Pairs that gave a multiplier.
        used: usize,
        /// Pairs drawn.
        resamples: usize,
        /// Pairs that could not be refitted or inverted.
        failed: usize,
        /// Pairs in which neither group reaches the loss.
        neither: usize,
    },
}

/// Refits resamples `range` of both groups under `seed` (entry `k` is resample
/// `range.start + k`), each group as [`bootstrap::run_chunk`] refits it.
///
/// # Errors
/// [`BootstrapError::FormMismatch`] when `options` are for another law than either fit.
pub fn refit_pairs(
    baseline: Group,
    other: Group,
    options: &FitOptions,
    seed: u64,
    range: Range<u64>,
) -> Result<Vec<PairRefit>, BootstrapError> {
    for fit in [baseline.fit, other.fit] {
        if options.form != fit.form || fit.params.len() != fit.form.n_params() {
            return Err(BootstrapError::FormMismatch {
                fit: fit.form,
                options: options.form,
            });
        }
    }
    let fallback = bootstrap::fallback(options);
    let sizes = [baseline.points.len(), other.points.len()];
    Ok(range
        .map(|i| {
            let rows = bootstrap::resample_strata(&sizes, seed, i);
            let refit = |g: Group, rows: Option<&Vec<usize>>| {
                let sample = bootstrap::pick(g.points, rows.map_or(&[][..], Vec::as_slice));
                bootstrap::refit(&sample, options, &fallback, g.fit)
            };
            (refit(baseline, rows.first()), refit(other, rows.get(1)))
        })
        .collect())
}

/// What one refit needs to reach the loss.
enum Need {
    Finite(f64),
    Never,
    Failed,
}

fn need(fit: &Fit, params: Option<&Vec<f64>>, loss: f64) -> Need {
    let Some(p) = params.filter(|p| p.len() == fit.params.len()) else {
        return Need::Failed;
    };
    match needed(&Model::of(fit.form, p.clone()), loss) {
        Ok(c) if c.is_finite() && c > 0.0 => Need::Finite(c),
        Ok(_) => Need::Failed,
        Err(InvertError::Unreachable { .. }) => Need::Never,
        Err(_) => Need::Failed,
    }
}

/// The bootstrap interval of the multiplier at `loss` from `pairs` (the refits of
/// [`refit_pairs`]) of the groups fitted as `baseline` and `other`.
pub fn interval(baseline: &Fit, other: &Fit, pairs: &[PairRefit], loss: f64) -> MultiplierCi {
    let mut m = Vec::with_capacity(pairs.len());
    let (mut failed, mut b_never, mut o_never, mut neither) = (0, 0, 0, 0);
    for (pb, po) in pairs {
        match (
            need(baseline, pb.as_ref(), loss),
            need(other, po.as_ref(), loss),
        ) {
            (Need::Failed, _) | (_, Need::Failed) => failed += 1,
            (Need::Never, Need::Never) => neither += 1,
            (Need::Never, Need::Finite(_)) => {
                b_never += 1;
                m.push(0.0);
            }
            (Need::Finite(_), Need::Never) => {
                o_never += 1;
                m.push(f64::INFINITY);
            }
            (Need::Finite(cb), Need::Finite(co)) => m.push(co / cb),
        }
    }
    let resamples = pairs.len();
    let used = m.len();
    let enough = used >= 2 && (resamples - used) as f64 <= MAX_UNUSABLE * resamples as f64;
    MultiplierCi {
        at_loss: loss,
        resamples,
        failed,
        baseline_unreachable: b_never,
        other_unreachable: o_never,
        neither,
        ci95: if enough {
            Ok(percentile95(m))
        } else {
            Err(NoInterval::TooFew {
                used,
                resamples,
                failed,
                neither,
            })
        },
    }
}

/// The bootstrap interval of the multiplier of `other` against `baseline` at `loss`:
/// `resamples` pairs of resamples under `seed`, refitted with `options` on this thread
/// (split [`refit_pairs`] over threads for speed, then [`interval`]).
///
/// # Errors
/// [`BootstrapError::Resamples`] outside [`bootstrap::RESAMPLES`],
/// [`BootstrapError::FormMismatch`] when `options` are for another law than a fit.
pub fn multiplier_ci(
    baseline: Group,
    other: Group,
    options: &FitOptions,
    loss: f64,
    resamples: usize,
    seed: u64,
) -> Result<MultiplierCi, BootstrapError> {
    let b = check_resamples(resamples)? as u64;
    let pairs = refit_pairs(baseline, other, options, seed, 0..b)?;
    Ok(interval(baseline.fit, other.fit, &pairs, loss))
}
