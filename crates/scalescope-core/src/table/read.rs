//! [`read_table`]: text in, [`Table`] out.

use csv::StringRecord;

use super::layout::Layout;
use super::limits::{max_cells, max_rows, SizeLimit, MAX_COLUMNS};
use super::number::{parse_number, Separators};
use super::records::Records;
use super::sniff::{detect_header, detect_separators, sniff_delimiter, HEADER_LOOKAHEAD};
use super::{assign, Cell, ReadError, ReadOptions, Skipped, Table};

/// Read a pasted or loaded table.
///
/// Detects what `options` leaves open (delimiter, header), parses every cell, assigns
/// roles (guessed from headers, then `options.roles`), and lists unusable rows in
/// [`Table::skipped`]. Fails when the input is empty, has only a header, has no usable row,
/// or its roles cannot make points; the error's `Display` says what to do.
pub fn read_table(text: &str, options: &ReadOptions) -> Result<Table, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(text));
    let mut records = Records::new(text, delimiter);
    let mut record = StringRecord::new();

    // The first records decide whether there is a header.
    let mut head: Vec<(usize, Vec<String>)> = Vec::new();
    while head.len() <= HEADER_LOOKAHEAD {
        let Some(line) = records.next_into(&mut record) else {
            break;
        };
        if record.len() > MAX_COLUMNS {
            return Err(ReadError::TooLarge {
                line,
                limit: SizeLimit::Columns {
                    found: record.len(),
                },
            });
        }
        if !is_blank(&record) {
            head.push((line, record.iter().map(str::to_string).collect()));
        }
    }
    let head_fields: Vec<Vec<String>> = head.iter().map(|(_, f)| f.clone()).collect();
    let Some(first) = head_fields.first() else {
        return Err(ReadError::Empty);
    };
    let seps = detect_separators(&head_fields, delimiter);
    let has_header = options
        .header
        .unwrap_or_else(|| detect_header(&head_fields, seps));
    let width = if has_header {
        first
            .iter()
            .rposition(|h| !h.is_empty())
            .map_or(0, |p| p + 1)
    } else {
        first.len()
    };
    let (headers, generated): (Vec<String>, Vec<bool>) = (0..width)
        .map(
            |j| match first.get(j).filter(|h| has_header && !h.is_empty()) {
                Some(h) => (h.clone(), false),
                None => (format!("column {}", j + 1), true),
            },
        )
        .unzip();

    // Every record ends at a line break (`\n`, `\r` or both), so this many rows at most:
    // the cells are allocated once, within their budget.
    let records_at_most = 1 + text.bytes().filter(|&b| b == b'\n' || b == b'\r').count();
    let max_cells = max_cells(text.len());
    let mut builder = Builder {
        width,
        seps,
        cells: Vec::with_capacity(records_at_most.saturating_mul(width).min(max_cells)),
        lines: Vec::new(),
        malformed: Vec::new(),
        max_cells,
        max_rows: max_rows(text.len()),
    };
    for (line, fields) in head.iter().skip(usize::from(has_header)) {
        builder.push(*line, fields.iter().map(String::as_str))?;
    }
    while let Some(line) = records.next_into(&mut record) {
        if !is_blank(&record) {
            builder.push(line, record.iter())?;
        }
    }
    if builder.lines.is_empty() {
        return Err(match builder.malformed.into_iter().next() {
            Some(first) if has_header => ReadError::NoUsableRows { first, more: 0 },
            _ if has_header => ReadError::HeaderOnly {
                header: first.join(", "),
            },
            _ => ReadError::Empty,
        });
    }

    let mut table = Table {
        headers,
        generated,
        delimiter,
        has_header,
        cells: builder.cells,
        lines: builder.lines,
        roles: Vec::new(),
        positivity: options.positivity,
        malformed: builder.malformed,
        read_warnings: Vec::new(),
        layout: Layout::default(),
        usable: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
    };
    let (roles, warnings) = assign::assign_roles(&table, &options.roles)?;
    table.roles = roles;
    table.read_warnings = warnings;
    table.refresh()?;
    Ok(table)
}

fn is_blank(record: &StringRecord) -> bool {
    record.iter().all(str::is_empty)
}

/// Accumulates parsed rows.
struct Builder {
    width: usize,
    seps: Separators,
    cells: Vec<Cell>,
    lines: Vec<usize>,
    malformed: Vec<Skipped>,
    /// The bounds of [`super::limits`] for this text.
    max_cells: usize,
    max_rows: usize,
}

impl Builder {
    /// Store one record as a row padded to the width (or list it as malformed), unless the
    /// table would outgrow its bounds.
    fn push<'a>(
        &mut self,
        line: usize,
        fields: impl Iterator<Item = &'a str> + Clone,
    ) -> Result<(), ReadError> {
        if self.lines.len() + self.malformed.len() >= self.max_rows {
            return Err(ReadError::TooLarge {
                line,
                limit: SizeLimit::Rows {
                    limit: self.max_rows,
                },
            });
        }
        let count = fields.clone().count();
        if count > self.width {
            if let Some((j, extra)) = fields
                .clone()
                .enumerate()
                .skip(self.width)
                .find(|(_, f)| !f.is_empty())
            {
                self.malformed.push(Skipped {
                    line,
                    column: Some(j),
                    text: extra.to_string(),
                    message: format!(
                        "{count} fields but the table has {} columns ('{extra}' is field {})",
                        self.width,
                        j + 1
                    ),
                });
                return Ok(());
            }
        }
        if self.cells.len() + self.width > self.max_cells {
            return Err(ReadError::TooLarge {
                line,
                limit: SizeLimit::Cells {
                    limit: self.max_cells,
                    columns: self.width,
                },
            });
        }
        let seps = self.seps;
        self.cells.extend(
            fields
                .chain(std::iter::repeat(""))
                .take(self.width)
                .map(|f| parse_cell(f, seps)),
        );
        self.lines.push(line);
        Ok(())
    }
}

fn parse_cell(field: &str, seps: Separators) -> Cell {
    if field.is_empty() {
        Cell::Empty
    } else if let Some(v) = parse_number(field, seps) {
        Cell::Number(v)
    } else {
        Cell::Text(field.into())
    }
}
