//! The backtest (issue 13): would the law have predicted the largest runs? Hold out the
//! largest scales of a group, fit the rest with the ordinary [`fit`], and compare each
//! held-out observation with the prediction and its 95 % prediction interval of a new run
//! ([`Model::predict`]); or, rolling, fit every prefix of the scales that can be fitted and
//! predict the next scale (the curve of extrapolation error against the data used).
//!
//! A point's scale is its input x for a one-input law and its compute `C = 6·N·D` for a
//! law of N and D. [`Backtest::new`] runs one request over every group of an
//! [`Analysis`] (the rows its exclusions leave), as the CLI's `scalescope backtest` does.
//!
//! ```
//! use scalescope_core::backtest::{holdout, HoldOut};
//! use scalescope_core::{fit, FitOptions, Form, Points};
//!
//! let x: Vec<f64> = (0..10).map(|k| 1e6 * 4f64.powi(k)).collect();
//! let y: Vec<f64> = x
//!     .iter()
//!     .enumerate()
//!     .map(|(k, v)| 30.0 * v.powf(-0.1) * (1.0 + 0.01 * ((k * 3 % 5) as f64 - 2.0)))
//!     .collect();
//! let options = FitOptions::new(Form::Power);
//! let forecast = holdout(&Points::new(x.clone(), y.clone()), &options, HoldOut::Top(2))?;
//! // The two largest x are held out and predicted by a fit of the other eight.
//! assert_eq!(forecast.heldout.iter().map(|p| p.index).collect::<Vec<_>>(), [8, 9]);
//! let rest = fit(&Points::new(x[..8].to_vec(), y[..8].to_vec()), &options)?;
//! assert_eq!(forecast.heldout[1].predicted, rest.predict(x[9], None));
//! assert!(forecast.mean_abs_rel_error < 0.03);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod rolling;

pub use rolling::{rolling, RollingStep, MAX_STEPS};

use crate::analysis::{Analysis, GroupFit};
use crate::presets::Model;
use crate::report::SkippedRow;
use crate::table::Table;
use crate::{fit, Fit, FitError, FitOptions, Form, InvertError, Objective, Points};

/// Which points to hold out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HoldOut {
    /// Every point at the K largest distinct scales.
    Top(usize),
    /// Every point whose scale is above this value (x, or compute for a law of N and D).
    Above(f64),
}

/// What to backtest.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// Hold out the largest scales once.
    HoldOut(HoldOut),
    /// Fit every prefix of the scales that can be fitted and predict the next scale.
    Rolling,
}

/// Why a group has no backtest.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum BacktestError {
    /// `--holdout-top 0`.
    #[error("holding out 0 scales: nothing to predict")]
    NothingHeldOut,
    /// Every scale would be held out.
    #[error(
        "holding out {held} of {distinct} distinct scales leaves nothing to fit (hold out at most {})",
        distinct.saturating_sub(1)
    )]
    NothingLeft {
        /// The scales asked to be held out.
        held: usize,
        /// The distinct scales there are.
        distinct: usize,
    },
    /// A threshold that is not a finite number.
    #[error("the hold-out threshold {0} is not a finite number")]
    BadThreshold(f64),
    /// No point's scale is above the threshold.
    #[error("no {scale} is above {above} (the largest is {largest}): nothing to predict")]
    NothingAbove {
        /// The threshold.
        above: f64,
        /// The largest scale.
        largest: f64,
        /// What the scale is (`x` or `compute`).
        scale: &'static str,
    },
    /// Every point's scale is above the threshold.
    #[error("every {scale} is above {above} (the smallest is {smallest}): nothing left to fit")]
    NothingBelow {
        /// The threshold.
        above: f64,
        /// The smallest scale.
        smallest: f64,
        /// What the scale is (`x` or `compute`).
        scale: &'static str,
    },
    /// The points left could not be fitted.
    #[error("fitting the {fitted} points below the held-out scales: {source}")]
    Fit {
        /// The points left to fit.
        fitted: usize,
        /// Why they could not be fitted.
        source: FitError,
    },
    /// The fit cannot predict a held-out point.
    #[error("the fit cannot predict the held-out point {} (x = {x}): {source}", index + 1)]
    Predict {
        /// The point (0-based among the points backtested: a group's fitted rows).
        index: usize,
        /// Its input.
        x: f64,
        /// Why.
        source: InvertError,
    },
    /// The points' columns do not line up.
    #[error("{0}")]
    Points(FitError),
    /// The group has no points.
    #[error("no points")]
    NoPoints,
    /// No prefix of the scales can be fitted with a next scale left to predict.
    #[error(
        "no prefix of the {distinct} distinct scales has enough points to fit the {form} law and a larger scale to predict"
    )]
    RollingTooFew {
        /// The distinct scales there are.
        distinct: usize,
        /// The law.
        form: Form,
    },
}

/// One held-out observation and its prediction.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldOutPoint {
    /// The point's position among the points given (for [`Backtest`]: among the group's
    /// points, excluded ones included, as in [`crate::analysis::GroupFit::points`]).
    pub index: usize,
    /// The input (N for a law of N and D).
    pub x: f64,
    /// D, for a law of N and D.
    pub d: Option<f64>,
    /// The scale: x, or the compute `6·N·D` for a law of N and D.
    pub scale: f64,
    /// The observed value.
    pub observed: f64,
    /// The value the fit of the other points predicts.
    pub predicted: f64,
    /// The 95 % prediction interval of a new run there ([`crate::Fit::prediction95`]);
    /// `None` when the fit has no covariance (as many points as parameters, say).
    pub pi95: Option<(f64, f64)>,
    /// `predicted / observed − 1`.
    pub rel_error: f64,
    /// Whether the observation lies within `pi95` (`None` without one).
    pub inside: Option<bool>,
}

/// A fit of the smaller scales and how it predicts the held-out points.
#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    /// The fit of the points that were not held out.
    pub fit: Fit,
    /// How many points it fitted.
    pub fitted: usize,
    /// The largest scale it fitted.
    pub largest_fitted: f64,
    /// The held-out points, in the order given.
    pub heldout: Vec<HeldOutPoint>,
    /// Mean of `|rel_error|` over the held-out points.
    pub mean_abs_rel_error: f64,
    /// The fraction of held-out points inside their prediction interval, among those that
    /// have one (NaN when none has).
    pub coverage: f64,
}

/// The scale of point `i`: x, or `6·N·D` for a law of N and D.
pub fn scale_of(points: &Points, form: Form, i: usize) -> f64 {
    let x = points.x.get(i).copied().unwrap_or(f64::NAN);
    if form.two_inputs() {
        6.0 * x * points.d_at(i).unwrap_or(f64::NAN)
    } else {
        x
    }
}

/// What a scale is called: `x`, or `compute` for a law of N and D.
pub fn scale_name(form: Form) -> &'static str {
    if form.two_inputs() {
        "compute"
    } else {
        "x"
    }
}

/// Every point's scale, and the distinct scales in increasing order (−0 and +0 are one).
pub(crate) fn scales(points: &Points, form: Form) -> (Vec<f64>, Vec<f64>) {
    let all: Vec<f64> = (0..points.len())
        .map(|i| scale_of(points, form, i) + 0.0)
        .collect();
    let mut distinct = all.clone();
    crate::sort::sort_by(&mut distinct, f64::total_cmp);
    distinct.dedup();
    (all, distinct)
}

/// The points whose `keep` flag is set.
pub(crate) fn subset(points: &Points, keep: &[bool]) -> Points {
    let pick = |v: &[f64]| {
        v.iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(v, _)| *v)
            .collect()
    };
    Points {
        x: pick(&points.x),
        d: points.d.as_deref().map(pick),
        y: pick(&points.y),
        weights: points.weights.as_deref().map(pick),
    }
}

/// Holds out the points `hold` names, fits the others with [`fit`] under `options` and
/// predicts each held-out point.
///
/// # Errors
/// [`BacktestError::NothingHeldOut`], [`BacktestError::NothingLeft`],
/// [`BacktestError::BadThreshold`], [`BacktestError::NothingAbove`] or
/// [`BacktestError::NothingBelow`] when the split leaves nothing on one side;
/// [`BacktestError::Fit`] when the points left cannot be fitted;
/// [`BacktestError::Predict`] when the fit cannot be evaluated at a held-out point.
pub fn holdout(
    points: &Points,
    options: &FitOptions,
    hold: HoldOut,
) -> Result<Forecast, BacktestError> {
    let form = options.form;
    if points.is_empty() {
        return Err(BacktestError::NoPoints);
    }
    check_lengths(points, options)?;
    let (all, distinct) = scales(points, form);
    let held: Vec<bool> = match hold {
        HoldOut::Top(0) => return Err(BacktestError::NothingHeldOut),
        HoldOut::Top(k) => {
            if k >= distinct.len() {
                return Err(BacktestError::NothingLeft {
                    held: k,
                    distinct: distinct.len(),
                });
            }
            let cut = distinct[distinct.len() - k];
            all.iter().map(|&s| s >= cut).collect()
        }
        HoldOut::Above(above) => {
            if !above.is_finite() {
                return Err(BacktestError::BadThreshold(above));
            }
            let held: Vec<bool> = all.iter().map(|&s| s > above).collect();
            let scale = scale_name(form);
            if !held.contains(&true) {
                return Err(BacktestError::NothingAbove {
                    above,
                    largest: distinct.last().copied().unwrap_or(f64::NAN),
                    scale,
                });
            }
            if !held.contains(&false) {
                return Err(BacktestError::NothingBelow {
                    above,
                    smallest: distinct.first().copied().unwrap_or(f64::NAN),
                    scale,
                });
            }
            held
        }
    };
    let kept: Vec<bool> = held.iter().map(|h| !h).collect();
    let rest = subset(points, &kept);
    let fitted = fit(&rest, options).map_err(|source| BacktestError::Fit {
        fitted: rest.len(),
        source,
    })?;
    forecast(points, &all, &kept, &held, fitted)
}

/// Refuses points whose columns have different lengths (or lack D for a law of N and D),
/// which the held-out points are read from.
pub(crate) fn check_lengths(points: &Points, options: &FitOptions) -> Result<(), BacktestError> {
    match points.validate(options.form, options.effective_objective()) {
        Err(e @ (FitError::LengthMismatch { .. } | FitError::MissingD)) => {
            Err(BacktestError::Points(e))
        }
        _ => Ok(()),
    }
}

/// The forecast of the points flagged `held` by `fitted`, a fit of the points flagged
/// `kept` (`all`: every point's scale).
pub(crate) fn forecast(
    points: &Points,
    all: &[f64],
    kept: &[bool],
    held: &[bool],
    fitted: Fit,
) -> Result<Forecast, BacktestError> {
    let form = fitted.form;
    let two = form.two_inputs();
    let model = Model::fitted(&fitted);
    let mut heldout = Vec::new();
    for (i, _) in held.iter().enumerate().filter(|(_, h)| **h) {
        let x = points.x[i];
        let d = points.d_at(i).filter(|_| two);
        let p = model
            .predict(x, d)
            .map_err(|source| BacktestError::Predict {
                index: i,
                x,
                source,
            })?;
        let observed = points.y[i];
        heldout.push(HeldOutPoint {
            index: i,
            x,
            d,
            scale: all[i],
            observed,
            predicted: p.loss,
            pi95: p.pi95,
            rel_error: p.loss / observed - 1.0,
            inside: p.pi95.map(|(lo, hi)| lo <= observed && observed <= hi),
        });
    }
    let n = heldout.len() as f64;
    let mean_abs_rel_error = heldout.iter().map(|p| p.rel_error.abs()).sum::<f64>() / n;
    let with_pi = heldout.iter().filter(|p| p.inside.is_some()).count();
    let inside = heldout.iter().filter(|p| p.inside == Some(true)).count();
    let coverage = if with_pi == 0 {
        f64::NAN
    } else {
        inside as f64 / with_pi as f64
    };
    let largest_fitted = all
        .iter()
        .zip(kept)
        .filter(|(_, k)| **k)
        .map(|(s, _)| *s)
        .fold(f64::NEG_INFINITY, f64::max);
    Ok(Forecast {
        fitted: kept.iter().filter(|k| **k).count(),
        largest_fitted,
        fit: fitted,
        heldout,
        mean_abs_rel_error,
        coverage,
    })
}

/// A group's backtest: one forecast, or the rolling curve.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The held-out scales predicted from the others.
    HoldOut(Box<Forecast>),
    /// Each scale predicted from the smaller ones.
    Rolling(Vec<RollingStep>),
}

/// One group's backtest.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupBacktest {
    /// The group's value, `None` without a group column.
    pub group: Option<String>,
    /// The 1-based source line of each of the group's points (excluded ones included): a
    /// held-out point's `index` is a position in it.
    pub lines: Vec<usize>,
    /// The backtest, or why there is none.
    pub outcome: Result<Outcome, BacktestError>,
}

impl GroupBacktest {
    /// Backtests `group` of an analysis on the rows its exclusions leave, under `options`.
    pub fn new(group: &GroupFit, options: &FitOptions, mode: Mode) -> Self {
        let rows: Vec<usize> = (0..group.points.len())
            .filter(|&i| !group.excluded.get(i).copied().unwrap_or(false))
            .collect();
        let points = group.fitted_points();
        let mut outcome = match mode {
            Mode::HoldOut(hold) => {
                holdout(&points, options, hold).map(|f| Outcome::HoldOut(Box::new(f)))
            }
            Mode::Rolling => rolling(&points, options).map(Outcome::Rolling),
        };
        // Positions among the fitted rows → positions among the group's points.
        let reindex = |f: &mut Forecast| {
            for p in &mut f.heldout {
                p.index = rows.get(p.index).copied().unwrap_or(p.index);
            }
        };
        match &mut outcome {
            Ok(Outcome::HoldOut(f)) => reindex(f),
            Ok(Outcome::Rolling(steps)) => steps
                .iter_mut()
                .filter_map(|s| s.forecast.as_mut().ok())
                .for_each(reindex),
            Err(_) => {}
        }
        GroupBacktest {
            group: group.name.clone(),
            lines: group.lines.clone(),
            outcome,
        }
    }
}

/// Every group's backtest, with the reader's skipped rows and warnings: what
/// `scalescope backtest` prints and [`crate::export::backtest_json`] writes.
#[derive(Clone, Debug, PartialEq)]
pub struct Backtest {
    /// What was asked.
    pub mode: Mode,
    /// The law.
    pub form: Form,
    /// The objective in effect.
    pub objective: Objective,
    /// One entry per group, in table order.
    pub groups: Vec<GroupBacktest>,
    /// Rows the reader did not use.
    pub skipped: Vec<SkippedRow>,
    /// The reader's warnings, then the groups that have no backtest.
    pub warnings: Vec<String>,
}

impl Backtest {
    /// Backtests every group of `analysis` (on the rows its exclusions leave) under
    /// `options` (the options the analysis fitted with). `table`, the table analysed,
    /// gives the skipped rows and the reader's warnings.
    pub fn new(
        table: Option<&Table>,
        analysis: &Analysis,
        options: &FitOptions,
        mode: Mode,
    ) -> Self {
        let groups: Vec<GroupBacktest> = analysis
            .groups
            .iter()
            .map(|g| GroupBacktest::new(g, options, mode))
            .collect();
        let mut warnings: Vec<String> = table
            .map(|t| t.warnings().iter().map(ToString::to_string).collect())
            .unwrap_or_default();
        for g in &groups {
            if let Err(e) = &g.outcome {
                let label = g
                    .group
                    .as_deref()
                    .map_or(String::new(), |n| format!(" group {n}"));
                warnings.push(format!("cannot backtest{label}: {e}"));
            }
        }
        Backtest {
            mode,
            form: options.form,
            objective: options.effective_objective(),
            groups,
            skipped: table.map(crate::report::skipped_rows).unwrap_or_default(),
            warnings,
        }
    }
}
