//! Tables, reading options and reading errors in worker messages. Every enum has its tag
//! table here (a `const` array, or written out both ways). The readers are straight-line: a
//! problem is kept by the reader, not returned from each field (see `In`).

use super::wire::{In, Out};
use crate::share::codec::{tag_of, ROLES};
use crate::table::layout::Layout;
use crate::table::{
    Cell, ColumnRef, Delimiter, Positivity, ReadError, ReadOptions, Role, SizeLimit,
};
use crate::table::{Skipped, Table, Warning};

/// Roughly the bytes [`write_table`] makes, to size the buffer once.
pub(super) fn size_hint(t: &Table) -> usize {
    t.cells.len() * 9 + t.lines.len() * 2 + t.headers.iter().map(|h| h.len() + 2).sum::<usize>()
}

pub(super) fn write_table(w: &mut Out, t: &Table) {
    w.usize(t.headers.len());
    for (h, g) in t.headers.iter().zip(&t.generated) {
        w.str(h);
        w.bool(*g);
    }
    w.u8(tag_of(&DELIMITERS, &t.delimiter));
    w.bool(t.has_header);
    w.lines(&t.lines);
    for c in &t.cells {
        match c {
            Cell::Empty => w.u8(0),
            Cell::Number(v) => {
                w.u8(1);
                w.f64(*v);
            }
            Cell::Text(s) => {
                w.u8(2);
                w.str(s);
            }
        }
    }
    for r in &t.roles {
        w.u8(tag_of(&ROLES, r));
    }
    positivity(w, t.positivity);
    w.usize(t.malformed.len());
    for s in &t.malformed {
        write_skipped(w, s);
    }
    w.usize(t.read_warnings.len());
    for x in &t.read_warnings {
        write_warning(w, x);
    }
}

/// Reads a table and derives the rest (layout, usable rows, skipped rows, warnings) as the
/// reader did.
pub(super) fn read_table(r: &mut In<'_>) -> Table {
    let width = r.count(2);
    let mut headers = Vec::with_capacity(width);
    let mut generated = Vec::with_capacity(width);
    for _ in 0..width {
        headers.push(r.string());
        generated.push(r.bool());
    }
    let delimiter = r.pick(&DELIMITERS, "delimiter");
    let has_header = r.bool();
    let lines = r.lines();
    let n = match width.checked_mul(lines.len()) {
        // Each cell takes at least its tag byte.
        Some(n) if n <= r.remaining() => n,
        Some(_) => {
            r.truncated();
            0
        }
        None => {
            r.invalid("too many cells");
            0
        }
    };
    let mut table = Table {
        headers,
        generated,
        delimiter,
        has_header,
        cells: r.list(n, read_cell),
        lines,
        roles: r.list(width, |r| r.pick(&ROLES, "column role")),
        positivity: read_positivity(r),
        malformed: {
            let n = r.count(4);
            r.list(n, read_skipped)
        },
        read_warnings: {
            let n = r.count(1);
            r.list(n, read_warning)
        },
        layout: Layout::default(),
        usable: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
    };
    // Only a table read whole is consistent enough to derive from.
    if r.ok() && table.refresh().is_err() {
        r.invalid("the table's roles make no points");
    }
    table
}

fn read_cell(r: &mut In<'_>) -> Cell {
    match r.tag("cell", 3) {
        0 => Cell::Empty,
        1 => Cell::Number(r.f64()),
        _ => Cell::Text(r.string().into_boxed_str()),
    }
}

fn write_skipped(w: &mut Out, s: &Skipped) {
    w.usize(s.line);
    w.opt_usize(s.column);
    w.str(&s.text);
    w.str(&s.message);
}

fn read_skipped(r: &mut In<'_>) -> Skipped {
    Skipped {
        line: r.usize(),
        column: r.opt_usize(),
        text: r.string(),
        message: r.string(),
    }
}

fn write_warning(w: &mut Out, x: &Warning) {
    match x {
        Warning::PerplexityConverted { column } => {
            w.u8(0);
            w.str(column);
        }
        Warning::DerivedD => w.u8(1),
        Warning::DerivedN => w.u8(2),
        Warning::DuplicateRole {
            role,
            kept,
            ignored,
        } => {
            w.u8(3);
            w.u8(tag_of(&ROLES, role));
            w.str(kept);
            w.str(ignored);
        }
        Warning::RoleByPosition { role, column } => {
            w.u8(4);
            w.u8(tag_of(&ROLES, role));
            w.str(column);
        }
    }
}

fn read_warning(r: &mut In<'_>) -> Warning {
    match r.tag("warning", 5) {
        0 => Warning::PerplexityConverted { column: r.string() },
        1 => Warning::DerivedD,
        2 => Warning::DerivedN,
        3 => Warning::DuplicateRole {
            role: r.pick(&ROLES, "column role"),
            kept: r.string(),
            ignored: r.string(),
        },
        _ => Warning::RoleByPosition {
            role: r.pick(&ROLES, "column role"),
            column: r.string(),
        },
    }
}

pub(super) fn write_read_error(w: &mut Out, e: &ReadError) {
    match e {
        ReadError::Empty => w.u8(0),
        ReadError::HeaderOnly { header } => {
            w.u8(1);
            w.str(header);
        }
        ReadError::NoUsableRows { first, more } => {
            w.u8(2);
            write_skipped(w, first);
            w.usize(*more);
        }
        ReadError::NoY => w.u8(3),
        ReadError::NoInput => w.u8(4),
        ReadError::DuplicateRole {
            role,
            first,
            second,
        } => {
            w.u8(5);
            w.u8(tag_of(&ROLES, role));
            w.str(first);
            w.str(second);
        }
        ReadError::MixedInputs { x, other } => {
            w.u8(6);
            w.str(x);
            w.str(other);
        }
        ReadError::UnknownColumn { column, available } => {
            w.u8(7);
            w.str(column);
            w.str(available);
        }
        ReadError::RoleCount { expected, got } => {
            w.u8(8);
            w.usize(*expected);
            w.usize(*got);
        }
        ReadError::TooLarge { line, limit } => {
            w.u8(9);
            w.usize(*line);
            match limit {
                SizeLimit::Columns { found } => {
                    w.u8(0);
                    w.usize(*found);
                }
                SizeLimit::Cells { limit, columns } => {
                    w.u8(1);
                    w.usize(*limit);
                    w.usize(*columns);
                }
                SizeLimit::Rows { limit } => {
                    w.u8(2);
                    w.usize(*limit);
                }
                SizeLimit::Groups => w.u8(3),
            }
        }
    }
}

pub(super) fn read_read_error(r: &mut In<'_>) -> ReadError {
    match r.tag("reading error", 10) {
        0 => ReadError::Empty,
        1 => ReadError::HeaderOnly { header: r.string() },
        2 => ReadError::NoUsableRows {
            first: read_skipped(r),
            more: r.usize(),
        },
        3 => ReadError::NoY,
        4 => ReadError::NoInput,
        5 => ReadError::DuplicateRole {
            role: r.pick(&ROLES, "column role"),
            first: r.string(),
            second: r.string(),
        },
        6 => ReadError::MixedInputs {
            x: r.string(),
            other: r.string(),
        },
        7 => ReadError::UnknownColumn {
            column: r.string(),
            available: r.string(),
        },
        8 => ReadError::RoleCount {
            expected: r.usize(),
            got: r.usize(),
        },
        _ => ReadError::TooLarge {
            line: r.usize(),
            limit: match r.tag("size limit", 4) {
                0 => SizeLimit::Columns { found: r.usize() },
                1 => SizeLimit::Cells {
                    limit: r.usize(),
                    columns: r.usize(),
                },
                2 => SizeLimit::Rows { limit: r.usize() },
                _ => SizeLimit::Groups,
            },
        },
    }
}

pub(super) fn write_read_options(w: &mut Out, o: &ReadOptions) {
    w.u8(o.delimiter.map_or(0, |d| tag_of(&DELIMITERS, &d) + 1));
    w.u8(match o.header {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    });
    w.usize(o.roles.len());
    for (column, role) in &o.roles {
        match column {
            ColumnRef::Name(name) => {
                w.u8(0);
                w.str(name);
            }
            ColumnRef::Index(i) => {
                w.u8(1);
                w.usize(*i);
            }
        }
        w.u8(tag_of(&ROLES, role));
    }
    positivity(w, o.positivity);
}

pub(super) fn read_read_options(r: &mut In<'_>) -> ReadOptions {
    let delimiter = match r.tag("delimiter", DELIMITERS.len() as u8 + 1) {
        0 => None,
        tag => Some(DELIMITERS[usize::from(tag) - 1]),
    };
    let header = match r.tag("header choice", 3) {
        0 => None,
        tag => Some(tag == 2),
    };
    let n = r.count(3);
    ReadOptions {
        delimiter,
        header,
        roles: r.list(n, read_column_role),
        positivity: read_positivity(r),
    }
}

fn read_column_role(r: &mut In<'_>) -> (ColumnRef, Role) {
    let column = match r.tag("column reference", 2) {
        0 => ColumnRef::Name(r.string()),
        _ => ColumnRef::Index(r.usize()),
    };
    (column, r.pick(&ROLES, "column role"))
}

fn positivity(w: &mut Out, p: Positivity) {
    w.bool(p.x);
    w.bool(p.y);
}

fn read_positivity(r: &mut In<'_>) -> Positivity {
    Positivity {
        x: r.bool(),
        y: r.bool(),
    }
}

/// Delimiter tags.
const DELIMITERS: [Delimiter; 5] = [
    Delimiter::Comma,
    Delimiter::Tab,
    Delimiter::Semicolon,
    Delimiter::Whitespace,
    Delimiter::Pipe,
];
