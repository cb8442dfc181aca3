//! Goodness-of-fit numbers: SSE, RMSE, standard error of regression, R², AIC and BIC.

use std::fmt;

/// The space residuals (and R²) are computed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Space {
    /// `y − ŷ`.
    Linear,
    /// `ln y − ln ŷ`.
    Log,
}

impl fmt::Display for Space {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Space::Linear => "linear",
            Space::Log => "log",
        })
    }
}

/// Goodness of fit. Sums are weighted when the points carry weights; "fit space" is the
/// objective's space ([`Metrics::r2_space`]).
///
/// Weights count only by their ratios: every sum here (the objective, SSE, and so RMSE,
/// the standard error, AIC and BIC) uses the weights divided by their mean over the points
/// with positive weight, `w̃ᵢ = wᵢ / mean(w > 0)`. Token counts as weights thus give the
/// same numbers as their ratios (not an RMSE 3·10⁴× too large), weights all equal to `c`
/// give the unweighted metrics, and zero-weight points do not dilute the mean. R² and the
/// parameter covariance do not depend on the weights' scale either way.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    /// Number of points.
    pub n: usize,
    /// Degrees of freedom `m − k`: `m` the points with positive weight, `k` the free
    /// (unpinned) parameters.
    pub dof: usize,
    /// The minimised objective (`Σ w·ρ(r)`; for least squares this equals `sse`).
    pub objective: f64,
    /// Sum of squared residuals in fit space.
    pub sse: f64,
    /// Root mean square residual `√(SSE/n)` in fit space.
    pub rmse: f64,
    /// Standard error of regression `√(SSE/dof)` in fit space.
    pub ser: f64,
    /// Coefficient of determination `1 − SSE/SST` in fit space.
    pub r2: f64,
    /// The space `r2`, `sse`, `rmse` and `ser` are computed in.
    pub r2_space: Space,
    /// R² of `y` itself (linear space), whatever the objective.
    pub r2_raw: f64,
    /// Akaike information criterion from the Gaussian log-likelihood of the fit-space
    /// residuals: `n·(ln(2π·SSE/n) + 1) + 2k`.
    pub aic: f64,
    /// Bayesian information criterion: `n·(ln(2π·SSE/n) + 1) + k·ln n`.
    pub bic: f64,
}

/// The mean of the positive weights among `n` points, the divisor that gives the metrics'
/// weights mean 1 over those points; 1 when no weight is positive.
pub(crate) fn mean_positive_weight(n: usize, w: &dyn Fn(usize) -> f64) -> f64 {
    let (sum, count) = (0..n)
        .map(w)
        .filter(|&v| v > 0.0)
        .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    let mean = sum / count as f64;
    if count > 0 && mean.is_finite() && mean > 0.0 {
        mean
    } else {
        1.0
    }
}

/// `points` with weights divided by [`mean_positive_weight`], or `None` when they have no
/// weights or their mean is already 1.
pub(crate) fn with_unit_mean_weights(points: &crate::Points) -> Option<crate::Points> {
    let weights = points.weights.as_ref()?;
    let mean = mean_positive_weight(weights.len(), &|i| weights[i]);
    (mean != 1.0).then(|| crate::Points {
        x: points.x.clone(),
        d: points.d.clone(),
        y: points.y.clone(),
        weights: Some(weights.iter().map(|w| w / mean).collect()),
    })
}

/// The weighted total sum of squares of `obs` about its weighted mean (two passes).
pub(crate) fn sst<W: Fn(usize) -> f64>(obs: &[f64], w: &W) -> f64 {
    let sw: f64 = (0..obs.len()).map(w).sum();
    let mean = obs.iter().enumerate().map(|(i, v)| w(i) * v).sum::<f64>() / sw;
    obs.iter()
        .enumerate()
        .map(|(i, v)| w(i) * (v - mean).powi(2))
        .sum()
}

/// R² `1 − SSE/SST`; NaN when `SST` is not positive.
pub(crate) fn r_squared(sst: f64, sse: f64) -> f64 {
    if sst > 0.0 {
        1.0 - sse / sst
    } else {
        f64::NAN
    }
}

impl Metrics {
    /// Metrics of `n` points from the fit-space sum of squares `sse` (`dof` degrees of
    /// freedom, `k` free parameters); `r2`/`r2_raw` are computed by the caller.
    pub(crate) fn from_sums(
        n: usize,
        dof: usize,
        sse: f64,
        k: usize,
        objective: f64,
        space: Space,
    ) -> Metrics {
        let nf = n as f64;
        let ll = nf * ((2.0 * std::f64::consts::PI * sse / nf).ln() + 1.0);
        Metrics {
            n,
            dof,
            objective,
            sse,
            rmse: (sse / nf).sqrt(),
            ser: if dof > 0 {
                (sse / dof as f64).sqrt()
            } else {
                f64::NAN
            },
            r2: f64::NAN,
            r2_space: space,
            r2_raw: f64::NAN,
            aic: ll + 2.0 * k as f64,
            bic: ll + k as f64 * nf.ln(),
        }
    }
}
