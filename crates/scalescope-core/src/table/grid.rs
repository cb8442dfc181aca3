//! The table as read: headers, parsed cells, roles, and what could not be used.

use super::layout::Layout;
use super::{Cell, Delimiter, Positivity, ReadError, Role, Skipped, Warning};

/// A table as read, ready to preview, re-role and turn into points.
///
/// Invariant: the roles always make a valid layout (one y column, inputs that combine)
/// and at least one row is usable; [`Table::set_roles`] and friends refuse changes that
/// would break this and leave the table as it was.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub(crate) headers: Vec<String>,
    /// Which headers were made up (`column k`) because the input had none there.
    pub(crate) generated: Vec<bool>,
    pub(crate) delimiter: Delimiter,
    pub(crate) has_header: bool,
    /// Row-major cells, `headers.len()` per row.
    pub(crate) cells: Vec<Cell>,
    /// The 1-based input line of each row.
    pub(crate) lines: Vec<usize>,
    pub(crate) roles: Vec<Role>,
    pub(crate) positivity: Positivity,
    /// Rows that could not be stored at all (too many fields).
    pub(crate) malformed: Vec<Skipped>,
    /// Warnings of reading, independent of the roles.
    pub(crate) read_warnings: Vec<Warning>,
    /// Derived from the above by [`Table::refresh`].
    pub(crate) layout: Layout,
    pub(crate) usable: Vec<bool>,
    pub(crate) skipped: Vec<Skipped>,
    pub(crate) warnings: Vec<Warning>,
}

/// One row of a [`Table`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row<'a> {
    /// 1-based line of the input where the row starts.
    pub line: usize,
    /// The cells, one per column.
    pub cells: &'a [Cell],
    /// Whether the row is used under the current roles (otherwise it is in `skipped`).
    pub usable: bool,
}

impl Table {
    /// Column labels: the header, or `column k` (1-based) where the input has none.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The delimiter that was detected or given.
    pub fn delimiter(&self) -> Delimiter {
        self.delimiter
    }

    /// Whether the first row was a header.
    pub fn has_header(&self) -> bool {
        self.has_header
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.headers.len()
    }

    /// Number of stored rows (usable or not; rows with too many fields are not stored).
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether no row is stored (never true for a table returned by the reader).
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Row `index` (0-based), if it exists.
    pub fn row(&self, index: usize) -> Option<Row<'_>> {
        let w = self.width();
        Some(Row {
            line: *self.lines.get(index)?,
            cells: self.cells.get(index * w..(index + 1) * w)?,
            usable: self.usable[index],
        })
    }

    /// All stored rows in input order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> + '_ {
        (0..self.len()).filter_map(|i| self.row(i))
    }

    /// The role of each column.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The values that must be positive.
    pub fn positivity(&self) -> Positivity {
        self.positivity
    }

    /// Rows that cannot be used under the current roles, in line order.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// What the reader did on its own (conversions, guesses), for the user to check.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Number of usable rows.
    pub fn usable_rows(&self) -> usize {
        self.usable.iter().filter(|&&u| u).count()
    }

    /// Give column `column` (0-based) the role `role`, as a role selector does: a column that
    /// held a role only one column may have (the other y column, the x or N/D/C that cannot
    /// combine with it, the other group or weight column) is set to ignore. Refused (table
    /// unchanged) when the roles would not make points (e.g. no loss column is left) or no
    /// row would be usable.
    pub fn set_role(&mut self, column: usize, role: Role) -> Result<(), ReadError> {
        if column >= self.width() {
            return Err(ReadError::UnknownColumn {
                column: format!("number {}", column + 1),
                available: self.headers.join(", "),
            });
        }
        let displaced = |old: Role| match role {
            Role::Ignore => false,
            Role::Loss | Role::Perplexity => old.is_y(),
            Role::X => old.is_input(),
            Role::N | Role::D | Role::C => old == role || old == Role::X,
            Role::Group | Role::Weight => old == role,
        };
        let roles = (0..self.width())
            .map(|k| match self.roles[k] {
                _ if k == column => role,
                old if displaced(old) => Role::Ignore,
                old => old,
            })
            .collect();
        self.set_roles(roles)
    }

    /// Set every column's role at once, exactly as given; refused (table unchanged) when the
    /// roles would not make points (two loss columns, x with N, no input…) or no row would
    /// be usable.
    pub fn set_roles(&mut self, roles: Vec<Role>) -> Result<(), ReadError> {
        if roles.len() != self.width() {
            return Err(ReadError::RoleCount {
                expected: self.width(),
                got: roles.len(),
            });
        }
        let old = std::mem::replace(&mut self.roles, roles);
        self.refresh().inspect_err(|_| {
            self.roles = old;
            let _ = self.refresh();
        })
    }

    /// Change which values must be positive; refused (table unchanged) when no row would
    /// be usable.
    pub fn set_positivity(&mut self, positivity: Positivity) -> Result<(), ReadError> {
        let old = std::mem::replace(&mut self.positivity, positivity);
        self.refresh().inspect_err(|_| {
            self.positivity = old;
            let _ = self.refresh();
        })
    }

    /// The label used in messages: the header, or the 1-based number without a header.
    pub(crate) fn label(&self, column: usize) -> String {
        if self.generated[column] {
            (column + 1).to_string()
        } else {
            self.headers[column].clone()
        }
    }

    pub(crate) fn cell(&self, row: usize, column: usize) -> &Cell {
        &self.cells[row * self.width() + column]
    }
}
