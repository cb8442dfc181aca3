//! The default search: Levenberg–Marquardt from the law's starts, Newton polish for the
//! objectives that are not least squares.

use super::objective_value;
use super::pinned::{Pinned, Pins};
use super::residuals::FormModel;
use crate::solve::{
    self, LogParams, LsOptions, NewtonOptions, ResidualModel, RobustObjective, Scaled,
};
use crate::{FitError, Objective, Termination};

/// Least squares (LM) from each start; for Huber and `asym-log` objectives, damped Newton
/// then polishes the two best distinct least-squares optima. The lowest objective wins.
///
/// Pinned parameters are held at their values (the optimiser sees only the free ones).
/// Free parameters the law marks positive are optimised through their logarithm (for
/// chinchilla, the published log-sum-exp parameterisation); starts that put one at or
/// below zero are skipped unless no start is valid, in which case the search runs
/// unconstrained.
pub(crate) fn optimise(
    model: &FormModel,
    objective: Objective,
    pins: &Pins,
    starts: &[Vec<f64>],
) -> Result<Won, FitError> {
    let pinned = Pinned::new(model, pins);
    let free: Vec<Vec<f64>> = starts
        .iter()
        .filter(|s| s.len() == model.n_params())
        .map(|s| pins.restrict(&pins.apply(s)))
        .collect();
    let positive: Vec<bool> = pins
        .free()
        .iter()
        .map(|&k| model.law.params()[k].positive)
        .collect();
    if positive.iter().any(|p| *p) {
        let lp = LogParams::new(&pinned, &positive);
        let phi: Vec<Vec<f64>> = free.iter().filter_map(|s| lp.from_natural(s)).collect();
        if !phi.is_empty() {
            return optimise_in(&lp, model, objective, &phi, &|p| {
                pins.expand(&lp.to_natural(p))
            });
        }
    }
    optimise_in(&pinned, model, objective, &free, &|p| pins.expand(p))
}

/// [`optimise`] on any parameterisation of the law's residuals; `natural` maps the
/// optimiser's parameters back to the law's.
fn optimise_in(
    model: &dyn ResidualModel,
    form_model: &FormModel,
    objective: Objective,
    starts: &[Vec<f64>],
    natural: &dyn Fn(&[f64]) -> Vec<f64>,
) -> Result<Won, FitError> {
    let weights = form_model.points.weights.as_deref();
    let scaled = Scaled::new(model, weights);
    let robust = RobustObjective::new(model, weights, objective);
    let value = |p: &[f64]| objective_value(form_model, objective, &natural(p));
    let mut found: Vec<(f64, Vec<f64>, Termination, &[f64])> = Vec::new();
    // For least squares the objective is the weighted SSE LM reports (a start where it is
    // not finite ends LM at once): no pass over the points to evaluate it again.
    let least_squares = !objective.needs_polish();
    for start in starts {
        if !least_squares && !value(start).is_finite() {
            continue;
        }
        let ls = solve::least_squares(&scaled, start, &LsOptions::default());
        let (p, term) = if ls.sse.is_finite() {
            (ls.params, ls.termination)
        } else {
            (start.clone(), ls.termination)
        };
        let v = if least_squares && ls.sse.is_finite() {
            ls.sse
        } else {
            value(&p)
        };
        if v.is_finite() {
            found.push((v, p, term, start));
        }
    }
    rank(&mut found);
    if objective.needs_polish() {
        let mut polished: Vec<(f64, Vec<f64>, Termination, &[f64])> = Vec::new();
        for (_, p, _, start) in &found {
            if polished.len() == 2 {
                break;
            }
            if polished.iter().any(|q| close(&q.1, p)) {
                continue;
            }
            let s = solve::minimize(&robust, p, &NewtonOptions::default());
            let v = value(&s.params);
            let start = earliest_start(&found, (value(p), p), starts).unwrap_or(start);
            polished.push((v, s.params, s.termination, start));
        }
        found = polished;
        rank(&mut found);
    }
    // Of the runs that reached the best optimum, the one from the earliest start: the same
    // run (parameters, stopping test, start) on every platform.
    let start = found
        .first()
        .and_then(|(v, p, _, _)| earliest_start(&found, (*v, p), starts));
    let won = start.and_then(|s| found.iter().position(|f| std::ptr::eq(f.3, s)));
    won.map(|i| found.swap_remove(i))
        .map(|(_, p, termination, start)| Won {
            params: natural(&p),
            termination,
            start: natural(start),
        })
        .ok_or(FitError::NoFiniteStart)
}

/// Objectives within this relative distance of the best are ties: starts that reach the
/// same optimum differ there only by rounding, which differs between platforms' math
/// libraries (wasm32 and native).
const TIE: f64 = 1e-12;

/// Sorts `found` (objective, params, termination, start) best first.
fn rank(found: &mut Vec<(f64, Vec<f64>, Termination, &[f64])>) {
    crate::sort::sort_by_score(found, |f| f.0);
}

/// The earliest of the starts in `found` that reached the optimum `(value, params)` (a tie
/// in objective, or parameters [`close`] to it). Which of several such starts lands a hair
/// lower differs between platforms' math libraries; reporting the earliest makes the page,
/// the CLI and a link name the same start.
fn earliest_start<'a>(
    found: &[(f64, Vec<f64>, Termination, &'a [f64])],
    (value, params): (f64, &[f64]),
    starts: &[Vec<f64>],
) -> Option<&'a [f64]> {
    let order = |start: &[f64]| starts.iter().position(|s| s.as_slice() == start);
    found
        .iter()
        .filter(|f| f.0 <= value + TIE * value.abs() || close(&f.1, params))
        .min_by_key(|f| order(f.3))
        .map(|f| f.3)
}

/// One optimisation from `start` (the law's parameters, e.g. a full fit's optimum when
/// refitting a bootstrap resample): damped Newton on the objective directly for Huber and
/// `asym-log` objectives, Levenberg–Marquardt for least squares, in the same
/// parameterisation as [`optimise`] (pinned parameters held, positive ones through their
/// logarithm). `None` unless it converges to a finite objective.
pub(crate) fn warm(
    model: &FormModel,
    objective: Objective,
    pins: &Pins,
    start: &[f64],
) -> Option<(Vec<f64>, Termination)> {
    if start.len() != model.n_params() {
        return None;
    }
    let pinned = Pinned::new(model, pins);
    let free = pins.restrict(&pins.apply(start));
    let positive: Vec<bool> = pins
        .free()
        .iter()
        .map(|&k| model.law.params()[k].positive)
        .collect();
    if positive.iter().any(|p| *p) {
        let lp = LogParams::new(&pinned, &positive);
        if let Some(phi) = lp.from_natural(&free) {
            return warm_in(&lp, model, objective, &phi, &|p| {
                pins.expand(&lp.to_natural(p))
            });
        }
    }
    warm_in(&pinned, model, objective, &free, &|p| pins.expand(p))
}

fn warm_in(
    model: &dyn ResidualModel,
    form_model: &FormModel,
    objective: Objective,
    start: &[f64],
    natural: &dyn Fn(&[f64]) -> Vec<f64>,
) -> Option<(Vec<f64>, Termination)> {
    let weights = form_model.points.weights.as_deref();
    let (p, termination) = if objective.needs_polish() {
        let robust = RobustObjective::new(model, weights, objective);
        let s = solve::minimize(&robust, start, &NewtonOptions::default());
        (s.params, s.termination)
    } else {
        let scaled = Scaled::new(model, weights);
        let ls = solve::least_squares(&scaled, start, &LsOptions::default());
        (ls.params, ls.termination)
    };
    let p = natural(&p);
    let v = objective_value(form_model, objective, &p);
    (v.is_finite() && termination.converged() && p.iter().all(|x| x.is_finite()))
        .then_some((p, termination))
}

/// The optimum the search found, how the optimiser stopped, and where it started.
pub(crate) struct Won {
    pub params: Vec<f64>,
    pub termination: Termination,
    pub start: Vec<f64>,
}

/// Whether two parameter vectors agree to 1e-6 relative in every component.
fn close(a: &[f64], b: &[f64]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (x - y).abs() <= 1e-6 * x.abs().max(y.abs()))
}
