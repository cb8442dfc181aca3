//! The fitted model: parameters, uncertainty, metrics, and evaluation.

use super::metrics::Metrics;
use crate::{stats, Form, Objective, Termination};
use nalgebra::DMatrix;

/// A fitted scaling law with its uncertainty and diagnostics.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// The form.
    pub form: Form,
    /// The objective that was minimised.
    pub objective: Objective,
    /// Parameters in [`Form::param_names`] order.
    pub params: Vec<f64>,
    /// Which parameters were held at a given value rather than fitted (standard error 0).
    pub pinned: Vec<bool>,
    /// Standard errors `√diag(cov)`; NaN when not estimable (flagged in `warnings`).
    pub stderr: Vec<f64>,
    /// Student-t 95 % intervals `p ± t₀.₉₇₅,dof·SE`; for parameters the law requires
    /// positive, `p·exp(±t·SE/p)` (the interval of `ln p`), which stays positive.
    pub ci95: Vec<(f64, f64)>,
    /// Parameter covariance `σ²(JᵀJ)⁻¹` (J: fit-space residual Jacobian, rows weighted by
    /// `√w`; σ² = SSE/dof, dof counting only free parameters; pinned parameters have zero
    /// rows and columns). For Huber objectives it is the M-estimator sandwich
    /// ([`Fit::se_method`]; with too few residuals inside δ a smoothed curvature, see
    /// [`SeMethod`]). `None` when it is not estimable (singular Jacobian or dof = 0).
    pub covariance: Option<DMatrix<f64>>,
    /// The method behind `covariance`, `stderr` and `ci95` ([`Fit::se_method`]).
    pub se_method: SeMethod,
    /// Goodness of fit.
    pub metrics: Metrics,
    /// Why the optimiser stopped.
    pub termination: Termination,
    /// Where the winning optimisation started (the law's parameters): which start of a
    /// multi-start won. `None` for closed forms, the published grid, fully pinned fits and
    /// fits read back from a link.
    pub start: Option<Vec<f64>>,
    /// Things a user should know (e.g. singular Jacobian, no convergence).
    pub warnings: Vec<String>,
}

/// The method behind a fit's standard errors and analytic intervals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeMethod {
    /// Least squares: `σ²(JᵀJ)⁻¹`, σ² = SSE/dof.
    Ols,
    /// The M-estimator sandwich `A⁻¹BA⁻¹·m/dof` (Huber objectives), `A = Σ ψ′(rᵢ)·JᵢJᵢᵀ`.
    Sandwich,
    /// The sandwich with a kernel-smoothed curvature `A = κ̄·JᵀJ`, `κ̄` a kernel estimate of
    /// the fraction of residuals inside δ: the fallback when too few residuals lie inside δ
    /// for `A` itself (the fit carries a warning preferring the bootstrap).
    SandwichSmoothed {
        /// How many residuals lay inside δ.
        inside: usize,
    },
}

impl SeMethod {
    /// The method a fit under `objective` uses when nothing falls back: the sandwich for
    /// Huber objectives, least squares otherwise.
    pub fn default_for(objective: crate::Objective) -> SeMethod {
        if objective.huber_delta().is_some() {
            SeMethod::Sandwich
        } else {
            SeMethod::Ols
        }
    }

    /// The name written in JSON (`"se_method"`): `ols`, `sandwich` or `sandwich-smoothed`.
    pub fn name(self) -> &'static str {
        match self {
            SeMethod::Ols => "ols",
            SeMethod::Sandwich => "sandwich",
            SeMethod::SandwichSmoothed { .. } => "sandwich-smoothed",
        }
    }

    /// The warning a fit carries when this method is a fallback (`p` free parameters).
    pub(crate) fn fallback_note(self, p: usize) -> Option<String> {
        match self {
            SeMethod::SandwichSmoothed { inside } => Some(format!(
                "few residuals inside δ ({inside}, the sandwich wants {}): intervals from the \
                 sandwich with a kernel-smoothed curvature; prefer the bootstrap",
                super::diagnostics::min_inside(p)
            )),
            _ => None,
        }
    }
}

impl Fit {
    /// Which covariance the standard errors and `ci95` come from.
    pub fn se_method(&self) -> SeMethod {
        self.se_method
    }

    /// The parameter called `name` (as in [`Form::param_names`]).
    pub fn param(&self, name: &str) -> Option<f64> {
        self.form
            .param_names()
            .iter()
            .position(|n| *n == name)
            .and_then(|i| self.params.get(i).copied())
    }

    /// Whether the optimiser reports convergence.
    pub fn converged(&self) -> bool {
        self.termination.converged()
    }

    /// The fitted curve at `x` (and `d` for chinchilla).
    pub fn predict(&self, x: f64, d: Option<f64>) -> f64 {
        self.form.eval(&self.params, x, d)
    }

    /// Standard error of the fitted mean at `x` by the delta method, `√(gᵀ·cov·g)`;
    /// NaN without a covariance.
    pub fn predict_stderr(&self, x: f64, d: Option<f64>) -> f64 {
        let Some(c) = &self.covariance else {
            return f64::NAN;
        };
        let mut g = vec![0.0; self.params.len()];
        self.form.gradient(&self.params, x, d, &mut g);
        let mut v = 0.0;
        for i in 0..g.len() {
            for j in 0..g.len() {
                v += g[i] * c[(i, j)] * g[j];
            }
        }
        v.max(0.0).sqrt()
    }

    /// Standard error of the fitted curve at `x` in the fit's residual space: of `ln ŷ`
    /// for log objectives (`se(ŷ)/ŷ`, the delta method for `ln ŷ`), of `ŷ` otherwise; NaN
    /// without a covariance.
    pub fn residual_space_stderr(&self, x: f64, d: Option<f64>) -> f64 {
        let se = self.predict_stderr(x, d);
        if self.objective.is_log() {
            se / self.predict(x, d).abs()
        } else {
            se
        }
    }

    /// 95 % confidence band of the fitted mean at `x` (delta method, Student t), taken in
    /// the fit's residual space: `ŷ·exp(±t·se_ln)` for log objectives, so on a log axis it
    /// is positive wherever the curve is and is never dropped; `ŷ ± t·se` otherwise.
    /// `(NaN, NaN)` without a covariance.
    pub fn band95(&self, x: f64, d: Option<f64>) -> (f64, f64) {
        self.interval95(x, d, 0.0)
    }

    /// 95 % prediction interval of a new run at `x` (weight 1, the mean weight): the band
    /// widened by the residual scatter, `t·√(se² + s²)` with `s² = SSE/dof` in the fit's
    /// residual space (`ŷ·exp(±t·√(se_ln² + s²))` for log objectives). For Huber objectives
    /// `s²` is the plain mean square, which an outlier inflates. `(NaN, NaN)` without a
    /// covariance or without the residuals (a fit opened from a fit-only link).
    pub fn prediction95(&self, x: f64, d: Option<f64>) -> (f64, f64) {
        let s = self.metrics.ser;
        self.interval95(x, d, s * s)
    }

    /// `ŷ` with `t·√(se² + extra)` either side in the fit's residual space.
    fn interval95(&self, x: f64, d: Option<f64>, extra: f64) -> (f64, f64) {
        self.interval(x, d, extra, stats::t95(self.metrics.dof))
    }

    /// [`Fit::band95`] with the critical value `t` given (`stats::t95(dof)`), for searches
    /// that evaluate the band many times.
    pub(crate) fn band_with_t(&self, x: f64, d: Option<f64>, t: f64) -> (f64, f64) {
        self.interval(x, d, 0.0, t)
    }

    /// `ŷ` with `t·√(se² + extra)` either side in the fit's residual space.
    fn interval(&self, x: f64, d: Option<f64>, extra: f64, t: f64) -> (f64, f64) {
        let y = self.predict(x, d);
        let se = self.residual_space_stderr(x, d);
        let h = t * (se * se + extra).sqrt();
        if self.objective.is_log() && y > 0.0 {
            (y * (-h).exp(), y * h.exp())
        } else {
            (y - h, y + h)
        }
    }
}
