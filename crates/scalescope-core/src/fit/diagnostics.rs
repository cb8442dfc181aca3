//! Turn fitted parameters into a [`Fit`]: residuals, metrics, covariance, intervals.

use super::metrics::{mean_positive_weight, r_squared, sst, Metrics, Space};
use super::pinned::Pins;
use super::residuals::FormModel;
use super::Fit;
use super::SeMethod;
use crate::solve::tall::{RowQr, BLOCK};
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
    warnings: Vec<String>,
) -> Fit {
    build(model, objective, pins, params, termination, warnings).0
}

/// [`assemble`], and the first point where the law is not finite (its index and value).
pub(crate) fn build(
    model: &FormModel,
    objective: Objective,
    pins: &Pins,
    params: Vec<f64>,
    termination: Termination,
    warnings: Vec<String>,
) -> (Fit, Option<(usize, f64)>) {
    let points = model.points;
    let request = Request {
        model,
        objective,
        pins,
        params,
        termination,
        warnings,
    };
    // Weights normalised to mean 1 over the positive ones (see `Metrics`).
    let weights = Weights {
        w: points.weights.as_deref(),
        scale: points
            .weights
            .as_deref()
            .map_or(1.0, |ws| mean_positive_weight(ws.len(), &|i| ws[i])),
    };
    request.finish(&weights)
}

/// Row weights divided by `scale` (none: all 1). One type for every case, so the passes
/// are compiled once (the page's size); the test is the same at every point, so native
/// builds take it out of the loops.
pub(crate) struct Weights<'a> {
    w: Option<&'a [f64]>,
    scale: f64,
}

impl Weights<'_> {
    /// The weight of point `i`.
    #[inline]
    pub fn at(&self, i: usize) -> f64 {
        match self.w {
            None => 1.0,
            Some(w) => w.get(i).copied().unwrap_or(1.0) / self.scale,
        }
    }
}

/// What [`build`] was asked.
struct Request<'m, 'p> {
    model: &'m FormModel<'p>,
    objective: Objective,
    pins: &'m Pins,
    params: Vec<f64>,
    termination: Termination,
    warnings: Vec<String>,
}

/// The sums and matrices of one pass over the points.
struct Pass {
    /// `Σ w·ρ(r)`.
    value: f64,
    /// `Σ w·r²` in fit space.
    sse: f64,
    /// `Σ w·(y − ŷ)²`.
    sse_raw: f64,
    /// `Σ w·(ln y − (ln y + r))²` (log space only).
    sse_log: f64,
    /// Rows with positive weight.
    positive: usize,
    /// The first point where ŷ is not finite.
    undefined: Option<(usize, f64)>,
    /// Every Jacobian entry is finite.
    finite_jacobian: bool,
}

impl Request<'_, '_> {
    fn finish(self, weights: &Weights) -> (Fit, Option<(usize, f64)>) {
        let w = &|i: usize| weights.at(i);
        let Request {
            model,
            objective,
            pins,
            params,
            termination,
            mut warnings,
        } = self;
        let (form, points, log) = (model.form, model.points, model.log);
        let n = points.len();
        let k = form.n_params();
        let free = pins.free();
        let huber = objective.huber_delta();
        // One pass: model values, fit-space residuals, the sums of the metrics and the
        // (row-weighted) Jacobian of the free parameters — whole for the Huber sandwich,
        // else folded into the triangle of its QR as it goes (`solve::tall`).
        let mut r_all = if huber.is_some() {
            vec![0.0; n]
        } else {
            Vec::new()
        };
        let mut j = if huber.is_some() {
            DMatrix::zeros(n, free.len())
        } else {
            DMatrix::zeros(0, 0)
        };
        let mut tri = RowQr::triangle(free.len());
        // A log-linear law in log space with both parameters free, under least squares:
        // ln ŷ = ln a + b·z, whose log-space Jacobian row is (1/a, z): a loop over slices,
        // no call of the law per point.
        // The passes are compiled for two kinds of weights (none, and a slice), so the
        // unweighted loops test nothing per point; the rest of `finish` once.
        let (one, given) = (|_: usize| 1.0, |i: usize| weights.at(i));
        let unweighted = weights.w.is_none();
        // Natively only: on the page (wasm32) the general pass does it, to the same values
        // up to rounding, and the page keeps the size of one pass (size budget).
        let pass = match model.log_linear(&params) {
            Some((ln_a, z))
                if huber.is_none() && free == [0, 1] && cfg!(not(target_arch = "wasm32")) =>
            {
                if unweighted {
                    log_linear_pass(model, objective, &params, ln_a, z, &one, &mut tri)
                } else {
                    log_linear_pass(model, objective, &params, ln_a, z, &given, &mut tri)
                }
            }
            _ => {
                let mut rows = Rows::Triangle(&mut tri);
                if huber.is_some() {
                    rows = Rows::Whole(&mut j, &mut r_all);
                }
                if unweighted {
                    generic_pass(model, objective, &params, free, &one, rows)
                } else {
                    generic_pass(model, objective, &params, free, &given, rows)
                }
            }
        };
        let sst = |v: &[f64]| {
            if unweighted {
                sst(v, &one)
            } else {
                sst(v, &given)
            }
        };
        let space = if log { Space::Log } else { Space::Linear };
        let dof = pass.positive.saturating_sub(free.len());
        let mut metrics = Metrics::from_sums(n, dof, pass.sse, free.len(), pass.value, space);
        if pass.undefined.is_some() {
            warnings.push("the fitted curve is not finite at some points".to_string());
        }
        metrics.r2_raw = r_squared(sst(&points.y), pass.sse_raw);
        metrics.r2 = if log {
            r_squared(sst(&model.ln_y), pass.sse_log)
        } else {
            metrics.r2_raw
        };

        let (covariance, se_method) = if free.is_empty() {
            // Every parameter is pinned: known exactly.
            (Some(DMatrix::zeros(k, k)), SeMethod::default_for(objective))
        } else if metrics.dof == 0 {
            (None, SeMethod::default_for(objective))
        } else {
            let s2 = metrics.sse / metrics.dof as f64;
            match huber {
                None => {
                    let (t, _, _) = tri.finish();
                    let inv = pass
                        .finite_jacobian
                        .then(|| stats::jtj_inverse_of_r(&t))
                        .flatten();
                    (inv.map(|inv| embed(&(inv * s2), free, k)), SeMethod::Ols)
                }
                Some(delta) => match sandwich(&j, &r_all, w, delta, metrics.dof) {
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
                        let inv = stats::jtj_inverse(&j);
                        (inv.map(|inv| embed(&(inv * s2), free, k)), SeMethod::Ols)
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
        let fit = Fit {
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
        };
        (fit, pass.undefined)
    }
}

/// Where a pass puts the Jacobian's rows: folded into the triangle of its QR, or whole
/// with the residuals (the Huber sandwich reads them).
enum Rows<'a> {
    Triangle(&'a mut RowQr),
    Whole(&'a mut DMatrix<f64>, &'a mut Vec<f64>),
}

impl Pass {
    fn new() -> Pass {
        Pass {
            value: 0.0,
            sse: 0.0,
            sse_raw: 0.0,
            sse_log: 0.0,
            positive: 0,
            undefined: None,
            finite_jacobian: true,
        }
    }
}

/// The pass over the points for any law: values and gradients from the law, fit-space
/// residuals, the sums, and the row-weighted Jacobian of the `free` parameters.
fn generic_pass<W: Fn(usize) -> f64>(
    model: &FormModel,
    objective: Objective,
    params: &[f64],
    free: &[usize],
    w: &W,
    mut rows: Rows,
) -> Pass {
    let (points, log) = (model.points, model.log);
    let mut g = vec![0.0; params.len()];
    let mut row = vec![0.0; free.len()];
    let mut pass = Pass::new();
    for i in 0..points.len() {
        let wi = w(i);
        let yhat = model.value(params, i, Some(&mut g));
        let r = model.residual_of(i, yhat);
        let s = if log { 1.0 / yhat } else { 1.0 } * wi.sqrt();
        if !yhat.is_finite() && pass.undefined.is_none() {
            pass.undefined = Some((i, yhat));
        }
        for (c, &f) in free.iter().enumerate() {
            row[c] = g[f] * s;
        }
        pass.finite_jacobian &= row.iter().all(|v| v.is_finite());
        pass.value += wi * objective.rho(r);
        pass.sse += wi * r * r;
        pass.sse_raw += wi * (points.y[i] - yhat).powi(2);
        if log {
            let l = model.ln_y[i];
            pass.sse_log += wi * (l - (l + r)).powi(2);
        }
        pass.positive += usize::from(wi > 0.0);
        match &mut rows {
            Rows::Triangle(tri) => tri.push(&row, 0.0),
            Rows::Whole(j, r_all) => {
                r_all[i] = r;
                for (c, v) in row.iter().enumerate() {
                    j[(i, c)] = *v;
                }
            }
        }
    }
    pass
}

/// [`generic_pass`] for a log-linear law `ln ŷ = ln a + b·z` (`ln_a = ln a`, `z` the
/// regressor of every point) in log space with both parameters free: the log-space
/// Jacobian row is `(1/a, z)`, the residual `ln a + b·z − ln y`.
fn log_linear_pass<W: Fn(usize) -> f64>(
    model: &FormModel,
    objective: Objective,
    params: &[f64],
    ln_a: f64,
    z: &[f64],
    w: &W,
    tri: &mut RowQr,
) -> Pass {
    let (a, b) = (params[0], params[1]);
    let inv_a = 1.0 / a;
    let (y, ln_y) = (&model.points.y, &model.ln_y);
    let (mut value, mut sse, mut sse_raw, mut sse_log) = (0.0, 0.0, 0.0, 0.0);
    let (mut positive, mut undefined, mut finite) = (0, None, inv_a.is_finite());
    let least_squares = !objective.needs_polish();
    // In blocks: the values first (a call of `exp` each), then the sums in a loop without
    // calls, whose running sums stay in registers, then the block's Jacobian rows.
    let mut yhat = [0.0; BLOCK];
    for start in (0..z.len()).step_by(BLOCK) {
        let end = (start + BLOCK).min(z.len());
        for (v, zi) in yhat.iter_mut().zip(&z[start..end]) {
            *v = a * (b * zi).exp();
        }
        for (k, i) in (start..end).enumerate() {
            let (zi, yi, li, fi) = (z[i], y[i], ln_y[i], yhat[k]);
            let wi = w(i);
            let r = ln_a + b * zi - li;
            if !fi.is_finite() && undefined.is_none() {
                undefined = Some((i, fi));
            }
            finite &= (zi * wi.sqrt()).is_finite();
            if !least_squares {
                value += wi * objective.rho(r);
            }
            sse += wi * r * r;
            sse_raw += wi * (yi - fi) * (yi - fi);
            sse_log += wi * (li - (li + r)) * (li - (li + r));
            positive += usize::from(wi > 0.0);
        }
        tri.push_rows(end - start, |cols| {
            for (k, i) in (start..end).enumerate() {
                let s = w(i).sqrt();
                cols[k] = inv_a * s;
                cols[BLOCK + k] = z[i] * s;
            }
        });
    }
    Pass {
        // ρ(r) = r² for least squares: the objective is the SSE.
        value: if least_squares { sse } else { value },
        sse,
        sse_raw,
        sse_log,
        positive,
        undefined,
        finite_jacobian: finite,
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
