//! Least squares by Levenberg–Marquardt (the `levenberg-marquardt` crate, a MINPACK port).

use super::ResidualModel;
use crate::Termination;
use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt, TerminationReason};
use nalgebra::{DMatrix, DVector, Dyn, Owned};
use std::cell::RefCell;

/// Settings for [`least_squares`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LsOptions {
    /// Relative tolerance on the objective and on the step (MINPACK `ftol` = `xtol`).
    pub tol: f64,
    /// Evaluation budget factor: at most `patience·(n + 1)` residual evaluations.
    pub patience: usize,
}

impl Default for LsOptions {
    /// Tight relative tolerances (30 machine epsilons) and a generous budget.
    fn default() -> Self {
        LsOptions {
            tol: 30.0 * f64::EPSILON,
            patience: 1000,
        }
    }
}

/// Result of [`least_squares`].
#[derive(Clone, Debug, PartialEq)]
pub struct LsSolution {
    /// Parameters at the end.
    pub params: Vec<f64>,
    /// Sum of squared residuals there.
    pub sse: f64,
    /// Why the optimiser stopped.
    pub termination: Termination,
    /// Residual evaluations used.
    pub evaluations: usize,
}

/// One evaluation reduced to its square part (see [`super::tall`]): `[R; 0]` and
/// `[Qᵀr; ρ]` with `ρ² = ‖r‖² − ‖Qᵀr‖²`, which have the gradient `Jᵀr`, the norm `‖r‖`
/// and the column norms of `(J, r)`: all Levenberg–Marquardt reads of them.
#[derive(Clone)]
struct Reduced {
    p: Vec<f64>,
    /// `Σ rᵢ²`, summed as [`sse`] sums it.
    sse: f64,
    /// `R` (n × n, upper triangular).
    r: DMatrix<f64>,
    /// `Qᵀr` (n).
    qtr: Vec<f64>,
}

impl Reduced {
    /// `[Qᵀr; ρ]` (n + 1).
    fn residuals(&self) -> DVector<f64> {
        let n = self.qtr.len();
        let reached: f64 = self.qtr.iter().map(|v| v * v).sum();
        let rest = if self.sse.is_finite() {
            (self.sse - reached).max(0.0).sqrt()
        } else {
            self.sse
        };
        DVector::from_fn(n + 1, |i, _| if i < n { self.qtr[i] } else { rest })
    }

    /// `[R; 0]` ((n + 1) × n).
    fn jacobian(&self) -> DMatrix<f64> {
        let n = self.qtr.len();
        DMatrix::from_fn(n + 1, n, |a, b| if a < n { self.r[(a, b)] } else { 0.0 })
    }
}

/// Evaluates a model into reused buffers and reduces each evaluation, remembering the
/// last two (the crate asks for the Jacobian where it last asked for residuals, and the
/// polish starts where the search ended).
struct Reducer<'a, M: ?Sized> {
    model: &'a M,
    r: Vec<f64>,
    j: DMatrix<f64>,
    recent: Vec<Reduced>,
}

impl<'a, M: ResidualModel + ?Sized> Reducer<'a, M> {
    fn new(model: &'a M) -> Self {
        Reducer {
            model,
            r: vec![0.0; model.n_residuals()],
            j: DMatrix::zeros(model.n_residuals(), model.n_params()),
            recent: Vec::with_capacity(2),
        }
    }

    /// The reduced evaluation at `p`.
    fn at(&mut self, p: &[f64]) -> &Reduced {
        if let Some(i) = self.recent.iter().position(|e| e.p == p) {
            return &self.recent[i];
        }
        self.model
            .residuals_and_jacobian(p, &mut self.r, &mut self.j);
        let sse = self.r.iter().map(|v| v * v).sum();
        let (r, qtr, _) = super::tall::reduce(&self.j, &self.r);
        if self.recent.len() == 2 {
            self.recent.remove(0);
        }
        self.recent.push(Reduced {
            p: p.to_vec(),
            sse,
            r,
            qtr,
        });
        &self.recent[self.recent.len() - 1]
    }
}

/// The problem as the crate sees it: the model's residuals and Jacobian, or for a tall
/// problem (more residuals than parameters + 1) their reduction to n + 1 rows.
struct Adapter<'a, M: ?Sized> {
    model: &'a M,
    p: DVector<f64>,
    reducer: Option<RefCell<Reducer<'a, M>>>,
}

impl<M: ResidualModel + ?Sized> LeastSquaresProblem<f64, Dyn, Dyn> for Adapter<'_, M> {
    type ResidualStorage = Owned<f64, Dyn>;
    type JacobianStorage = Owned<f64, Dyn, Dyn>;
    type ParameterStorage = Owned<f64, Dyn>;

    fn set_params(&mut self, x: &DVector<f64>) {
        self.p.copy_from(x);
    }

    fn params(&self) -> DVector<f64> {
        self.p.clone()
    }

    fn residuals(&self) -> Option<DVector<f64>> {
        if let Some(reducer) = &self.reducer {
            return Some(reducer.borrow_mut().at(self.p.as_slice()).residuals());
        }
        let mut r = DVector::zeros(self.model.n_residuals());
        self.model.residuals(self.p.as_slice(), r.as_mut_slice());
        Some(r)
    }

    fn jacobian(&self) -> Option<DMatrix<f64>> {
        if let Some(reducer) = &self.reducer {
            return Some(reducer.borrow_mut().at(self.p.as_slice()).jacobian());
        }
        let mut j = DMatrix::zeros(self.model.n_residuals(), self.model.n_params());
        self.model.jacobian(self.p.as_slice(), &mut j);
        Some(j)
    }
}

/// Sum of squared residuals of `model` at `p` (NaN-propagating).
pub fn sse(model: &dyn ResidualModel, p: &[f64]) -> f64 {
    let mut r = vec![0.0; model.n_residuals()];
    model.residuals(p, &mut r);
    r.iter().map(|v| v * v).sum()
}

/// Minimise `Σ r_i(p)²` from `start` by Levenberg–Marquardt with relative tolerances.
///
/// Never panics on data: non-finite values end the run with [`Termination::Numerical`].
///
/// One compiled solver serves every problem: the model is a trait object (one indirect
/// call per evaluation of all residuals), not a type parameter, so the page carries one
/// copy of Levenberg–Marquardt however many kinds of model it fits.
pub fn least_squares(model: &dyn ResidualModel, start: &[f64], options: &LsOptions) -> LsSolution {
    let n = model.n_params();
    if start.len() != n || n == 0 || model.n_residuals() == 0 {
        return LsSolution {
            params: start.to_vec(),
            sse: f64::NAN,
            termination: Termination::Numerical {
                detail: "problem dimensions",
            },
            evaluations: 0,
        };
    }
    let tol = if options.tol.is_finite() && options.tol > 0.0 {
        options.tol
    } else {
        30.0 * f64::EPSILON
    };
    let lm = LevenbergMarquardt::new()
        .with_ftol(tol)
        .with_xtol(tol)
        .with_gtol(tol)
        .with_patience(options.patience.max(1));
    let tall = model.n_residuals() > n + 1;
    let adapter = Adapter {
        model,
        p: DVector::from_column_slice(start),
        reducer: tall.then(|| RefCell::new(Reducer::new(model))),
    };
    let (done, report) = lm.minimize(adapter);
    let params: Vec<f64> = done.p.iter().copied().collect();
    let mut reducer = done
        .reducer
        .map_or_else(|| Reducer::new(model), RefCell::into_inner);
    let iterations = report.number_of_evaluations;
    let termination = match report.termination {
        TerminationReason::ResidualsZero => Termination::ResidualsZero { iterations },
        TerminationReason::Orthogonal => Termination::Converged {
            test: "gradient orthogonal to residuals",
            iterations,
        },
        TerminationReason::Converged { ftol: true, .. } => Termination::Converged {
            test: "relative objective change",
            iterations,
        },
        TerminationReason::Converged { .. } => Termination::Converged {
            test: "relative step",
            iterations,
        },
        TerminationReason::NoImprovementPossible(detail) => {
            Termination::NoProgress { detail, iterations }
        }
        TerminationReason::LostPatience => Termination::MaxIterations { iterations },
        TerminationReason::Numerical(detail) | TerminationReason::User(detail) => {
            Termination::Numerical { detail }
        }
        _ => Termination::Numerical {
            detail: "problem dimensions",
        },
    };
    let mut params = params;
    let mut sse = if tall {
        reducer.at(&params).sse
    } else {
        sse(model, &params)
    };
    // MINPACK's tests measure the step against the norm of the whole (scaled) parameter
    // vector and the decrease against the whole SSE, so a parameter with a small effect can
    // stop short; full Gauss–Newton steps, kept only while they lower the SSE, finish the job.
    if matches!(termination, Termination::Converged { .. }) {
        (params, sse) = gauss_newton_polish(&mut reducer, params, sse);
    }
    LsSolution {
        params,
        sse,
        termination,
        evaluations: iterations,
    }
}

/// Up to 8 full Gauss–Newton steps (column-scaled QR, then SVD of R for rank safety), each
/// kept only if it lowers the sum of squares, or, where the sum of squares is flat to its
/// rounding, halves the part of the residuals a step can reach.
fn gauss_newton_polish<M: ResidualModel + ?Sized>(
    reducer: &mut Reducer<'_, M>,
    mut p: Vec<f64>,
    mut best: f64,
) -> (Vec<f64>, f64) {
    let (m, n) = (reducer.model.n_residuals(), reducer.model.n_params());
    if m < n || !best.is_finite() {
        return (p, best);
    }
    for _ in 0..8 {
        let here = reducer.at(&p);
        // The QR of J·diag(1/‖Jₖ‖) has the triangle R·diag(1/‖Rₖ‖): ‖Jₖ‖ = ‖Rₖ‖.
        let scale: Vec<f64> = (0..n).map(|k| here.r.column(k).norm()).collect();
        if scale.iter().any(|s| !s.is_finite() || *s == 0.0) {
            break;
        }
        let rs = DMatrix::from_fn(n, n, |a, b| here.r[(a, b)] / scale[b]);
        let qtr = DVector::from_column_slice(&here.qtr);
        let Ok(step) = rs.svd(true, true).solve(&qtr, 1e-14) else {
            break;
        };
        let q: Vec<f64> = (0..n).map(|k| p[k] - step[k] / scale[k]).collect();
        let reach = |e: &Reduced| e.qtr.iter().map(|v| v * v).sum::<f64>();
        let before = reach(here);
        let there = reducer.at(&q);
        let s = there.sse;
        // Kept when it lowers the SSE; where the SSE changes only in its rounding (a flat
        // optimum, |ΔSSE| ≤ 1e-12·SSE), when it halves ‖Qᵀr‖ (the gradient in J's metric,
        // zero at the optimum) instead.
        let lower = s < best;
        let flat = s <= best * (1.0 + 1e-12) && reach(there) < 0.25 * before;
        if s.is_nan() || !(lower || flat) {
            break;
        }
        let tiny = (0..n).all(|k| (q[k] - p[k]).abs() <= 4.0 * f64::EPSILON * q[k].abs());
        p = q;
        best = s;
        if tiny {
            break;
        }
    }
    (p, best)
}
