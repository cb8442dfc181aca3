//! Writing a table back out as CSV.

use super::cell::write_number;
use super::{Cell, Table};

impl Table {
    /// The table as comma-separated text: the header row (the labels of
    /// [`Table::headers`]), then every stored row. Numbers are written so that they read back
    /// exactly, text is quoted, empty cells are empty. Reading the result with a header gives
    /// the same headers and cells.
    pub fn to_csv(&self) -> String {
        let mut out = String::with_capacity(self.cells.len() * 12);
        let width = self.width();
        for (j, h) in self.headers.iter().enumerate() {
            push_text(&mut out, h);
            out.push(if j + 1 == width { '\n' } else { ',' });
        }
        for (i, cell) in self.cells.iter().enumerate() {
            match cell {
                // Writing to a String cannot fail.
                Cell::Number(v) => {
                    let _ = write_number(&mut out, *v);
                }
                Cell::Text(t) => push_text(&mut out, t),
                Cell::Empty => {}
            }
            out.push(if (i + 1) % width == 0 { '\n' } else { ',' });
        }
        out
    }
}

/// Text is always quoted, so it can never pass for a number, a comment or a blank line.
fn push_text(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}
