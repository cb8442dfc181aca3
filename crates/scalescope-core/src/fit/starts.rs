//! Starting points from the structure of each form.
//!
//! Given the exponents, saturating (`E + A·x^−α`) and chinchilla (`E + A·N^−α + B·D^−β`)
//! are linear in their coefficients: variable projection solves for the coefficients by
//! linear least squares over a grid of exponents and keeps the best few by the true
//! objective. The other forms start from their linearised OLS fit.

use super::closed_form;
use super::objective_value;
use crate::{Form, Objective, Points};
use nalgebra::{DMatrix, DVector};

/// How many of the best variable-projection candidates to polish.
const KEEP: usize = 4;

/// Candidate starting points for `form`, best first.
pub(crate) fn starts(form: Form, points: &Points, objective: Objective) -> Vec<Vec<f64>> {
    match form {
        Form::Power | Form::Exponential | Form::Log => {
            let mut v = Vec::new();
            if let Some(p) = closed_form::linearised(form, points) {
                v.push(p);
            }
            let mean = points.y.iter().sum::<f64>() / points.len().max(1) as f64;
            v.push(vec![mean, 0.0]);
            v
        }
        Form::Saturating => {
            let grid = exponent_grid(0.02, 3.0, 40);
            let cands = grid.iter().map(|&a| vec![a]);
            varpro(form, points, objective, cands)
        }
        Form::Chinchilla => {
            let grid = exponent_grid(0.02, 2.0, 24);
            let cands = grid
                .iter()
                .flat_map(|&a| grid.iter().map(move |&b| vec![a, b]));
            varpro(form, points, objective, cands)
        }
    }
}

/// `count` log-spaced exponents from `lo` to `hi`.
pub(crate) fn exponent_grid(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let step = (hi / lo).ln() / (count - 1) as f64;
    (0..count).map(|i| lo * (step * i as f64).exp()).collect()
}

/// Coefficients by weighted linear least squares for fixed exponents; full parameter vector.
pub(crate) fn project(form: Form, points: &Points, log: bool, exps: &[f64]) -> Option<Vec<f64>> {
    let n = points.len();
    let k = exps.len() + 1;
    let basis = |i: usize, c: usize| -> f64 {
        match c {
            0 => 1.0,
            1 => points.x[i].powf(-exps[0]),
            _ => points.d_at(i).unwrap_or(f64::NAN).powf(-exps[1]),
        }
    };
    // Row weight: w_i, divided by y_i² for log residuals (ln ŷ − ln y ≈ (ŷ − y)/y).
    let row_w = |i: usize| {
        let w = points.weight(i);
        if log {
            w / (points.y[i] * points.y[i])
        } else {
            w
        }
    };
    let mut ata = DMatrix::<f64>::zeros(k, k);
    let mut atb = DVector::<f64>::zeros(k);
    let mut row = vec![0.0; k];
    for i in 0..n {
        let w = row_w(i);
        for (c, r) in row.iter_mut().enumerate() {
            *r = basis(i, c);
        }
        for a in 0..k {
            atb[a] += w * row[a] * points.y[i];
            for b in a..k {
                ata[(a, b)] += w * row[a] * row[b];
            }
        }
    }
    for a in 0..k {
        for b in 0..a {
            ata[(a, b)] = ata[(b, a)];
        }
    }
    let s: Vec<f64> = (0..k).map(|a| ata[(a, a)].sqrt()).collect();
    if s.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
        return None;
    }
    let scaled = DMatrix::from_fn(k, k, |a, b| ata[(a, b)] / (s[a] * s[b]));
    let rhs = DVector::from_fn(k, |a, _| atb[a] / s[a]);
    let c = scaled.cholesky()?.solve(&rhs);
    let coef: Vec<f64> = (0..k).map(|a| c[a] / s[a]).collect();
    let mut p = coef;
    p.extend_from_slice(exps);
    let _ = form;
    p.iter().all(|v| v.is_finite()).then_some(p)
}

fn varpro(
    form: Form,
    points: &Points,
    objective: Objective,
    exps: impl Iterator<Item = Vec<f64>>,
) -> Vec<Vec<f64>> {
    let mut scored: Vec<(f64, Vec<f64>)> = exps
        .filter_map(|e| project(form, points, objective.is_log(), &e))
        .map(|p| (objective_value(form, points, objective, &p), p))
        .filter(|(v, _)| v.is_finite())
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    scored.into_iter().take(KEEP).map(|(_, p)| p).collect()
}
