//! Turn fitted parameters into a [`Fit`]: residuals, metrics, covariance, intervals.

use super::metrics::{mean_positive_weight, r_squared, Metrics, Space};
use super::pinned::Pins;
use super::residuals::FormModel;
use super::Fit;
use super::SeMethod;
use crate::solve::ResidualModel;
use crate::{stats, Objective, Termination};
use nalgebra::DMatrix;
use statrs::distribution::{ContinuousCDF, Normal};

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

    let (covariance, se_method) = if free.is_empty() {
        // Every parameter is pinned: known exactly.
        (Some(DMatrix::zeros(k, k)), SeMethod::default_for(objective))
    } else if metrics.dof == 0 {
        (None, SeMethod::default_for(objective))
    } else {
        let ols = || {
            let s2 = metrics.sse / metrics.dof as f64;
            stats::jtj_inverse(&j).map(|inv| embed(&(inv * s2), free, k))
        };
        match objective.huber_delta() {
            None => (ols(), SeMethod::Ols),
            Some(delta) => match sandwich(&j, &r, &w, delta, metrics.dof) {
                Some((c, method)) => {
                    if let Some(note) = method.fallback_note(free.len()) {
                        warnings.push(note);
                    }
                    (Some(embed(&c, free, k)), method)
                }
                None => {
                    warnings.push(
                        "few residuals inside δ and no usable curvature: intervals from the \
                         least-squares formula σ²(JᵀJ)⁻¹, which ignores the Huber loss; prefer \
                         the bootstrap"
                            .to_string(),
                    );
                    (ols(), SeMethod::Ols)
                }
            },
        }
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
    let stderr: Vec<f64> = (0..k)
        .map(|i| match &covariance {
            _ if pins.is_pinned(i) => 0.0,
            Some(c) if c[(i, i)] >= 0.0 => c[(i, i)].sqrt(),
            _ => f64::NAN,
        })
        .collect();
    let ci95 = intervals(form, &params, &stderr, metrics.dof);
    let pinned = (0..k).map(|i| pins.is_pinned(i)).collect();
    Fit {
        form,
        objective,
        params,
        pinned,
        stderr,
        ci95,
        covariance,
        se_method,
        metrics,
        termination,
        start: None,
        warnings,
    }
}

/// Student-t 95 % intervals of `params` with standard errors `stderr`: `p ± t·SE`, and for
/// parameters the law requires positive `p·exp(±t·SE/p)` (the delta method for `ln p`,
/// `se(ln p) = SE/p`), which stays positive.
pub(crate) fn intervals(
    form: crate::Form,
    params: &[f64],
    stderr: &[f64],
    dof: usize,
) -> Vec<(f64, f64)> {
    let t = stats::t95(dof);
    let law_params = form.law().params();
    params
        .iter()
        .zip(stderr)
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
        .collect()
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

/// The fewest residuals inside δ for the plain sandwich of `p` free parameters: `2p + 4`.
/// With fewer, the curvature `A = Σ ψ′(rᵢ)·jᵢjᵢᵀ` rests on a handful of rows (with δ = 10⁻³
/// in log space and 2 % noise, about one row in 25) and its inverse swings wildly from one
/// dataset to the next, or is singular.
pub(crate) fn min_inside(p: usize) -> usize {
    2 * p + 4
}

/// The M-estimator (sandwich) covariance of a Huber(δ) fit, `A⁻¹BA⁻¹·m/dof`, with its
/// method: `A = Σ w̃ᵢ·ψ′(rᵢ)·JᵢJᵢᵀ`, `B = Σ w̃ᵢ²·ψ(rᵢ)²·JᵢJᵢᵀ` (`j` holds the rows
/// `√w̃ᵢ·Jᵢ`; `m` the rows with positive weight; `m/dof` is the HC1 small-sample factor).
/// It does not depend on the scale of ρ, and for residuals all inside δ it is the
/// heteroscedasticity-consistent HC1 covariance of least squares.
///
/// With fewer than [`min_inside`] residuals inside δ, or `A` singular, the curvature is
/// smoothed ([`SeMethod::SandwichSmoothed`]): `A_s = κ̄·Σ w̃ᵢ·JᵢJᵢᵀ`, `κ̄` the (weighted) mean
/// over rows of `Φ((δ − rᵢ)/h) − Φ((−δ − rᵢ)/h)` — a Gaussian-kernel estimate of
/// `P(|r| ≤ δ) = E ψ′` — with Silverman's bandwidth `h = 1.06·s·m^(−1/5)` on the robust
/// scale `s = 1.4826·median|rᵢ|`. As δ → 0 this is the least-absolute-deviation covariance
/// `(JᵀJ)⁻¹/(4f(0)²)`. `None` when neither is estimable (the caller falls back to least
/// squares). Reference values: `scripts/scipy/reference_sandwich.py`.
fn sandwich(
    j: &DMatrix<f64>,
    r: &[f64],
    w: &dyn Fn(usize) -> f64,
    delta: f64,
    dof: usize,
) -> Option<(DMatrix<f64>, SeMethod)> {
    let p = j.ncols();
    let rows: Vec<usize> = (0..r.len()).filter(|&i| w(i) > 0.0).collect();
    let m = rows.len() as f64;
    let factor = m / dof as f64;
    let inside = rows.iter().filter(|&&i| r[i].abs() <= delta).count();
    let jb = DMatrix::from_fn(j.nrows(), p, |i, c| {
        j[(i, c)] * w(i).max(0.0).sqrt() * r[i].clamp(-delta, delta)
    });
    let b = jb.transpose() * &jb;
    // Symmetrised: A⁻¹BA⁻¹ is symmetric only up to rounding, and a link stores one triangle.
    let finite = |c: DMatrix<f64>| {
        let c = (&c + c.transpose()) * 0.5;
        c.iter().all(|v| v.is_finite()).then_some(c)
    };
    if inside >= min_inside(p) {
        let ja = DMatrix::from_fn(j.nrows(), p, |i, c| {
            if r[i].abs() <= delta {
                j[(i, c)]
            } else {
                0.0
            }
        });
        if let Some(c) =
            stats::jtj_inverse(&ja).and_then(|a_inv| finite(&a_inv * &b * &a_inv * factor))
        {
            return Some((c, SeMethod::Sandwich));
        }
    }
    let kbar = smoothed_inside_fraction(r, &rows, w, delta)?;
    let a_inv = stats::jtj_inverse(j)? / kbar;
    finite(&a_inv * &b * &a_inv * factor).map(|c| (c, SeMethod::SandwichSmoothed { inside }))
}

/// `κ̄ = Σ w̃ᵢ·[Φ((δ − rᵢ)/h) − Φ((−δ − rᵢ)/h)] / Σ w̃ᵢ` over the positive-weight `rows`,
/// `h = 1.06·1.4826·median|rᵢ|·m^(−1/5)`; `None` when it is not a positive number.
fn smoothed_inside_fraction(
    r: &[f64],
    rows: &[usize],
    w: &dyn Fn(usize) -> f64,
    delta: f64,
) -> Option<f64> {
    let mut abs: Vec<f64> = rows.iter().map(|&i| r[i].abs()).collect();
    crate::sort::sort_by(&mut abs, f64::total_cmp);
    let n = abs.len();
    let median = match n {
        0 => return None,
        _ if n % 2 == 1 => abs[n / 2],
        _ => 0.5 * (abs[n / 2 - 1] + abs[n / 2]),
    };
    let h = 1.06 * 1.4826 * median * (n as f64).powf(-0.2);
    let normal = Normal::new(0.0, 1.0).ok()?;
    let (mut num, mut den) = (0.0, 0.0);
    for &i in rows {
        num += w(i) * (normal.cdf((delta - r[i]) / h) - normal.cdf((-delta - r[i]) / h));
        den += w(i);
    }
    let kbar = num / den;
    (kbar.is_finite() && kbar > 0.0).then_some(kbar)
}
