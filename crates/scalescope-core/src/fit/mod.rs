//! Fitting a built-in form: validation, starts, optimisation and diagnostics.

mod closed_form;
mod diagnostics;
mod grid;
mod metrics;
mod residuals;
mod result;
mod starts;

pub use metrics::{Metrics, Space};
pub use result::Fit;

use crate::solve::{
    self, LogParams, LsOptions, NewtonOptions, ResidualModel, RobustObjective, Scaled,
    SmoothObjective,
};
use crate::{FitError, FitMode, FitOptions, Form, Objective, Points, Termination};
use residuals::FormModel;

/// Fit `options.form` to `points`.
///
/// Power/exponential under `ls-log` and log under `ls` are closed-form OLS. Otherwise the
/// starts come from the structure (linearised OLS, or variable projection over the exponents
/// for saturating and chinchilla), Levenberg–Marquardt minimises the least-squares version
/// of the objective from each, and Huber objectives are then polished by damped Newton.
/// [`FitMode::Grid`] runs the published 4500-start L-BFGS protocol for chinchilla.
///
/// # Errors
/// A [`FitError`] for unusable data (too few points, NaN, non-positive values under a log,
/// constant input, mismatched lengths) or when no start gives a finite objective.
pub fn fit(points: &Points, options: &FitOptions) -> Result<Fit, FitError> {
    let form = options.form;
    let objective = options.effective_objective();
    if let Some(d) = objective.huber_delta() {
        if !(d.is_finite() && d > 0.0) {
            return Err(FitError::BadDelta(d));
        }
    }
    points.validate(form, objective)?;
    let mut warnings = Vec::new();
    if options.mode == FitMode::Grid && form != Form::Chinchilla {
        warnings.push(format!(
            "grid mode is the chinchilla protocol; the {form} form used the default strategy"
        ));
    }
    if closed_form::applies(form, objective) {
        if let Some(p) = closed_form::linearised(form, points) {
            return Ok(diagnostics::assemble(
                form,
                points,
                objective,
                p,
                Termination::ClosedForm,
                warnings,
            ));
        }
    }
    let (params, termination) = if options.mode == FitMode::Grid && form == Form::Chinchilla {
        grid_fit(points, objective, &mut warnings)?
    } else {
        let starts = starts::starts(form, points, objective);
        optimise(form, points, objective, &starts)?
    };
    Ok(diagnostics::assemble(
        form,
        points,
        objective,
        params,
        termination,
        warnings,
    ))
}

/// Objective value of `params` (NaN-safe: non-finite becomes +∞).
pub(crate) fn objective_value(
    form: Form,
    points: &Points,
    objective: Objective,
    params: &[f64],
) -> f64 {
    let model = FormModel::new(form, points, objective.is_log());
    let obj = RobustObjective::new(&model, points.weights.as_deref(), objective);
    let v = obj.value(params);
    if v.is_finite() {
        v
    } else {
        f64::INFINITY
    }
}

/// Least squares (LM) from each start; for Huber objectives, damped Newton then polishes
/// the two best distinct least-squares optima. The lowest objective wins.
///
/// Chinchilla is optimised in `(ln E, ln A, ln B, alpha, beta)`, the positivity of the
/// published log-sum-exp parameterisation (a start with E ≤ 0 is lifted to a small positive
/// floor; starts with A or B ≤ 0 are skipped unless no start is positive).
pub(crate) fn optimise(
    form: Form,
    points: &Points,
    objective: Objective,
    starts: &[Vec<f64>],
) -> Result<(Vec<f64>, Termination), FitError> {
    let model = FormModel::new(form, points, objective.is_log());
    if form == Form::Chinchilla {
        let lp = LogParams::new(&model, &[true, true, true, false, false]);
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
            return optimise_in(&lp, points, objective, &phi, &|p| lp.to_natural(p), form);
        }
    }
    optimise_in(&model, points, objective, starts, &|p| p.to_vec(), form)
}

/// [`optimise`] on any parameterisation of the form's residuals; `natural` maps the
/// optimiser's parameters back to the form's.
fn optimise_in(
    model: &dyn ResidualModel,
    points: &Points,
    objective: Objective,
    starts: &[Vec<f64>],
    natural: &dyn Fn(&[f64]) -> Vec<f64>,
    form: Form,
) -> Result<(Vec<f64>, Termination), FitError> {
    let weights = points.weights.as_deref();
    let scaled = Scaled::new(model, weights);
    let robust = RobustObjective::new(model, weights, objective);
    let value = |p: &[f64]| objective_value(form, points, objective, &natural(p));
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
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
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
        found.sort_by(|a, b| a.0.total_cmp(&b.0));
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

/// The published 4500-start L-BFGS protocol, then a Newton polish of the best run in the
/// natural parameters (kept only if it lowers the objective).
fn grid_fit(
    points: &Points,
    objective: Objective,
    warnings: &mut Vec<String>,
) -> Result<(Vec<f64>, Termination), FitError> {
    let (best, converged) = grid::grid(points, objective).ok_or(FitError::NoFiniteStart)?;
    warnings.push(format!(
        "grid: best of 4500 L-BFGS runs has objective {:.10e} after {} iterations; {} of 4500 runs met the L-BFGS tolerances",
        best.value, best.iterations, converged
    ));
    let natural = grid::to_natural(&best.params);
    let model = FormModel::new(Form::Chinchilla, points, objective.is_log());
    let robust = RobustObjective::new(&model, points.weights.as_deref(), objective);
    let polished = solve::minimize(&robust, &natural, &NewtonOptions::default());
    if polished.value.is_finite() && polished.value <= best.value {
        Ok((polished.params, polished.termination))
    } else {
        let t = if best.converged {
            Termination::Converged {
                test: "L-BFGS tolerances",
                iterations: best.iterations as usize,
            }
        } else {
            Termination::MaxIterations {
                iterations: best.iterations as usize,
            }
        };
        Ok((natural, t))
    }
}
