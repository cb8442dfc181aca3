//! The rolling backtest: each prefix of the sorted distinct scales that has enough points
//! to fit the law predicts the next scale (Porian et al. 2024, Choshen et al. 2024).

use super::{check_lengths, forecast, scales, subset, BacktestError, Forecast};
use crate::{fit, FitError, FitOptions, Points};

/// One step of the rolling backtest: the points up to a scale fitted, the next scale's
/// points predicted.
#[derive(Clone, Debug, PartialEq)]
pub struct RollingStep {
    /// How many distinct scales were fitted (the smallest ones).
    pub scales_used: usize,
    /// How many points were fitted.
    pub used: usize,
    /// The largest scale fitted.
    pub largest_used: f64,
    /// The scale predicted: the next distinct one.
    pub next_scale: f64,
    /// The prediction of the next scale's points, or why the prefix could not be fitted
    /// or could not predict them.
    pub forecast: Result<Forecast, BacktestError>,
}

/// Whether `e` only says that the points are too few (or too alike) for the law: such a
/// prefix is skipped, not reported.
fn too_few(e: &FitError) -> bool {
    matches!(
        e,
        FitError::TooFewPoints { .. }
            | FitError::TooFewDistinct { .. }
            | FitError::ConstantInput { .. }
    )
}

/// For each prefix of the distinct scales of `points` (sorted increasingly) that has
/// enough points to fit `options.form` (the rule of [`Points::validate`]: at least as many
/// distinct inputs as parameters, and a non-constant input), fits it with [`fit`] and
/// predicts the points at the next scale. Steps are in increasing order of the data used.
///
/// # Errors
/// [`BacktestError::RollingTooFew`] when no prefix can be fitted with a larger scale left;
/// [`BacktestError::Points`] for columns that do not line up. A prefix whose fit fails for
/// another reason is a step with that error.
pub fn rolling(points: &Points, options: &FitOptions) -> Result<Vec<RollingStep>, BacktestError> {
    let form = options.form;
    if points.is_empty() {
        return Err(BacktestError::NoPoints);
    }
    check_lengths(points, options)?;
    let objective = options.effective_objective();
    let (all, distinct) = scales(points, form);
    let mut steps = Vec::new();
    for pair in distinct.windows(2).enumerate() {
        let (j, &[last, next]) = pair else { continue };
        let kept: Vec<bool> = all.iter().map(|&s| s <= last).collect();
        let held: Vec<bool> = all.iter().map(|&s| s == next).collect();
        let prefix = subset(points, &kept);
        match prefix.validate(form, objective) {
            Err(e) if too_few(&e) => continue,
            _ => {}
        }
        let forecast = fit(&prefix, options)
            .map_err(|source| BacktestError::Fit {
                fitted: prefix.len(),
                source,
            })
            .and_then(|f| forecast(points, &all, &kept, &held, f));
        steps.push(RollingStep {
            scales_used: j + 1,
            used: prefix.len(),
            largest_used: last,
            next_scale: next,
            forecast,
        });
    }
    if steps.is_empty() {
        return Err(BacktestError::RollingTooFew {
            distinct: distinct.len(),
            form,
        });
    }
    Ok(steps)
}
