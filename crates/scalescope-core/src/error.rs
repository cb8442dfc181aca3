//! Typed errors of fitting and inversion. Numerical outcomes are values, never panics.

use crate::points::Column;

/// Why a fit could not be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FitError {
    /// A column's length differs from the number of `y` values.
    #[error("column {column} has {len} values but y has {expected}")]
    LengthMismatch {
        /// The offending column.
        column: Column,
        /// Number of `y` values.
        expected: usize,
        /// Length of the column.
        len: usize,
    },
    /// The law is NaN or infinite at a point (a custom formula outside its domain).
    #[error("the law is {value} at point {} (with {params})", index + 1)]
    Undefined {
        /// Zero-based point index.
        index: usize,
        /// The value there.
        value: f64,
        /// The parameters, as `name = value, …`.
        params: String,
    },
    /// A law of N and D was given no D.
    #[error("this law needs two inputs (N and D), but no D column was given")]
    MissingD,
    /// Fewer points (with positive weight) than parameters.
    #[error("{n} points cannot determine {params} parameters: need at least {params} (and {} for uncertainties)", params + 1)]
    TooFewPoints {
        /// Number of usable points.
        n: usize,
        /// Number of parameters.
        params: usize,
    },
    /// A value is NaN or infinite.
    #[error("point {} has a non-finite {column}", index + 1)]
    NonFinite {
        /// Zero-based point index.
        index: usize,
        /// The offending column.
        column: Column,
    },
    /// A value must be positive because the form or the objective takes its log.
    #[error("point {}: {column} = {value} must be positive (its logarithm is taken)", index + 1)]
    NonPositive {
        /// Zero-based point index.
        index: usize,
        /// The offending column.
        column: Column,
        /// The value.
        value: f64,
    },
    /// A weight is negative or not finite.
    #[error("point {}: weight {value} must be a finite non-negative number", index + 1)]
    BadWeight {
        /// Zero-based point index.
        index: usize,
        /// The value.
        value: f64,
    },
    /// An input is the same for every point, so its effect cannot be estimated.
    #[error("every point has the same {column}; its effect cannot be estimated")]
    ConstantInput {
        /// The constant column.
        column: Column,
    },
    /// Fewer distinct inputs (x values, or (N, D) pairs for a two-input law) among the
    /// points with positive weight than the law has parameters: any of many curves fits.
    #[error(
        "{distinct} distinct {} cannot determine {params} parameters: need at least {params}",
        if *pairs { "(N, D) pairs" } else { "input values" }
    )]
    TooFewDistinct {
        /// Distinct inputs among the positive-weight points.
        distinct: usize,
        /// Parameters of the law.
        params: usize,
        /// Whether inputs are (N, D) pairs.
        pairs: bool,
    },
    /// A Huber threshold is not a positive finite number.
    #[error("Huber threshold {0} must be a positive finite number")]
    BadDelta(f64),
    /// No start produced a finite objective (e.g. the model is undefined at the data).
    #[error("no starting point gives a finite objective; the form may not suit these data")]
    NoFiniteStart,
    /// The grid mode was asked for, but this build of the core has no `grid` feature
    /// (the page is built without it).
    #[error("the grid search is not part of this build; use the default search (or the `scalescope` command, which has the grid)")]
    GridUnavailable,
    /// A pinned parameter the law does not have.
    #[error("the {form} law has no parameter '{name}' to fix (its parameters: {})", form.param_names().join(", "))]
    UnknownParam {
        /// The name given.
        name: String,
        /// The law.
        form: crate::Form,
    },
    /// A pinned value that cannot be used.
    #[error("{name} cannot be fixed at {value}: it must be a finite{} number", if *positive { " positive" } else { "" })]
    BadPin {
        /// The parameter.
        name: String,
        /// The value given.
        value: f64,
        /// Whether the law needs it positive.
        positive: bool,
    },
    /// The generic interface was given inconsistent sizes.
    #[error("model returned {got} values where {expected} were expected")]
    Dimension {
        /// Expected size.
        expected: usize,
        /// Size returned.
        got: usize,
    },
}

/// Why a target could not be inverted.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum InvertError {
    /// The fitted curve never reaches the target (e.g. a loss at or below the floor E).
    #[error("target {target} is unreachable: {reason}")]
    Unreachable {
        /// The requested target.
        target: f64,
        /// Why, in words a user can act on.
        reason: String,
    },
    /// The operation needs a one-input law.
    #[error("the required input is defined for one-input laws; a law of N and D answers through its compute-optimal frontier")]
    NotOneInput,
    /// The operation needs a law of N and D (a compute-optimal frontier).
    #[error("the compute-optimal split needs a law of N and D")]
    NoFrontier,
    /// An argument is not a positive finite number.
    #[error("{name} = {value} must be a positive finite number")]
    BadArgument {
        /// The argument's name.
        name: &'static str,
        /// Its value.
        value: f64,
    },
    /// The parameters do not describe a decreasing law (e.g. a non-positive exponent).
    #[error("parameters do not describe a decreasing law: {0}")]
    BadParams(String),
}
