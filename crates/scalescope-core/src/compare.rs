//! The effective compute multiplier between two laws (issue 14, section 3): at a loss L,
//! how much compute the second (a new architecture, another data recipe) needs against
//! the baseline, `M(L) = C_other(L) / C_baseline(L)`, with a 95 % interval.
//!
//! The compute a law needs for a loss is asked of [`Model`]: for a law of N and D the least
//! compute on its compute-optimal frontier ([`Model::compute_for_loss`]); for a one-input
//! law the input that reaches the loss ([`Model::required`]), which is compute when the
//! law was fitted in C (with another input, N say, the ratio is of that input).
//!
//! The interval is the delta method on the two fits, taken independent:
//! `Var ln M = g_oᵀΣ_o g_o + g_bᵀΣ_b g_b` with `g = ∂ ln C(L)/∂θ` by central differences
//! of the law's own inverse and `Σ` each fit's covariance, then `M·exp(±t·√Var)` with
//! Student's t at the smaller of the two fits' degrees of freedom (the conservative
//! choice). A published law contributes no variance; a fit without a covariance gives no
//! interval (NaN).
//!
//! [`bootstrap`] gives a second interval, where the two groups' data are at hand: each
//! group's rows resampled on their own and refitted, and the 2.5th and 97.5th percentiles
//! of the refits' multipliers (with a count of the resamples that could not be refitted or
//! never reach the loss). It does not linearise the inverse, and where refits of a group
//! never reach the loss (near its floor E) its interval ends at 0 or +∞, which the delta
//! method cannot say. On 200 synthetic pairs of 16 noisy points each, the percentile
//! interval held the true multiplier 181 times, the delta method 187 times
//! (`tests/compare.rs`): the percentile bootstrap is a little narrow on small groups.
//!
//! ```
//! use scalescope_core::compare::multiplier;
//! use scalescope_core::presets::Model;
//! use scalescope_core::Form;
//!
//! // In C: L = 1.7 + A·C^−0.3. Halving A saves compute: M = 2^(−1/0.3) = 0.0992.
//! let base = Model::of(Form::Saturating, vec![1.7, 3.0e5, 0.3]);
//! let better = Model::of(Form::Saturating, vec![1.7, 1.5e5, 0.3]);
//! let m = multiplier(&base, &better, 2.0)?;
//! assert!((m.multiplier / 2f64.powf(-1.0 / 0.3) - 1.0).abs() < 1e-12);
//! # Ok::<(), scalescope_core::compare::CompareError>(())
//! ```

pub mod bootstrap;

use crate::presets::Model;
use crate::{stats, InvertError};

/// The multiplier at one loss.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Multiplier {
    /// The loss both reach.
    pub at_loss: f64,
    /// The compute (or input) the baseline needs.
    pub baseline: f64,
    /// The compute (or input) the other needs.
    pub other: f64,
    /// `other / baseline`: below 1 the other needs less.
    pub multiplier: f64,
    /// 95 % interval of the multiplier (delta method on `ln M`); NaN without covariances.
    pub ci95: (f64, f64),
}

/// Why there is no multiplier at a loss.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CompareError {
    /// The baseline never reaches the loss.
    #[error("the baseline cannot reach loss {loss}: {source}")]
    Baseline {
        /// The loss asked for.
        loss: f64,
        /// Why.
        source: InvertError,
    },
    /// The other law never reaches the loss.
    #[error("the compared group cannot reach loss {loss}: {source}")]
    Other {
        /// The loss asked for.
        loss: f64,
        /// Why.
        source: InvertError,
    },
}

/// The compute (or a one-input law's input) `model` needs to reach `loss`.
fn needed(model: &Model, loss: f64) -> Result<f64, InvertError> {
    if model.has_frontier() {
        model.compute_for_loss(loss).map(|a| a.compute)
    } else {
        // Without the fit: the law's inverse alone (its interval is computed here).
        Model::of(model.form(), model.params().to_vec())
            .required(loss)
            .map(|r| r.x)
    }
}

/// `Var ln C(loss)` of `model` by the delta method, with its degrees of freedom; `(0, None)`
/// for a published law, NaN without a covariance.
fn log_variance(model: &Model, loss: f64) -> (f64, Option<usize>) {
    let Some(fit) = model.fit() else {
        return (0.0, None);
    };
    let Some(cov) = &fit.covariance else {
        return (f64::NAN, Some(fit.metrics.dof));
    };
    let p = model.params();
    let k = p.len();
    let mut g = vec![0.0; k];
    let mut q = p.to_vec();
    for (j, gj) in g.iter_mut().enumerate() {
        if fit.pinned.get(j).copied().unwrap_or(false) {
            continue;
        }
        let h = 1e-6 * p[j].abs().max(1e-8);
        let at = |q: &[f64]| {
            needed(&Model::of(model.form(), q.to_vec()), loss)
                .map(f64::ln)
                .unwrap_or(f64::NAN)
        };
        q[j] = p[j] + h;
        let up = at(&q);
        q[j] = p[j] - h;
        let down = at(&q);
        q[j] = p[j];
        *gj = (up - down) / (2.0 * h);
    }
    let var: f64 = (0..k)
        .flat_map(|a| (0..k).map(move |b| (a, b)))
        .map(|(a, b)| g[a] * cov[(a, b)] * g[b])
        .sum();
    (var.max(0.0), Some(fit.metrics.dof))
}

/// The compute multiplier of `other` against `baseline` at `loss`, with its 95 % interval.
///
/// # Errors
/// [`CompareError`] naming the side that cannot reach the loss (at or below its floor,
/// or an input the law cannot invert).
pub fn multiplier(baseline: &Model, other: &Model, loss: f64) -> Result<Multiplier, CompareError> {
    let cb = needed(baseline, loss).map_err(|source| CompareError::Baseline { loss, source })?;
    let co = needed(other, loss).map_err(|source| CompareError::Other { loss, source })?;
    let m = co / cb;
    let (vb, db) = log_variance(baseline, loss);
    let (vo, d_o) = log_variance(other, loss);
    let dof = match (db, d_o) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let ci95 = match dof {
        // Two published laws: no uncertainty, the interval is the point.
        None => (m, m),
        Some(dof) => {
            let half = stats::t95(dof) * (vb + vo).sqrt();
            (m * (-half).exp(), m * half.exp())
        }
    };
    Ok(Multiplier {
        at_loss: loss,
        baseline: cb,
        other: co,
        multiplier: m,
        ci95,
    })
}

/// The multiplier at each of `losses` (a curve over a loss range).
pub fn curve(
    baseline: &Model,
    other: &Model,
    losses: &[f64],
) -> Vec<Result<Multiplier, CompareError>> {
    losses
        .iter()
        .map(|&l| multiplier(baseline, other, l))
        .collect()
}

/// `count` losses evenly spaced over the range both groups observed (from the larger of
/// their smallest losses to the smaller of their largest), or over all their losses when
/// those ranges do not overlap. Empty without finite losses or for `count == 0`.
pub fn loss_range(baseline: &[f64], other: &[f64], count: usize) -> Vec<f64> {
    let span = |y: &[f64]| {
        y.iter()
            .filter(|v| v.is_finite())
            .fold(None, |acc: Option<(f64, f64)>, &v| match acc {
                None => Some((v, v)),
                Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
            })
    };
    let (Some((lb, hb)), Some((lo_, ho))) = (span(baseline), span(other)) else {
        return Vec::new();
    };
    let (lo, hi) = if lb.max(lo_) < hb.min(ho) {
        (lb.max(lo_), hb.min(ho))
    } else {
        (lb.min(lo_), hb.max(ho))
    };
    match count {
        0 => Vec::new(),
        1 => vec![(lo + hi) / 2.0],
        n => (0..n)
            .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
            .collect(),
    }
}

/// A comparison of two groups as the CLI's `scalescope compare` reports it: the
/// multiplier at one loss and over a range.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The baseline group's name.
    pub baseline: Option<String>,
    /// The compared group's name.
    pub other: Option<String>,
    /// What the multiplier is a ratio of: `"compute"` (a law of N and D, or a one-input law
    /// fitted in C) or the name of a one-input law's input.
    pub of: String,
    /// The multiplier at the loss asked for.
    pub at: Multiplier,
    /// The multiplier over a range of losses.
    pub curve: Vec<Result<Multiplier, CompareError>>,
    /// The bootstrap intervals at the loss and along the curve, when asked for.
    pub bootstrap: Option<bootstrap::Intervals>,
    /// Things a user should know.
    pub warnings: Vec<String>,
}
