//! One parsed cell of a table.

use std::fmt;

/// A cell as read: a finite number, text that is not a number, or nothing.
///
/// Numbers are parsed once, when the table is read, by the rule documented in
/// [`crate::table`]; a page can render a preview straight from these.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// A finite number (`70M` is stored as `7e7`).
    Number(f64),
    /// Trimmed text that is not a number, e.g. a model name or `n/a`.
    Text(Box<str>),
    /// An empty field, or a field missing from a short row.
    Empty,
}

impl Cell {
    /// The number, if the cell holds one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Cell::Number(v) => Some(*v),
            _ => None,
        }
    }

    /// Whether the cell is empty.
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }
}

/// Numbers are written in the shortest form that reads back exactly (`70000000`, `1.4e-7`,
/// `6e23`), text as is, empty cells as nothing.
impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Number(v) => write_number(f, *v),
            Cell::Text(t) => f.write_str(t),
            Cell::Empty => Ok(()),
        }
    }
}

/// Plain digits for moderate magnitudes, scientific notation otherwise; both round-trip.
pub(crate) fn write_number(f: &mut impl fmt::Write, v: f64) -> fmt::Result {
    let magnitude = v.abs();
    if magnitude == 0.0 || (1e-4..1e15).contains(&magnitude) {
        write!(f, "{v}")
    } else {
        write!(f, "{v:e}")
    }
}
