//! Fitting a built-in form: validation, starts, optimisation and diagnostics.

#[cfg(test)]
mod derivative_checks;
mod diagnostics;
#[cfg(feature = "grid")]
mod grid;
#[cfg(feature = "grid")]
mod grid_search;
mod metrics;
mod optimise;
mod pinned;
mod residuals;
mod result;

pub(crate) use diagnostics::intervals;
#[cfg(feature = "grid")]
pub use grid_search::GridSearch;
pub(crate) use metrics::with_unit_mean_weights;
pub use metrics::{Metrics, Space};
pub use result::{Fit, SeMethod};

use crate::solve::{RobustObjective, SmoothObjective};
use crate::{FitError, FitMode, FitOptions, Objective, Points, Termination};
pub(crate) use pinned::Pins;
pub use residuals::FormModel;

/// Fit `options.form` to `points`.
///
/// Where the law has a closed form under the objective (power and exponential under
/// `ls-log`, log under `ls`, quadlog under `ls-log`) it is used. Otherwise the law supplies
/// starts from its structure (linearised OLS, or variable projection over the parameters
/// that enter nonlinearly), Levenberg–Marquardt minimises the least-squares version of the
/// objective from each (parameters that must be positive through their logarithm, pinned
/// parameters held), and Huber and `asym-log` objectives are then polished by damped
/// Newton. [`FitMode::Grid`] runs the published 4500-start L-BFGS protocol for chinchilla
/// (with the `grid` feature, on by default; without it that request is
/// [`FitError::GridUnavailable`]).
///
/// # Errors
/// A [`FitError`] for unusable data (too few points, NaN, non-positive values under a log,
/// constant input, mismatched lengths), a pin of a parameter the law does not have, or when
/// no start gives a finite objective.
pub fn fit(points: &Points, options: &FitOptions) -> Result<Fit, FitError> {
    let form = options.form;
    let law = form.law();
    let objective = options.effective_objective();
    if let Some(d) = objective.huber_delta() {
        if !(d.is_finite() && d > 0.0) {
            return Err(FitError::BadDelta(d));
        }
    }
    let pins = options.pins_for(form)?;
    points.validate(form, objective)?;
    // Weights count by their ratios (see `Metrics`): the search sees them with mean 1, so
    // token counts and their ratios give the same parameters.
    let normalised = metrics::with_unit_mean_weights(points);
    let points = normalised.as_ref().unwrap_or(points);
    // The published grid protocol is chinchilla's, without pins.
    let grid_applies = form == crate::Form::Chinchilla && !pins.any();
    if options.mode == FitMode::Grid && grid_applies {
        #[cfg(feature = "grid")]
        return GridSearch::new(points, Some(objective))?.finish();
        #[cfg(not(feature = "grid"))]
        return Err(FitError::GridUnavailable);
    }
    let mut warnings = Vec::new();
    if options.mode == FitMode::Grid && !grid_applies {
        warnings.push(format!(
            "grid mode is the chinchilla protocol without pins; the {form} fit used the default strategy"
        ));
    }
    // One model per fit: the logs of the inputs are taken once.
    let model = FormModel::new(form, points, objective.is_log());
    if !pins.any() {
        if let Some(p) = law.closed_form(&model, objective) {
            return Ok(diagnostics::assemble(
                &model,
                objective,
                &pins,
                p,
                Termination::ClosedForm,
                warnings,
            ));
        }
    }
    if pins.free().is_empty() {
        warnings.push("every parameter is fixed: nothing was fitted".to_string());
        return Ok(diagnostics::assemble(
            &model,
            objective,
            &pins,
            pins.expand(&[]),
            Termination::ClosedForm,
            warnings,
        ));
    }
    let starts = law.starts(&model, objective);
    let won = match optimise::optimise(&model, objective, &pins, &starts) {
        Ok(found) => found,
        Err(FitError::NoFiniteStart) => {
            return Err(starts
                .first()
                .and_then(|s| first_undefined(&model, &pins.apply(s)))
                .unwrap_or(FitError::NoFiniteStart))
        }
        Err(e) => return Err(e),
    };
    // The diagnostics' pass evaluates the law at every point: a point where it is not
    // finite is an error naming it.
    let (mut fit, undefined) = diagnostics::build(
        &model,
        objective,
        &pins,
        won.params,
        won.termination,
        warnings,
    );
    if let Some((index, value)) = undefined {
        return Err(undefined_error(&model, &fit.params, index, value));
    }
    fit.start = Some(won.start);
    Ok(fit)
}

/// The parameters of `options.form` refitted to `points` from `start` (a warm start: one
/// optimisation, no start search, no diagnostics), as a bootstrap resample is refitted
/// from the full fit. Laws with a closed form under the objective use it; pinned
/// parameters stay pinned. `Ok(None)` when the optimisation from `start` does not
/// converge (the caller then runs the full search with [`fit`]).
///
/// # Errors
/// The [`FitError`] of [`fit`] for points that cannot be fitted (a resample with too few
/// distinct inputs, say) or options that do not apply.
pub(crate) fn refit_from(
    points: &Points,
    options: &FitOptions,
    start: &[f64],
) -> Result<Option<Vec<f64>>, FitError> {
    let form = options.form;
    let objective = options.effective_objective();
    if let Some(d) = objective.huber_delta() {
        if !(d.is_finite() && d > 0.0) {
            return Err(FitError::BadDelta(d));
        }
    }
    let pins = options.pins_for(form)?;
    points.validate(form, objective)?;
    let normalised = metrics::with_unit_mean_weights(points);
    let points = normalised.as_ref().unwrap_or(points);
    let model = FormModel::new(form, points, objective.is_log());
    if !pins.any() {
        if let Some(p) = form.law().closed_form(&model, objective) {
            return Ok(Some(p));
        }
    }
    if pins.free().is_empty() {
        return Ok(Some(pins.expand(&[])));
    }
    Ok(optimise::warm(&model, objective, &pins, start)
        .filter(|(p, _)| first_undefined(&model, p).is_none())
        .map(|(p, _)| p))
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

/// The first point where the law at `params` is NaN or infinite, as an error naming it.
fn first_undefined(model: &FormModel, params: &[f64]) -> Option<FitError> {
    (0..model.points.len()).find_map(|i| {
        let v = model.value(params, i, None);
        (!v.is_finite()).then(|| undefined_error(model, params, i, v))
    })
}

/// The error for the law at `params` taking the value `value` (not finite) at point `index`.
fn undefined_error(model: &FormModel, params: &[f64], index: usize, value: f64) -> FitError {
    FitError::Undefined {
        index,
        value,
        params: model
            .law
            .params()
            .iter()
            .zip(params)
            .map(|(p, v)| format!("{} = {v}", p.name))
            .collect::<Vec<_>>()
            .join(", "),
    }
}
