//! Which columns make the points under the current roles, and which rows can be used.

use std::borrow::Cow;
use std::collections::HashSet;

use super::limits::{SizeLimit, MAX_GROUPS};
use super::{Cell, ReadError, Role, Skipped, Table, Warning};

/// The columns that make the points. Built only from roles that combine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) x: Option<usize>,
    pub(crate) n: Option<usize>,
    pub(crate) d: Option<usize>,
    pub(crate) c: Option<usize>,
    /// The y column and whether it holds perplexities.
    pub(crate) y: (usize, bool),
    pub(crate) group: Option<usize>,
    pub(crate) weight: Option<usize>,
}

impl Layout {
    /// Check that the roles make points: one y column, at most one column per other role,
    /// x not mixed with N/D/C, at least one input.
    pub(crate) fn new(
        roles: &[Role],
        label: impl Fn(usize) -> String,
    ) -> Result<Layout, ReadError> {
        let find = |role: Role| -> Result<Option<usize>, ReadError> {
            let mut cols = (0..roles.len()).filter(|&j| roles[j] == role);
            let first = cols.next();
            match (first, cols.next()) {
                (Some(a), Some(b)) => Err(ReadError::DuplicateRole {
                    role,
                    first: label(a),
                    second: label(b),
                }),
                _ => Ok(first),
            }
        };
        let (loss, ppl) = (find(Role::Loss)?, find(Role::Perplexity)?);
        let y = match (loss, ppl) {
            (Some(a), Some(b)) => {
                return Err(ReadError::DuplicateRole {
                    role: Role::Loss,
                    first: label(a),
                    second: label(b),
                })
            }
            (Some(a), None) => (a, false),
            (None, Some(b)) => (b, true),
            (None, None) => return Err(ReadError::NoY),
        };
        let layout = Layout {
            x: find(Role::X)?,
            n: find(Role::N)?,
            d: find(Role::D)?,
            c: find(Role::C)?,
            y,
            group: find(Role::Group)?,
            weight: find(Role::Weight)?,
        };
        if let Some(x) = layout.x {
            if let Some(other) = layout.n.or(layout.d).or(layout.c) {
                return Err(ReadError::MixedInputs {
                    x: label(x),
                    other: label(other),
                });
            }
        }
        if layout.inputs().is_empty() {
            return Err(ReadError::NoInput);
        }
        Ok(layout)
    }

    /// The input columns that are used (C is unused when N and D are both given).
    pub(crate) fn inputs(&self) -> Vec<usize> {
        match (self.x, self.n, self.d, self.c) {
            (Some(x), ..) => vec![x],
            (None, Some(n), Some(d), _) => vec![n, d],
            (None, n, d, c) => [n, d, c].into_iter().flatten().collect(),
        }
    }

    /// Every numeric column a usable row needs, with its role.
    fn used(&self, roles: &[Role]) -> Vec<(usize, Role)> {
        let mut used: Vec<usize> = self.inputs();
        used.push(self.y.0);
        used.extend(self.weight);
        used.into_iter().map(|j| (j, roles[j])).collect()
    }
}

impl Table {
    /// Recompute layout, usable rows, skipped rows and warnings from the roles.
    pub(crate) fn refresh(&mut self) -> Result<(), ReadError> {
        let layout = Layout::new(&self.roles, |j| self.label(j))?;
        let used = layout.used(&self.roles);
        let mut usable = Vec::with_capacity(self.len());
        let mut skipped = self.malformed.clone();
        for row in 0..self.len() {
            let problem = used
                .iter()
                .find_map(|&(j, role)| self.check(row, j, role))
                .or_else(|| layout.group.and_then(|g| self.check_group(row, g)));
            usable.push(problem.is_none());
            skipped.extend(problem);
        }
        if let Some(g) = layout.group {
            self.check_group_count(g, &usable)?;
        }
        if !usable.iter().any(|&u| u) {
            let first = skipped.iter().min_by_key(|s| s.line).cloned();
            return Err(match first {
                Some(first) => ReadError::NoUsableRows {
                    more: skipped.len() - 1,
                    first,
                },
                None => ReadError::Empty,
            });
        }
        crate::sort::sort_by_key(&mut skipped, |s| s.line);
        let mut warnings = self.read_warnings.clone();
        if layout.y.1 {
            warnings.push(Warning::PerplexityConverted {
                column: self.label(layout.y.0),
            });
        }
        match (layout.x, layout.n, layout.d, layout.c) {
            (None, Some(_), None, Some(_)) => warnings.push(Warning::DerivedD),
            (None, None, Some(_), Some(_)) => warnings.push(Warning::DerivedN),
            _ => {}
        }
        self.layout = layout;
        self.usable = usable;
        self.skipped = skipped;
        self.warnings = warnings;
        Ok(())
    }

    /// Why the cell at (`row`, `column`) makes the row unusable for `role`, if it does.
    fn check(&self, row: usize, column: usize, role: Role) -> Option<Skipped> {
        let skip = |text: String, message: String| Skipped {
            line: self.lines[row],
            column: Some(column),
            text,
            message,
        };
        let label = || self.label(column);
        match self.cell(row, column) {
            Cell::Empty => Some(skip(String::new(), format!("column {} is empty", label()))),
            Cell::Text(t) => Some(skip(
                t.to_string(),
                format!("'{t}' in column {} is not a number", label()),
            )),
            Cell::Number(v) => {
                let v = *v;
                let must_be_positive = match role {
                    Role::N | Role::D | Role::C | Role::Perplexity => true,
                    Role::X => self.positivity.x,
                    Role::Loss => self.positivity.y,
                    _ => false,
                };
                let negative_weight = role == Role::Weight && v < 0.0;
                let not_positive = must_be_positive && v <= 0.0;
                if !not_positive && !negative_weight {
                    return None;
                }
                let text = Cell::Number(v).to_string();
                let message = if negative_weight {
                    format!("weight {text} in column {} is negative", label())
                } else {
                    format!(
                        "{text} in column {} must be positive (its logarithm is taken)",
                        label()
                    )
                };
                Some(skip(text, message))
            }
        }
    }

    fn check_group(&self, row: usize, column: usize) -> Option<Skipped> {
        self.cell(row, column).is_empty().then(|| Skipped {
            line: self.lines[row],
            column: Some(column),
            text: String::new(),
            message: format!("column {} is empty (no group)", self.label(column)),
        })
    }

    /// At most [`MAX_GROUPS`] groups among the usable rows (same keys as [`Table::groups`]).
    fn check_group_count(&self, column: usize, usable: &[bool]) -> Result<(), ReadError> {
        let mut seen: HashSet<Cow<'_, str>> = HashSet::new();
        for row in (0..self.len()).filter(|&r| usable[r]) {
            let key = match self.cell(row, column) {
                Cell::Text(t) => Cow::Borrowed(&**t),
                other => Cow::Owned(other.to_string()),
            };
            if seen.insert(key) && seen.len() > MAX_GROUPS {
                return Err(ReadError::TooLarge {
                    line: self.lines[row],
                    limit: SizeLimit::Groups,
                });
            }
        }
        Ok(())
    }
}
