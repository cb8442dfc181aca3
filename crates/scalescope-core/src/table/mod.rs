//! Reading the tables researchers paste: spreadsheets, papers, W&B exports, logs.
//!
//! [`read_table`] detects the delimiter (comma, tab, semicolon, runs of spaces, or the pipes
//! of a Markdown table) and whether the first row is a header, accepts quoted fields, `#`
//! comment lines, a UTF-8 BOM, CRLF and blank lines, parses numbers by the rule in [`number`](self#numbers), and guesses each
//! column's [`Role`] from its header. Every row it cannot use is listed in
//! [`Table::skipped`] with its line, never dropped silently; a table with no usable row is an
//! error.
//!
//! ```
//! use scalescope_core::table::{read_table, ReadOptions, Role};
//!
//! let text = "model;N;loss\npythia;70M;3,52\npythia;160M;3,23\npythia;410M;n/a\n";
//! let table = read_table(text, &ReadOptions::new()).unwrap();
//! assert_eq!(table.roles(), &[Role::Group, Role::N, Role::Loss]);
//! assert_eq!(table.skipped()[0].to_string(), "line 4: 'n/a' in column loss is not a number");
//! let groups = table.groups();
//! assert_eq!(groups[0].0.as_deref(), Some("pythia"));
//! assert_eq!(groups[0].1.x, vec![7e7, 1.6e8]);
//! assert_eq!(groups[0].1.y, vec![3.52, 3.23]);
//! ```
//!
//! # Numbers
//!
#![doc = include_str!("number_rule.md")]
//!
//! # Roles
//!
//! Guessed from headers by [`Role::guess`]; when several columns look like the same role the
//! first keeps it and the others are ignored (with a [`Warning`]). Without a header, or when
//! no header names a loss or an input, the last numeric column is the loss and the first
//! numeric column the input. Roles can be chosen in [`ReadOptions`] or changed afterwards with
//! [`Table::set_role`] without reading the text again.
//!
//! Points are made by [`Table::groups`]: x alone; or N, D, C alone as the single input; or N
//! and D (two inputs); if only N and C are given, D = C / (6N) (as Epoch AI did for the
//! Chinchilla data), and if only D and C, N = C / (6D). A perplexity becomes a loss ln(ppl).

mod assign;
mod cell;
mod error;
mod grid;
mod groups;
pub(crate) mod layout;
pub mod limits;
mod number;
mod options;
mod read;
mod records;
mod role;
mod sniff;
mod write;

pub use cell::Cell;
pub use error::{ReadError, Skipped, Warning};
pub use grid::{Row, Table};
pub use limits::SizeLimit;
pub use options::{ColumnRef, Delimiter, Positivity, ReadOptions};
pub use read::read_table;
pub use role::{ParseRoleError, Role};
