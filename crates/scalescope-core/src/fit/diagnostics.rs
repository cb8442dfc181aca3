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
    } else if objective.huber_delta().is_some() {
        sandwich(&j, &r, &w, objective, metrics.dof, &mut warnings).map(|c| embed(&c, free, k))
    } else {
        let s2 = metrics.sse / metrics.dof as f64;
        stats::jtj_inverse(&j).map(|inv| embed(&(inv * s2), free, k))
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
    // Parameters that must be positive get their interval on the log scale (delta method
    // for ln p: se(ln p) = se/p), so it stays positive.
    let law_params = form.law().params();
    let ci95 = params
        .iter()
        .zip(&stderr)
        .enumerate()
        .map(|(i, (&p, &s))| {
            let positive = law_params.get(i).is_some_and(|d| d.positive);
            if positive && p > 0.0 && s > 0.0 {
                let h = t * s / p;
                (p * (-h).exp(), p * h.exp())
            } else {
                (p - t * s, p + t * s)
            }
        })
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

/// The free parameters' covariance `c` as the full `k × k` matrix (pinned rows and columns 0).
fn embed(c: &DMatrix<f64>, free: &[usize], k: usize) -> DMatrix<f64> {
    let mut full = DMatrix::zeros(k, k);
    for (a, &fa) in free.iter().enumerate() {
        for (b, &fb) in free.iter().enumerate() {
            full[(fa, fb)] = c[(a, b)];
        }
    }
    full
}

/// The M-estimator (sandwich) covariance `A⁻¹BA⁻¹·m/dof` of a Huber fit: `A = Σ ψ′(rᵢ)·jᵢjᵢᵀ`,
/// `B = Σ w̃ᵢ·ψ(rᵢ)²·jᵢjᵢᵀ` (`jᵢ` the √w̃-weighted Jacobian row, `m` the rows with positive
/// weight). It does not depend on the scale of ρ, and for residuals all inside δ it is the
/// heteroscedasticity-consistent HC1 covariance of least squares. `None` (with a warning)
/// when fewer residuals than free parameters + 1 lie inside δ: the curvature `A` is then
/// not estimable and the bootstrap is the honest interval.
fn sandwich(
    j: &DMatrix<f64>,
    r: &[f64],
    w: &dyn Fn(usize) -> f64,
    objective: Objective,
    dof: usize,
    warnings: &mut Vec<String>,
) -> Option<DMatrix<f64>> {
    let p = j.ncols();
    let rows: Vec<usize> = (0..r.len()).filter(|&i| w(i) > 0.0).collect();
    let inside = rows
        .iter()
        .filter(|&&i| objective.rho_second(r[i]) > 0.0)
        .count();
    if inside < p + 1 {
        warnings.push(format!(
            "only {inside} residuals lie inside the Huber threshold: the sandwich covariance is              not estimable; use the bootstrap for intervals"
        ));
        return None;
    }
    let ja = DMatrix::from_fn(j.nrows(), p, |i, c| {
        j[(i, c)] * objective.rho_second(r[i]).max(0.0).sqrt()
    });
    let a_inv = stats::jtj_inverse(&ja)?;
    let jb = DMatrix::from_fn(j.nrows(), p, |i, c| {
        j[(i, c)] * w(i).max(0.0).sqrt() * objective.rho_prime(r[i]).abs()
    });
    let b = jb.transpose() * &jb;
    let m = rows.len() as f64;
    let c = &a_inv * b * &a_inv * (m / dof as f64);
    c.iter().all(|v| v.is_finite()).then_some(c)
}
