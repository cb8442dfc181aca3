//! Turn fitted parameters into a [`Fit`]: residuals, metrics, covariance, intervals.

use super::metrics::{mean_positive_weight, r_squared, Metrics, Space};
use super::pinned::Pins;
use super::residuals::FormModel;
use super::Fit;
use crate::solve::ResidualModel;
use crate::{stats, Objective, Termination};
use nalgebra::DMatrix;

/// Build the [`Fit`] for `params` of `form` on `points` under `objective`. Pinned
/// parameters count as known: they take no degree of freedom and have no variance.
pub(crate) fn assemble(
    model: &FormModel,
    objective: Objective,
    pins: &Pins,
    params: Vec<f64>,
    termination: Termination,
    mut warnings: Vec<String>,
) -> Fit {
    let (form, points, log) = (model.form, model.points, model.log);
    let n = points.len();
    let k = form.n_params();
    let free = pins.free();
    // Weights normalised to mean 1 over the positive ones (see `Metrics`).
    let scale = mean_positive_weight(n, &|i| points.weight(i));
    let w = |i: usize| points.weight(i) / scale;
    // One pass: model values, fit-space residuals and the (row-weighted) Jacobian of the
    // free parameters.
    let mut yhat = vec![0.0; n];
    let mut r = vec![0.0; n];
    model.residuals(&params, &mut r);
    let mut j = DMatrix::zeros(n, free.len());
    let mut g = vec![0.0; k];
    for i in 0..n {
        yhat[i] = model.value(&params, i, Some(&mut g));
        let s = if log { 1.0 / yhat[i] } else { 1.0 } * w(i).sqrt();
        for (c, &f) in free.iter().enumerate() {
            j[(i, c)] = g[f] * s;
        }
    }
    let value: f64 = r
        .iter()
        .enumerate()
        .map(|(i, v)| w(i) * objective.rho(*v))
        .sum();
    let space = if log { Space::Log } else { Space::Linear };
    let mut metrics = Metrics::from_residuals(&r, &w, free.len(), value, space);
    if yhat.iter().any(|v| !v.is_finite()) {
        warnings.push("the fitted curve is not finite at some points".to_string());
    }
    metrics.r2_raw = r_squared(&points.y, &yhat, &w);
    metrics.r2 = if log {
        let lp: Vec<f64> = model.ln_y.iter().zip(&r).map(|(l, r)| l + r).collect();
        r_squared(&model.ln_y, &lp, &w)
    } else {
        metrics.r2_raw
    };

    let covariance = if free.is_empty() {
        // Every parameter is pinned: known exactly.
        Some(DMatrix::zeros(k, k))
    } else if metrics.dof == 0 {
        None
    } else {
        let s2 = metrics.sse / metrics.dof as f64;
        stats::jtj_inverse(&j).map(|inv| {
            let mut full = DMatrix::zeros(k, k);
            for (a, &fa) in free.iter().enumerate() {
                for (b, &fb) in free.iter().enumerate() {
                    full[(fa, fb)] = inv[(a, b)] * s2;
                }
            }
            full
        })
    };
    if covariance.is_none() {
        warnings.push(
            "parameter uncertainty is not estimable (singular Jacobian or no degrees of freedom)"
                .to_string(),
        );
    }
    if !termination.converged() {
        warnings.push(format!("the optimiser did not converge: {termination}"));
    }
    let t = stats::t95(metrics.dof);
    let stderr: Vec<f64> = (0..k)
        .map(|i| match &covariance {
            _ if pins.is_pinned(i) => 0.0,
            Some(c) if c[(i, i)] >= 0.0 => c[(i, i)].sqrt(),
            _ => f64::NAN,
        })
        .collect();
    let ci95 = params
        .iter()
        .zip(&stderr)
        .map(|(p, s)| (p - t * s, p + t * s))
        .collect();
    let pinned = (0..k).map(|i| pins.is_pinned(i)).collect();
    Fit {
        form,
        objective,
        params,
        pinned,
        stderr,
        ci95,
        covariance,
        metrics,
        termination,
        start: None,
        warnings,
    }
}
