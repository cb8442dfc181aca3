//! The grid mode as a resumable search: run the 4500 published starts in steps (a page can
//! draw progress between steps), then polish the best run and report.

use super::diagnostics;
use super::grid::{lbfgs, published_starts, to_natural, LbfgsRun};
use super::residuals::FormModel;
use super::Fit;
use crate::solve::{self, NewtonOptions, RobustObjective};
use crate::{FitError, Form, Objective, Points, Termination};

/// The Hoffmann et al. / Epoch AI protocol for the chinchilla form: L-BFGS from each of 4500
/// grid starts on the log-sum-exp parameterisation; the best run, polished by Newton in the
/// natural parameters when that lowers the objective, is the fit.
///
/// [`fit`](crate::fit) with [`FitMode::Grid`](crate::FitMode::Grid) runs it in one go; use
/// this type to run it in steps:
///
/// ```
/// use scalescope_core::{GridSearch, Form, Points};
/// let (mut n, mut d, mut y) = (vec![], vec![], vec![]);
/// for i in 0..4 {
///     for j in 0..4 {
///         let (a, b) = (1e8 * 10f64.powi(i), 1e9 * 10f64.powi(j));
///         n.push(a);
///         d.push(b);
///         y.push(Form::Chinchilla.eval(&[1.8, 480.0, 2100.0, 0.35, 0.37], a, Some(b)));
///     }
/// }
/// let mut search = GridSearch::new(&Points::with_d(n, d, y), None)?;
/// while search.done() < 100 {
///     search.step(50); // e.g. one animation frame
/// }
/// assert_eq!(search.total(), 4500);
/// # Ok::<(), scalescope_core::FitError>(())
/// ```
pub struct GridSearch {
    points: Points,
    objective: Objective,
    starts: Vec<[f64; 5]>,
    next: usize,
    best: Option<LbfgsRun>,
    converged: usize,
    values: Vec<f64>,
}

impl GridSearch {
    /// A search over `points` (which need D) under `objective` (default `huber-log:1e-3`).
    ///
    /// # Errors
    /// The same data errors as [`fit`](crate::fit).
    pub fn new(points: &Points, objective: Option<Objective>) -> Result<Self, FitError> {
        let objective = objective.unwrap_or_else(|| Objective::default_for(Form::Chinchilla));
        if let Some(d) = objective.huber_delta() {
            if !(d.is_finite() && d > 0.0) {
                return Err(FitError::BadDelta(d));
            }
        }
        points.validate(Form::Chinchilla, objective)?;
        Ok(GridSearch {
            points: points.clone(),
            objective,
            starts: published_starts(),
            next: 0,
            best: None,
            converged: 0,
            values: Vec::with_capacity(4500),
        })
    }

    /// Number of starts (4500).
    pub fn total(&self) -> usize {
        self.starts.len()
    }

    /// Starts run so far.
    pub fn done(&self) -> usize {
        self.next
    }

    /// The lowest objective found so far, if any run has finished.
    pub fn best_objective(&self) -> Option<f64> {
        self.best.as_ref().map(|b| b.value)
    }

    /// Run up to `n` more starts; returns how many have run in total.
    pub fn step(&mut self, n: usize) -> usize {
        let end = (self.next + n).min(self.starts.len());
        for k in self.next..end {
            if let Some(run) = lbfgs(&self.points, self.objective, &self.starts[k]) {
                self.converged += usize::from(run.converged);
                self.values.push(run.value);
                let better = self.best.as_ref().is_none_or(|b| run.value < b.value);
                if run.value.is_finite() && better {
                    self.best = Some(run);
                }
            }
        }
        self.next = end;
        end
    }

    /// Run the remaining starts, polish the best run and build the [`Fit`]. Its warnings say
    /// how many runs met the L-BFGS tolerances and how many ended at the optimum.
    ///
    /// # Errors
    /// [`FitError::NoFiniteStart`] when no run gives a finite objective.
    pub fn finish(mut self) -> Result<Fit, FitError> {
        self.step(self.starts.len());
        let model = FormModel::new(Form::Chinchilla, &self.points, self.objective.is_log());
        let mut warnings = Vec::new();
        let (params, termination) = self.conclude(&model, &mut warnings)?;
        let no_pins = super::Pins::new(vec![None; model.law.params().len()]);
        Ok(diagnostics::assemble(
            &model,
            self.objective,
            &no_pins,
            params,
            termination,
            warnings,
        ))
    }

    fn conclude(
        &self,
        model: &FormModel,
        warnings: &mut Vec<String>,
    ) -> Result<(Vec<f64>, Termination), FitError> {
        let best = self.best.as_ref().ok_or(FitError::NoFiniteStart)?;
        let at_optimum = self
            .values
            .iter()
            .filter(|v| **v <= best.value + 1e-6 * best.value.abs())
            .count();
        warnings.push(format!(
            "grid: best of {} L-BFGS runs has objective {:.10e} after {} iterations; {} runs \
             met the L-BFGS tolerances and {at_optimum} ended within 1e-6 of the best",
            self.starts.len(),
            best.value,
            best.iterations,
            self.converged
        ));
        let natural = to_natural(&best.params);
        let weights = model.points.weights.as_deref();
        let robust = RobustObjective::new(model, weights, self.objective);
        let polished = solve::minimize(&robust, &natural, &NewtonOptions::default());
        if polished.value.is_finite() && polished.value <= best.value {
            return Ok((polished.params, polished.termination));
        }
        let iterations = best.iterations as usize;
        let t = if best.converged {
            Termination::Converged {
                test: "L-BFGS tolerances",
                iterations,
            }
        } else {
            Termination::MaxIterations { iterations }
        };
        Ok((natural, t))
    }
}
