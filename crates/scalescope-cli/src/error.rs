//! Everything that makes the command fail, with the message a user can act on.

use scalescope_core::backtest::BacktestError;
use scalescope_core::table::ReadError;
use scalescope_core::FitError;

/// A failure of a subcommand. Every variant is bad input: exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file (`-` for standard input).
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The table could not be used.
    #[error("{path}: {source}")]
    Read {
        /// The file (`-` for standard input).
        path: String,
        /// The positioned reason.
        source: ReadError,
    },
    /// A `--fix` that is not `NAME=VALUE` with a number.
    #[error("--fix {text}: {reason}")]
    Fix {
        /// The argument as given.
        text: String,
        /// What is wrong with it.
        reason: FixError,
    },
    /// The options do not fit the table.
    #[error("{0}")]
    Usage(String),
    /// The isoFLOP protocol has no answer.
    #[error("{path}: {source}")]
    Isoflop {
        /// The file.
        path: String,
        /// Why.
        source: scalescope_core::isoflop::IsoflopError,
    },
    /// `--share` cannot be met (a name the law does not have, a fixed parameter, one
    /// group, an objective that is not least squares).
    #[error("--share: {0}")]
    Share(scalescope_core::shared_fit::SharedError),
    /// No group could be fitted; the first group's reason is given.
    #[error("{path}: cannot fit{}: {source}", group.as_ref().map(|g| format!(" group {g}")).unwrap_or_default())]
    Fit {
        /// The file.
        path: String,
        /// The group, if the table has groups.
        group: Option<String>,
        /// Why.
        source: FitError,
    },
    /// No group could be backtested; the first group's reason is given.
    #[error("{path}: cannot backtest{}: {source}", group.as_ref().map(|g| format!(" group {g}")).unwrap_or_default())]
    Backtest {
        /// The file.
        path: String,
        /// The group, if the table has groups.
        group: Option<String>,
        /// Why.
        source: BacktestError,
    },
}

/// What is wrong with a `--fix NAME=VALUE` (an unknown name is the core's
/// [`FitError::UnknownParam`], reported by the fit).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum FixError {
    /// No `=`.
    #[error("expected NAME=VALUE, e.g. --fix E=1.69")]
    NoEquals,
    /// Nothing before the `=`.
    #[error("no parameter name before '='")]
    NoName,
    /// The value does not read as a number.
    #[error("not a number")]
    NotANumber,
    /// The same parameter was fixed by an earlier `--fix`.
    #[error("{0} is already fixed by an earlier --fix")]
    Twice(String),
}

impl CliError {
    /// The process exit status: 2 for bad input (all current errors).
    pub fn exit_code(&self) -> u8 {
        2
    }
}
