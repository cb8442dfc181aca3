//! What the reader could not use, with positions a person can act on.

use std::fmt;

use super::{Role, SizeLimit};

/// A row that was read but cannot be used, listed instead of dropped silently.
///
/// `Display` gives the whole message, e.g. `line 14: 'n/a' in column loss is not a number`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// 1-based line of the input where the row starts.
    pub line: usize,
    /// 0-based index of the offending column, when one column is at fault.
    pub column: Option<usize>,
    /// The offending text (empty for an empty cell).
    pub text: String,
    /// What is wrong, without the line (e.g. `'n/a' in column loss is not a number`).
    pub message: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Something the reader did on its own that the user should know about.
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// A perplexity column was converted to a loss, `ln(ppl)`.
    PerplexityConverted {
        /// The column's header.
        column: String,
    },
    /// D was computed as `C / (6N)` because the table has N and C but no D.
    DerivedD,
    /// N was computed as `C / (6D)` because the table has D and C but no N.
    DerivedN,
    /// Several columns looked like the same role; only the first got it.
    DuplicateRole {
        /// The role.
        role: Role,
        /// The header of the column that kept the role.
        kept: String,
        /// The header of a column that was set to ignore.
        ignored: String,
    },
    /// No header named the role, so a column was chosen by position.
    RoleByPosition {
        /// The role.
        role: Role,
        /// The column's header (or `column k`).
        column: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::PerplexityConverted { column } => {
                write!(f, "perplexity in column {column} converted to loss: loss = ln(ppl)")
            }
            Warning::DerivedD => f.write_str("no D column: D computed as C / (6N)"),
            Warning::DerivedN => f.write_str("no N column: N computed as C / (6D)"),
            Warning::DuplicateRole {
                role,
                kept,
                ignored,
            } => write!(
                f,
                "columns {kept} and {ignored} both look like {role}: using {kept}, ignoring {ignored}"
            ),
            Warning::RoleByPosition { role, column } => write!(
                f,
                "no column is named like {role}: using column {column} as {role}"
            ),
        }
    }
}

/// Why a table cannot be used at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Nothing but blank lines and comments.
    #[error("the input is empty: paste a table with a header row and at least one data row")]
    Empty,
    /// A header and no data rows.
    #[error("only a header row ({header}) and no data rows")]
    HeaderOnly {
        /// The header fields, joined by `, `.
        header: String,
    },
    /// Rows were read but none can be used; the first problem is given.
    #[error("no usable row: {first}{}", more_text(*.more))]
    NoUsableRows {
        /// The first skipped row.
        first: Skipped,
        /// How many more rows were skipped.
        more: usize,
    },
    /// No column can serve as the fitted quantity.
    #[error(
        "no loss column: name one loss, val_loss, ppl or perplexity, or set a column's role to loss"
    )]
    NoY,
    /// No column can serve as an input.
    #[error("no input column: name one N, D, C or x, or set a column's role to an input")]
    NoInput,
    /// Two columns have a role that only one may have.
    #[error("columns {first} and {second} both have role {role}; only one may")]
    DuplicateRole {
        /// The role.
        role: Role,
        /// The first column's header.
        first: String,
        /// The second column's header.
        second: String,
    },
    /// A column with role x was combined with N, D or C.
    #[error("column {x} is x, which cannot be combined with N, D or C ({other}); use N and D for two inputs")]
    MixedInputs {
        /// The x column's header.
        x: String,
        /// A column with role N, D or C.
        other: String,
    },
    /// A role was given for a column that does not exist.
    #[error("no column {column}: the columns are {available}")]
    UnknownColumn {
        /// The name or number asked for.
        column: String,
        /// The headers, joined by `, `.
        available: String,
    },
    /// The text asks for a larger table than the reader holds (see [`super::limits`]):
    /// checked before the memory is taken, so a small hostile text cannot exhaust it.
    #[error("line {line}: {limit}")]
    TooLarge {
        /// 1-based line of the record that reached the bound.
        line: usize,
        /// Which bound, with its numbers.
        limit: SizeLimit,
    },
    /// A list of roles does not have one role per column.
    #[error("{got} roles given for {expected} columns")]
    RoleCount {
        /// Number of columns.
        expected: usize,
        /// Number of roles given.
        got: usize,
    },
}

fn more_text(more: usize) -> String {
    match more {
        0 => String::new(),
        1 => " (and 1 more row)".to_string(),
        n => format!(" (and {n} more rows)"),
    }
}
