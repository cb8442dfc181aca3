//! Starting points from the structure of each form.
//!
//! Given the exponents, saturating (`E + A·x^−α`) and chinchilla (`E + A·N^−α + B·D^−β`)
//! are linear in their coefficients: variable projection solves for the coefficients by
//! weighted linear least squares over a grid of exponents (each power column computed once),
//! ranks the grid by that least-squares residual, and keeps the best few by the true
//! objective. The other forms start from their linearised OLS fit.

use super::closed_form;
use super::objective_value;
use super::residuals::FormModel;
use crate::{Form, Objective};
use nalgebra::{Matrix3, Vector3};

/// How many of the best variable-projection candidates to polish.
const KEEP: usize = 4;
/// How many of the grid, ranked by linear least squares, to score by the true objective.
const SCORE: usize = 16;

/// Candidate starting points for `form`, best first.
pub(crate) fn starts(model: &FormModel, objective: Objective) -> Vec<Vec<f64>> {
    let (form, points) = (model.form, model.points);
    match form {
        Form::Power | Form::Exponential | Form::Log => {
            // The linearised fit when it exists (positive y, or all negative); otherwise a
            // flat curve through the mean.
            match closed_form::linearised(model) {
                Some(p) => vec![p],
                None => {
                    let mean = points.y.iter().sum::<f64>() / points.len().max(1) as f64;
                    vec![vec![mean, 0.0]]
                }
            }
        }
        Form::Saturating => varpro(model, objective, &exponent_grid(0.02, 3.0, 40), &[]),
        Form::Chinchilla => {
            let g = exponent_grid(0.02, 2.0, 24);
            varpro(model, objective, &g, &g)
        }
    }
}

/// `count` log-spaced exponents from `lo` to `hi`.
pub(crate) fn exponent_grid(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let step = (hi / lo).ln() / (count - 1) as f64;
    (0..count).map(|i| lo * (step * i as f64).exp()).collect()
}

/// Variable projection over `alphas` (× `betas` for chinchilla; empty for saturating).
fn varpro(model: &FormModel, objective: Objective, alphas: &[f64], betas: &[f64]) -> Vec<Vec<f64>> {
    let (form, points) = (model.form, model.points);
    let n = points.len();
    let (ln_x, ln_d) = (model.ln_x(), model.ln_d());
    let cols = |ln: &[f64], e: f64| ln.iter().map(|l| (-e * l).exp()).collect::<Vec<f64>>();
    let xa: Vec<Vec<f64>> = alphas.iter().map(|&a| cols(ln_x, a)).collect();
    let db: Vec<Vec<f64>> = betas.iter().map(|&b| cols(ln_d, b)).collect();
    // Row weights: w_i, divided by y_i² for log residuals (ln ŷ − ln y ≈ (ŷ − y)/y).
    let rw: Vec<f64> = (0..n)
        .map(|i| {
            let w = points.weight(i);
            if objective.is_log() {
                w / (points.y[i] * points.y[i])
            } else {
                w
            }
        })
        .collect();
    let ywy: f64 = (0..n).map(|i| rw[i] * points.y[i] * points.y[i]).sum();
    let mut ranked: Vec<(f64, Vec<f64>)> = Vec::new();
    let mut solve = |u: &[f64], v: Option<&[f64]>, exps: Vec<f64>| {
        if let Some((coef, sse)) = linear_fit(u, v, &rw, &points.y, ywy) {
            let mut p = coef;
            p.extend(exps);
            if p.iter().all(|t| t.is_finite()) {
                ranked.push((sse, p));
            }
        }
    };
    for (i, &a) in alphas.iter().enumerate() {
        if betas.is_empty() {
            solve(&xa[i], None, vec![a]);
        }
        for (j, &b) in betas.iter().enumerate() {
            solve(&xa[i], Some(&db[j]), vec![a, b]);
        }
    }
    // Chinchilla's coefficients are positive in the published parameterisation
    // (A = eᵃ, B = eᵇ). A negative coefficient with a near-zero exponent imitates a log term
    // (B·D^−β ≈ B − Bβ·ln D) and leads into a valley at infinity, so such candidates are
    // dropped when any positive one exists.
    if form == Form::Chinchilla && ranked.iter().any(|(_, p)| p[1] > 0.0 && p[2] > 0.0) {
        ranked.retain(|(_, p)| p[1] > 0.0 && p[2] > 0.0);
    }
    crate::sort::sort_by(&mut ranked, |a, b| a.0.total_cmp(&b.0));
    let mut scored: Vec<(f64, Vec<f64>)> = ranked
        .into_iter()
        .take(SCORE)
        .map(|(_, p)| (objective_value(model, objective, &p), p))
        .filter(|(v, _)| v.is_finite())
        .collect();
    crate::sort::sort_by(&mut scored, |a, b| a.0.total_cmp(&b.0));
    scored.into_iter().take(KEEP).map(|(_, p)| p).collect()
}

/// Weighted least squares of `y` on `[1, u, v]` (or `[1, u]`): coefficients and the weighted
/// residual sum of squares, via column-scaled normal equations.
fn linear_fit(
    u: &[f64],
    v: Option<&[f64]>,
    w: &[f64],
    y: &[f64],
    ywy: f64,
) -> Option<(Vec<f64>, f64)> {
    let k = if v.is_some() { 3 } else { 2 };
    let mut ata = Matrix3::<f64>::identity();
    let mut atb = Vector3::<f64>::zeros();
    let (mut s00, mut s01, mut s02, mut s11, mut s12, mut s22) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut b0, mut b1, mut b2) = (0.0, 0.0, 0.0);
    for i in 0..y.len() {
        let (wi, ui) = (w[i], u[i]);
        let vi = v.map_or(0.0, |v| v[i]);
        s00 += wi;
        s01 += wi * ui;
        s02 += wi * vi;
        s11 += wi * ui * ui;
        s12 += wi * ui * vi;
        s22 += wi * vi * vi;
        b0 += wi * y[i];
        b1 += wi * ui * y[i];
        b2 += wi * vi * y[i];
    }
    let full = [[s00, s01, s02], [s01, s11, s12], [s02, s12, s22]];
    let rhs = [b0, b1, b2];
    let scale: Vec<f64> = (0..k).map(|a| full[a][a].sqrt()).collect();
    if scale.iter().any(|s| !s.is_finite() || *s <= 0.0) {
        return None;
    }
    for a in 0..k {
        atb[a] = rhs[a] / scale[a];
        for b in 0..k {
            ata[(a, b)] = full[a][b] / (scale[a] * scale[b]);
        }
    }
    let c = ata.cholesky()?.solve(&atb);
    let coef: Vec<f64> = (0..k).map(|a| c[a] / scale[a]).collect();
    let fitted: f64 = (0..k).map(|a| coef[a] * rhs[a]).sum();
    Some((coef, (ywy - fitted).max(0.0)))
}
