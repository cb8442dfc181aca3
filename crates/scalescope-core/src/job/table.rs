//! Tables, reading options and reading errors in worker messages. Every enum has its tag
//! table here, written out both ways.

use super::wire::{In, Out};
use super::JobError;
use crate::share::codec::{tag_of, ROLES};
use crate::table::layout::Layout;
use crate::table::{Cell, ColumnRef, Delimiter, Positivity, ReadError, ReadOptions, Role};
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
    w.u8(delimiter_tag(t.delimiter));
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
        w.u8(role_tag(*r));
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
pub(super) fn read_table(r: &mut In<'_>) -> Result<Table, JobError> {
    let width = r.count(2)?;
    let mut headers = Vec::with_capacity(width);
    let mut generated = Vec::with_capacity(width);
    for _ in 0..width {
        headers.push(r.string()?);
        generated.push(r.bool()?);
    }
    let delimiter = read_delimiter(r)?;
    let has_header = r.bool()?;
    let lines = r.lines()?;
    let n = width
        .checked_mul(lines.len())
        .ok_or_else(|| r.invalid("too many cells"))?;
    // Each cell takes at least its tag byte.
    if n > r.remaining() {
        return Err(JobError::Truncated { at: r.at() });
    }
    let mut cells = Vec::with_capacity(n);
    for _ in 0..n {
        cells.push(match r.u8()? {
            0 => Cell::Empty,
            1 => Cell::Number(r.f64()?),
            2 => Cell::Text(r.string()?.into_boxed_str()),
            tag => return Err(r.bad_tag("cell", tag)),
        });
    }
    let mut roles = Vec::with_capacity(width);
    for _ in 0..width {
        roles.push(read_role(r)?);
    }
    let positivity = read_positivity(r)?;
    let n_malformed = r.count(4)?;
    let mut malformed = Vec::with_capacity(n_malformed);
    for _ in 0..n_malformed {
        malformed.push(read_skipped(r)?);
    }
    let n_warnings = r.count(1)?;
    let mut read_warnings = Vec::with_capacity(n_warnings);
    for _ in 0..n_warnings {
        read_warnings.push(read_warning(r)?);
    }
    let mut table = Table {
        headers,
        generated,
        delimiter,
        has_header,
        cells,
        lines,
        roles,
        positivity,
        malformed,
        read_warnings,
        layout: Layout::default(),
        usable: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
    };
    table
        .refresh()
        .map_err(|_| r.invalid("the table's roles make no points"))?;
    Ok(table)
}

fn write_skipped(w: &mut Out, s: &Skipped) {
    w.usize(s.line);
    w.opt_usize(s.column);
    w.str(&s.text);
    w.str(&s.message);
}

fn read_skipped(r: &mut In<'_>) -> Result<Skipped, JobError> {
    Ok(Skipped {
        line: r.usize()?,
        column: r.opt_usize()?,
        text: r.string()?,
        message: r.string()?,
    })
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
            w.u8(role_tag(*role));
            w.str(kept);
            w.str(ignored);
        }
        Warning::RoleByPosition { role, column } => {
            w.u8(4);
            w.u8(role_tag(*role));
            w.str(column);
        }
    }
}

fn read_warning(r: &mut In<'_>) -> Result<Warning, JobError> {
    Ok(match r.u8()? {
        0 => Warning::PerplexityConverted {
            column: r.string()?,
        },
        1 => Warning::DerivedD,
        2 => Warning::DerivedN,
        3 => Warning::DuplicateRole {
            role: read_role(r)?,
            kept: r.string()?,
            ignored: r.string()?,
        },
        4 => Warning::RoleByPosition {
            role: read_role(r)?,
            column: r.string()?,
        },
        tag => return Err(r.bad_tag("warning", tag)),
    })
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
            w.u8(role_tag(*role));
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
    }
}

pub(super) fn read_read_error(r: &mut In<'_>) -> Result<ReadError, JobError> {
    Ok(match r.u8()? {
        0 => ReadError::Empty,
        1 => ReadError::HeaderOnly {
            header: r.string()?,
        },
        2 => ReadError::NoUsableRows {
            first: read_skipped(r)?,
            more: r.usize()?,
        },
        3 => ReadError::NoY,
        4 => ReadError::NoInput,
        5 => ReadError::DuplicateRole {
            role: read_role(r)?,
            first: r.string()?,
            second: r.string()?,
        },
        6 => ReadError::MixedInputs {
            x: r.string()?,
            other: r.string()?,
        },
        7 => ReadError::UnknownColumn {
            column: r.string()?,
            available: r.string()?,
        },
        8 => ReadError::RoleCount {
            expected: r.usize()?,
            got: r.usize()?,
        },
        tag => return Err(r.bad_tag("reading error", tag)),
    })
}

pub(super) fn write_read_options(w: &mut Out, o: &ReadOptions) {
    w.u8(o.delimiter.map_or(0, |d| delimiter_tag(d) + 1));
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
        w.u8(role_tag(*role));
    }
    positivity(w, o.positivity);
}

pub(super) fn read_read_options(r: &mut In<'_>) -> Result<ReadOptions, JobError> {
    let delimiter = match r.u8()? {
        0 => None,
        tag => Some(delimiter_of(tag - 1).ok_or_else(|| r.bad_tag("delimiter", tag))?),
    };
    let header = match r.u8()? {
        0 => None,
        1 => Some(false),
        2 => Some(true),
        tag => return Err(r.bad_tag("header choice", tag)),
    };
    let n = r.count(3)?;
    let mut roles = Vec::with_capacity(n);
    for _ in 0..n {
        let column = match r.u8()? {
            0 => ColumnRef::Name(r.string()?),
            1 => ColumnRef::Index(r.usize()?),
            tag => return Err(r.bad_tag("column reference", tag)),
        };
        roles.push((column, read_role(r)?));
    }
    Ok(ReadOptions {
        delimiter,
        header,
        roles,
        positivity: read_positivity(r)?,
    })
}

fn positivity(w: &mut Out, p: Positivity) {
    w.bool(p.x);
    w.bool(p.y);
}

fn read_positivity(r: &mut In<'_>) -> Result<Positivity, JobError> {
    Ok(Positivity {
        x: r.bool()?,
        y: r.bool()?,
    })
}

fn delimiter_tag(d: Delimiter) -> u8 {
    match d {
        Delimiter::Comma => 0,
        Delimiter::Tab => 1,
        Delimiter::Semicolon => 2,
        Delimiter::Whitespace => 3,
        Delimiter::Pipe => 4,
    }
}

fn delimiter_of(tag: u8) -> Option<Delimiter> {
    Some(match tag {
        0 => Delimiter::Comma,
        1 => Delimiter::Tab,
        2 => Delimiter::Semicolon,
        3 => Delimiter::Whitespace,
        4 => Delimiter::Pipe,
        _ => return None,
    })
}

fn read_delimiter(r: &mut In<'_>) -> Result<Delimiter, JobError> {
    let tag = r.u8()?;
    delimiter_of(tag).ok_or_else(|| r.bad_tag("delimiter", tag))
}

fn role_tag(role: Role) -> u8 {
    tag_of(&ROLES, &role)
}

fn read_role(r: &mut In<'_>) -> Result<Role, JobError> {
    let tag = r.u8()?;
    ROLES
        .get(usize::from(tag))
        .copied()
        .ok_or_else(|| r.bad_tag("column role", tag))
}
