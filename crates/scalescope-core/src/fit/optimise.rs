//! The default search: Levenberg–Marquardt from structured starts, Newton polish for Huber.

use super::objective_value;
use super::residuals::FormModel;
use crate::solve::{
    self, LogParams, LsOptions, NewtonOptions, ResidualModel, RobustObjective, Scaled,
};
use crate::{FitError, Form, Objective, Termination};

/// Least squares (LM) from each start; for Huber objectives, damped Newton then polishes
/// the two best distinct least-squares optima. The lowest objective wins.
///
/// Chinchilla is optimised in `(ln E, ln A, ln B, alpha, beta)`, the positivity of the
/// published log-sum-exp parameterisation (a start with E ≤ 0 is lifted to a small positive
/// floor; starts with A or B ≤ 0 are skipped unless no start is positive).
pub(crate) fn optimise(
    model: &FormModel,
    objective: Objective,
    starts: &[Vec<f64>],
) -> Result<(Vec<f64>, Termination), FitError> {
    let points = model.points;
    if model.form == Form::Chinchilla {
        let lp = LogParams::new(model, &[true, true, true, false, false]);
        // A start whose linear solve put the floor E at or below zero keeps its shape with a
        // small positive floor.
        let floor = 1e-3 * points.y.iter().copied().fold(f64::INFINITY, f64::min);
        let phi: Vec<Vec<f64>> = starts
            .iter()
            .filter_map(|s| {
                let mut s = s.clone();
                s[0] = s[0].max(floor);
                lp.from_natural(&s)
            })
            .collect();
        if !phi.is_empty() {
            return optimise_in(&lp, model, objective, &phi, &|p| lp.to_natural(p));
        }
    }
    optimise_in(model, model, objective, starts, &|p| p.to_vec())
}

/// [`optimise`] on any parameterisation of the form's residuals; `natural` maps the
/// optimiser's parameters back to the form's.
fn optimise_in(
    model: &dyn ResidualModel,
    form_model: &FormModel,
    objective: Objective,
    starts: &[Vec<f64>],
    natural: &dyn Fn(&[f64]) -> Vec<f64>,
) -> Result<(Vec<f64>, Termination), FitError> {
    let weights = form_model.points.weights.as_deref();
    let scaled = Scaled::new(model, weights);
    let robust = RobustObjective::new(model, weights, objective);
    let value = |p: &[f64]| objective_value(form_model, objective, &natural(p));
    let mut found: Vec<(f64, Vec<f64>, Termination)> = Vec::new();
    for start in starts {
        if !value(start).is_finite() {
            continue;
        }
        let ls = solve::least_squares(&scaled, start, &LsOptions::default());
        let (p, term) = if ls.sse.is_finite() {
            (ls.params, ls.termination)
        } else {
            (start.clone(), ls.termination)
        };
        let v = value(&p);
        if v.is_finite() {
            found.push((v, p, term));
        }
    }
    crate::sort::sort_by(&mut found, |a, b| a.0.total_cmp(&b.0));
    if objective.huber_delta().is_some() {
        let mut polished: Vec<(f64, Vec<f64>, Termination)> = Vec::new();
        for (_, p, _) in &found {
            if polished.len() == 2 {
                break;
            }
            if polished.iter().any(|q| close(&q.1, p)) {
                continue;
            }
            let s = solve::minimize(&robust, p, &NewtonOptions::default());
            let v = value(&s.params);
            polished.push((v, s.params, s.termination));
        }
        found = polished;
        crate::sort::sort_by(&mut found, |a, b| a.0.total_cmp(&b.0));
    }
    found
        .into_iter()
        .next()
        .map(|(_, p, t)| (natural(&p), t))
        .ok_or(FitError::NoFiniteStart)
}

/// Whether two parameter vectors agree to 1e-6 relative in every component.
fn close(a: &[f64], b: &[f64]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (x - y).abs() <= 1e-6 * x.abs().max(y.abs()))
}
