//! Why an optimiser stopped: reported with every fit, so a user can tell a converged
//! optimum from an early stop.

use std::fmt;

/// Why the optimiser stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum Termination {
    /// The optimum was computed in closed form (linear least squares).
    ClosedForm,
    /// A relative convergence test passed.
    Converged {
        /// Which test passed, e.g. "relative objective change" or "relative step".
        test: &'static str,
        /// Iterations taken.
        iterations: usize,
    },
    /// The residuals are exactly zero (noise-free data).
    ResidualsZero {
        /// Iterations taken.
        iterations: usize,
    },
    /// The iteration or evaluation budget ran out before convergence.
    MaxIterations {
        /// Iterations taken.
        iterations: usize,
    },
    /// No further progress is possible in floating point before a test passed.
    NoProgress {
        /// What stalled.
        detail: &'static str,
        /// Iterations taken.
        iterations: usize,
    },
    /// NaN or infinity appeared in the objective or its derivatives.
    Numerical {
        /// Where.
        detail: &'static str,
    },
}

impl Termination {
    /// Whether this counts as convergence to a stationary point.
    pub fn converged(&self) -> bool {
        matches!(
            self,
            Termination::ClosedForm
                | Termination::Converged { .. }
                | Termination::ResidualsZero { .. }
        )
    }

    /// Iterations taken (0 for closed form or numerical failure).
    pub fn iterations(&self) -> usize {
        match self {
            Termination::Converged { iterations, .. }
            | Termination::ResidualsZero { iterations }
            | Termination::MaxIterations { iterations }
            | Termination::NoProgress { iterations, .. } => *iterations,
            Termination::ClosedForm | Termination::Numerical { .. } => 0,
        }
    }
}

impl fmt::Display for Termination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Termination::ClosedForm => f.write_str("closed form (linear least squares)"),
            Termination::Converged { test, iterations } => {
                write!(f, "converged: {test} after {iterations} iterations")
            }
            Termination::ResidualsZero { iterations } => {
                write!(
                    f,
                    "converged: residuals are zero after {iterations} iterations"
                )
            }
            Termination::MaxIterations { iterations } => {
                write!(
                    f,
                    "stopped: iteration limit reached after {iterations} iterations"
                )
            }
            Termination::NoProgress { detail, iterations } => {
                write!(
                    f,
                    "stopped: no further progress ({detail}) after {iterations} iterations"
                )
            }
            Termination::Numerical { detail } => write!(f, "failed: non-finite values in {detail}"),
        }
    }
}

/// The stopping tests and failure details the solvers write into [`crate::Termination`]
/// (ours, and levenberg-marquardt's).
pub(crate) const KNOWN_TEXTS: [&str; 20] = [
    "relative objective change",
    "relative step",
    "zero gradient",
    "gradient orthogonal to residuals",
    "L-BFGS tolerances",
    "fitted elsewhere, opened from a fit-only link",
    "no step lowers the objective",
    "ftol",
    "xtol",
    "gtol",
    "problem dimensions",
    "objective at the start",
    "Hessian",
    "residuals",
    "residuals norm",
    "jacobian",
    "subproblem x",
    "subproblem ||Dp||",
    "trust-region reduction",
    "new x",
];

/// The entry of [`KNOWN_TEXTS`] equal to `s`, for decoders that must not leak memory on
/// hostile input.
pub(crate) fn known_text(s: &str) -> Option<&'static str> {
    KNOWN_TEXTS.iter().copied().find(|k| *k == s)
}
