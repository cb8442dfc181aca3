//! The rolling backtest: each prefix of the sorted distinct scales that has enough points
//! to fit the law predicts the next scale (Porian et al. 2024, Choshen et al. 2024).
//!
//! With more than [`MAX_STEPS`] + 1 distinct scales, consecutive scales are taken together
//! in `MAX_STEPS + 1` blocks of (nearly) equal numbers of scales, and each prefix of blocks
//! predicts the next block: a table of runs that each have their own compute (a law of N
//! and D, where the scale is `6·N·D`) gets a backtest of at most `MAX_STEPS` refits, not one
//! per run. (Epoch AI's 240 Chinchilla runs took 744 ms natively with one step per run,
//! which the page would spend on its main thread at every refit.)

use super::{check_lengths, forecast, scales, subset, BacktestError, Forecast};
use crate::{fit, FitError, FitOptions, Points};

/// The most steps (refits) of a rolling backtest.
pub const MAX_STEPS: usize = 16;

/// One step of the rolling backtest: the points up to a scale fitted, the next scale's
/// (or block of scales') points predicted.
#[derive(Clone, Debug, PartialEq)]
pub struct RollingStep {
    /// How many distinct scales were fitted (the smallest ones).
    pub scales_used: usize,
    /// How many points were fitted.
    pub used: usize,
    /// The largest scale fitted.
    pub largest_used: f64,
    /// The scale predicted: the next distinct one (the smallest of the next block).
    pub next_scale: f64,
    /// The largest scale predicted: `next_scale` itself unless scales are taken in blocks.
    pub next_largest: f64,
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
/// predicts the points at the next scale; with more than [`MAX_STEPS`] + 1 distinct
/// scales, prefixes of blocks of scales predict the next block. Steps are in increasing
/// order of the data used.
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
    let ends = block_ends(distinct.len(), MAX_STEPS + 1);
    let mut steps = Vec::new();
    for pair in ends.windows(2) {
        let &[j, k] = pair else { continue };
        let (last, next, next_largest) = (distinct[j], distinct[j + 1], distinct[k]);
        let kept: Vec<bool> = all.iter().map(|&s| s <= last).collect();
        let held: Vec<bool> = all.iter().map(|&s| s > last && s <= next_largest).collect();
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
            next_largest,
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

/// The index of the last scale of each of at most `blocks` blocks of consecutive scales
/// (of `count`, nearly equal in size): every index when `count <= blocks`.
fn block_ends(count: usize, blocks: usize) -> Vec<usize> {
    let blocks = blocks.clamp(1, count.max(1));
    (1..=blocks)
        .map(|b| b * count / blocks)
        .filter(|&end| end > 0)
        .map(|end| end - 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::block_ends;

    #[test]
    fn blocks_cover_every_scale_once_and_in_order() {
        assert_eq!(block_ends(5, 17), vec![0, 1, 2, 3, 4]);
        assert_eq!(block_ends(0, 17), Vec::<usize>::new());
        for count in [18, 30, 240, 1000] {
            let ends = block_ends(count, 17);
            assert_eq!(ends.len(), 17, "{count}");
            assert_eq!(ends.last(), Some(&(count - 1)));
            let sizes: Vec<usize> = std::iter::once(ends[0] + 1)
                .chain(ends.windows(2).map(|w| w[1] - w[0]))
                .collect();
            let (lo, hi) = (sizes.iter().min(), sizes.iter().max());
            assert!(
                hi.zip(lo).is_some_and(|(h, l)| h - l <= 1),
                "{count}: {sizes:?}"
            );
        }
    }
}
