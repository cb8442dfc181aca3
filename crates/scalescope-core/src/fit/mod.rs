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

use crate::solve::{self, LsOptions, NewtonOptions, RobustObjective, Scaled, SmoothObjective};
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
pub(crate) fn optimise(
    form: Form,
    points: &Points,
    objective: Objective,
    starts: &[Vec<f64>],
) -> Result<(Vec<f64>, Termination), FitError> {
    let model = FormModel::new(form, points, objective.is_log());
    let weights = points.weights.as_deref();
    let scaled = Scaled::new(&model, weights);
    let robust = RobustObjective::new(&model, weights, objective);
    let mut found: Vec<(f64, Vec<f64>, Termination)> = Vec::new();
    for start in starts {
        if !objective_value(form, points, objective, start).is_finite() {
            continue;
        }
        let ls = solve::least_squares(&scaled, start, &LsOptions::default());
        let (p, term) = if ls.sse.is_finite() {
            (ls.params, ls.termination)
        } else {
            (start.clone(), ls.termination)
        };
        let v = objective_value(form, points, objective, &p);
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
            let v = objective_value(form, points, objective, &s.params);
            polished.push((v, s.params, s.termination));
        }
        found = polished;
        found.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    found
        .into_iter()
        .next()
        .map(|(_, p, t)| (p, t))
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
