//! How much a read may hold: the bounds that keep a small hostile text from becoming a huge
//! table.
//!
//! A short row is padded to the table's width, so without a bound a header of 10⁶ commas
//! and 200 short rows (2 MB of text, a few KB deflated in a link) would become 2·10⁸ cells.
//! The reader checks these bounds before it allocates, and stops with
//! [`ReadError::TooLarge`](super::ReadError::TooLarge) naming the line it reached.
//!
//! The bounds grow with the text, so a large honest file still reads (the 10⁶-row,
//! 55 MB benchmark table has 3·10⁶ cells, 18 bytes of text per cell), while a small text
//! cannot ask for much: a text of at most 64 KiB reads to at most [`MIN_CELLS`] cells
//! (24 MiB of cells) and [`MIN_ROWS`] rows, and a share link, which inflates to at most
//! [`MAX_BODY_BYTES`](crate::share::MAX_BODY_BYTES) (16 MiB), to at most 2²¹ cells and 2¹⁹
//! rows.

use std::fmt;

/// The most fields a record among the first ones (which decide the table's width) may have.
pub const MAX_COLUMNS: usize = 4096;

/// The cells any text may read to, however short.
pub const MIN_CELLS: usize = 1 << 20;

/// Beyond [`MIN_CELLS`], one cell per this many bytes of text.
pub const TEXT_BYTES_PER_CELL: usize = 8;

/// The rows (stored or not) any text may read to, however short.
pub const MIN_ROWS: usize = 1 << 18;

/// Beyond [`MIN_ROWS`], one row per this many bytes of text.
pub const TEXT_BYTES_PER_ROW: usize = 32;

/// The most groups a table may have (each group is fitted on its own).
pub const MAX_GROUPS: usize = 1 << 17;

/// The most cells a text of `text_len` bytes may read to.
pub fn max_cells(text_len: usize) -> usize {
    MIN_CELLS.max(text_len / TEXT_BYTES_PER_CELL)
}

/// The most rows a text of `text_len` bytes may read to.
pub fn max_rows(text_len: usize) -> usize {
    MIN_ROWS.max(text_len / TEXT_BYTES_PER_ROW)
}

/// Which bound a read reached, for [`ReadError::TooLarge`](super::ReadError::TooLarge).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeLimit {
    /// A record has more fields than [`MAX_COLUMNS`].
    Columns {
        /// The record's number of fields.
        found: usize,
    },
    /// The rows would hold more cells than the text's budget ([`max_cells`]).
    Cells {
        /// The budget.
        limit: usize,
        /// The table's width.
        columns: usize,
    },
    /// More rows than the text's budget ([`max_rows`]).
    Rows {
        /// The budget.
        limit: usize,
    },
    /// More groups than [`MAX_GROUPS`].
    Groups,
}

impl fmt::Display for SizeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SizeLimit::Columns { found } => write!(
                f,
                "{found} fields, but a table may have at most {MAX_COLUMNS} columns"
            ),
            SizeLimit::Cells { limit, columns } => write!(
                f,
                "the table ({columns} columns) would have more than {limit} cells, \
                 the most a text of this size may hold"
            ),
            SizeLimit::Rows { limit } => write!(
                f,
                "more than {limit} rows, the most a text of this size may hold"
            ),
            SizeLimit::Groups => write!(
                f,
                "more than {MAX_GROUPS} groups; is the group column a name column?"
            ),
        }
    }
}
