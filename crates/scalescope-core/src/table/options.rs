//! How to read a table: what to detect and what the user has already said.

use std::fmt;

use super::Role;

/// The field separator of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Delimiter {
    /// `,`
    Comma,
    /// A tab, as in a spreadsheet paste.
    Tab,
    /// `;`, as in spreadsheets of locales with a decimal comma.
    Semicolon,
    /// Runs of spaces (and tabs), as in aligned tables from papers and logs.
    Whitespace,
    /// `|`, as in Markdown tables (outer pipes and the `|---|` rule are dropped).
    Pipe,
}

impl Delimiter {
    /// A short name: `comma`, `tab`, `semicolon`, `whitespace`, `pipe`.
    pub fn name(self) -> &'static str {
        match self {
            Delimiter::Comma => "comma",
            Delimiter::Tab => "tab",
            Delimiter::Semicolon => "semicolon",
            Delimiter::Whitespace => "whitespace",
            Delimiter::Pipe => "pipe",
        }
    }
}

impl fmt::Display for Delimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A column named by its header or by its 0-based position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnRef {
    /// The first column whose trimmed header equals this, ignoring ASCII case.
    Name(String),
    /// 0-based position.
    Index(usize),
}

impl fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnRef::Name(n) => write!(f, "'{n}'"),
            ColumnRef::Index(i) => write!(f, "number {}", i + 1),
        }
    }
}

/// Which values must be positive for a row to be used (because a logarithm is taken).
///
/// N, D, C and perplexity must always be positive; these flags add the generic input x
/// and the loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Positivity {
    /// x must be positive.
    pub x: bool,
    /// The loss must be positive.
    pub y: bool,
}

impl Positivity {
    /// Require positive x and loss: what every default fit needs.
    pub const ALL: Positivity = Positivity { x: true, y: true };
}

impl Default for Positivity {
    fn default() -> Self {
        Positivity::ALL
    }
}

/// What the reader should detect and what it is told.
///
/// The default detects everything. Builders override one thing each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadOptions {
    /// The delimiter; `None` detects it.
    pub delimiter: Option<Delimiter>,
    /// Whether the first row is a header; `None` detects it.
    pub header: Option<bool>,
    /// Roles chosen by the user. When any column is given an input role (x, N, D, C), the
    /// guessed input roles of the other columns are dropped; the same holds for the y roles
    /// (loss, perplexity), for group and for weight.
    pub roles: Vec<(ColumnRef, Role)>,
    /// Which values must be positive.
    pub positivity: Positivity,
}

impl ReadOptions {
    /// Detect everything.
    pub fn new() -> Self {
        ReadOptions::default()
    }

    /// Use this delimiter instead of detecting it.
    #[must_use]
    pub fn with_delimiter(mut self, delimiter: Delimiter) -> Self {
        self.delimiter = Some(delimiter);
        self
    }

    /// Say whether the first row is a header instead of detecting it.
    #[must_use]
    pub fn with_header(mut self, header: bool) -> Self {
        self.header = Some(header);
        self
    }

    /// Give `column` the role `role` (see [`ReadOptions::roles`]).
    #[must_use]
    pub fn with_role(mut self, column: ColumnRef, role: Role) -> Self {
        self.roles.push((column, role));
        self
    }

    /// Require these values to be positive.
    #[must_use]
    pub fn with_positivity(mut self, positivity: Positivity) -> Self {
        self.positivity = positivity;
        self
    }
}
