//! Fitting a built-in form: validation, starts, optimisation and diagnostics.

mod closed_form;
#[cfg(test)]
mod derivative_checks;
mod diagnostics;
#[cfg(feature = "grid")]
mod grid;
#[cfg(feature = "grid")]
mod grid_search;
mod metrics;
mod optimise;
mod residuals;
mod result;
mod starts;

#[cfg(feature = "grid")]
pub use grid_search::GridSearch;
pub use metrics::{Metrics, Space};
pub use result::Fit;

use crate::solve::{RobustObjective, SmoothObjective};
use crate::{FitError, FitMode, FitOptions, Form, Objective, Points, Termination};
use residuals::FormModel;

/// Fit `options.form` to `points`.
///
/// Power/exponential under `ls-log` and log under `ls` are closed-form OLS. Otherwise the
/// starts come from the structure (linearised OLS, or variable projection over the exponents
/// for saturating and chinchilla), Levenberg–Marquardt minimises the least-squares version
/// of the objective from each, and Huber objectives are then polished by damped Newton.
/// [`FitMode::Grid`] runs the published 4500-start L-BFGS protocol for chinchilla (with the
/// `grid` feature, on by default; without it that request is [`FitError::GridUnavailable`]).
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
    // Weights count by their ratios (see `Metrics`): the search sees them with mean 1, so
    // token counts and their ratios give the same parameters.
    let normalised = metrics::with_unit_mean_weights(points);
    let points = normalised.as_ref().unwrap_or(points);
    if options.mode == FitMode::Grid && form == Form::Chinchilla {
        #[cfg(feature = "grid")]
        return GridSearch::new(points, Some(objective))?.finish();
        #[cfg(not(feature = "grid"))]
        return Err(FitError::GridUnavailable);
    }
    let mut warnings = Vec::new();
    if options.mode == FitMode::Grid && form != Form::Chinchilla {
        warnings.push(format!(
            "grid mode is the chinchilla protocol; the {form} form used the default strategy"
        ));
    }
    // One model per fit: the logs of the inputs are taken once.
    let model = FormModel::new(form, points, objective.is_log());
    if closed_form::applies(form, objective) {
        if let Some(p) = closed_form::linearised(&model) {
            return Ok(diagnostics::assemble(
                &model,
                objective,
                p,
                Termination::ClosedForm,
                warnings,
            ));
        }
    }
    let starts = starts::starts(&model, objective);
    let (params, termination) = optimise::optimise(&model, objective, &starts)?;
    Ok(diagnostics::assemble(
        &model,
        objective,
        params,
        termination,
        warnings,
    ))
}

/// Objective value of `params` (NaN-safe: non-finite becomes +∞).
pub(crate) fn objective_value(model: &FormModel, objective: Objective, params: &[f64]) -> f64 {
    let obj = RobustObjective::new(model, model.points.weights.as_deref(), objective);
    let v = obj.value(params);
    if v.is_finite() {
        v
    } else {
        f64::INFINITY
    }
}
