//! Least squares by Levenberg–Marquardt (the `levenberg-marquardt` crate, a MINPACK port).

use super::ResidualModel;
use crate::Termination;
use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt, TerminationReason};
use nalgebra::{DMatrix, DVector, Dyn, Owned};

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

struct Adapter<'a, M: ?Sized> {
    model: &'a M,
    p: DVector<f64>,
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
        let mut r = DVector::zeros(self.model.n_residuals());
        self.model.residuals(self.p.as_slice(), r.as_mut_slice());
        Some(r)
    }

    fn jacobian(&self) -> Option<DMatrix<f64>> {
        let mut j = DMatrix::zeros(self.model.n_residuals(), self.model.n_params());
        self.model.jacobian(self.p.as_slice(), &mut j);
        Some(j)
    }
}

/// Sum of squared residuals of `model` at `p` (NaN-propagating).
pub fn sse<M: ResidualModel + ?Sized>(model: &M, p: &[f64]) -> f64 {
    let mut r = vec![0.0; model.n_residuals()];
    model.residuals(p, &mut r);
    r.iter().map(|v| v * v).sum()
}

/// Minimise `Σ r_i(p)²` from `start` by Levenberg–Marquardt with relative tolerances.
///
/// Never panics on data: non-finite values end the run with [`Termination::Numerical`].
pub fn least_squares<M: ResidualModel + ?Sized>(
    model: &M,
    start: &[f64],
    options: &LsOptions,
) -> LsSolution {
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
    let adapter = Adapter {
        model,
        p: DVector::from_column_slice(start),
    };
    let (done, report) = lm.minimize(adapter);
    let params: Vec<f64> = done.p.iter().copied().collect();
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
    let mut sse = sse(model, &params);
    // MINPACK's tests measure the step against the norm of the whole (scaled) parameter
    // vector and the decrease against the whole SSE, so a parameter with a small effect can
    // stop short; full Gauss–Newton steps, kept only while they lower the SSE, finish the job.
    if matches!(termination, Termination::Converged { .. }) {
        (params, sse) = gauss_newton_polish(model, params, sse);
    }
    LsSolution {
        params,
        sse,
        termination,
        evaluations: iterations,
    }
}

/// Up to 8 full Gauss–Newton steps (column-scaled QR, then SVD of R for rank safety), each
/// kept only if it lowers the sum of squares.
fn gauss_newton_polish<M: ResidualModel + ?Sized>(
    model: &M,
    mut p: Vec<f64>,
    mut best: f64,
) -> (Vec<f64>, f64) {
    let (m, n) = (model.n_residuals(), model.n_params());
    if m < n || !best.is_finite() {
        return (p, best);
    }
    let mut r = DVector::zeros(m);
    let mut j = DMatrix::zeros(m, n);
    for _ in 0..8 {
        if j.nrows() != m {
            j = DMatrix::zeros(m, n);
        }
        model.residuals(&p, r.as_mut_slice());
        model.jacobian(&p, &mut j);
        let scale: Vec<f64> = (0..n).map(|k| j.column(k).norm()).collect();
        if scale.iter().any(|s| !s.is_finite() || *s == 0.0) {
            break;
        }
        for (k, s) in scale.iter().enumerate() {
            j.column_mut(k).unscale_mut(*s);
        }
        let qr = std::mem::replace(&mut j, DMatrix::zeros(0, 0)).qr();
        // Qᵀr in place, without forming Q (m × n).
        qr.q_tr_mul(&mut r);
        let qtr = r.rows(0, n).into_owned();
        let Ok(step) = qr.r().svd(true, true).solve(&qtr, 1e-14) else {
            break;
        };
        let q: Vec<f64> = (0..n).map(|k| p[k] - step[k] / scale[k]).collect();
        let s = sse(model, &q);
        if s.is_nan() || s >= best {
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
