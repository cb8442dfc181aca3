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

/// A [`Termination`] as the link and worker codecs write it: a tag (0 closed form,
/// 1 converged, 2 zero residuals, 3 iteration budget, 4 no progress, 5 numerical), then the
/// test or detail text where the variant has one, then the iterations where it has them.
/// One table for both codecs, so a variant added here reaches both.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Parts {
    pub tag: u8,
    pub text: Option<&'static str>,
    pub iterations: Option<usize>,
}

/// How many tags [`Parts`] uses.
pub(crate) const TAGS: u8 = 6;

impl Termination {
    /// The codecs' view of `self`.
    pub(crate) fn parts(&self) -> Parts {
        let (tag, text, iterations) = match *self {
            Termination::ClosedForm => (0, None, None),
            Termination::Converged { test, iterations } => (1, Some(test), Some(iterations)),
            Termination::ResidualsZero { iterations } => (2, None, Some(iterations)),
            Termination::MaxIterations { iterations } => (3, None, Some(iterations)),
            Termination::NoProgress { detail, iterations } => (4, Some(detail), Some(iterations)),
            Termination::Numerical { detail } => (5, Some(detail), None),
        };
        Parts {
            tag,
            text,
            iterations,
        }
    }

    /// Whether the variant of `tag` carries a text and iterations (what a reader reads
    /// after the tag, in that order).
    pub(crate) fn fields_of(tag: u8) -> (bool, bool) {
        match tag {
            0 => (false, false),
            1 | 4 => (true, true),
            2 | 3 => (false, true),
            _ => (true, false),
        }
    }

    /// The variant of `tag` (past [`TAGS`]: numerical) with the fields a reader read.
    pub(crate) fn from_parts(tag: u8, text: &'static str, iterations: usize) -> Termination {
        match tag {
            0 => Termination::ClosedForm,
            1 => Termination::Converged {
                test: text,
                iterations,
            },
            2 => Termination::ResidualsZero { iterations },
            3 => Termination::MaxIterations { iterations },
            4 => Termination::NoProgress {
                detail: text,
                iterations,
            },
            _ => Termination::Numerical { detail: text },
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
