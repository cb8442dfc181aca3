//! Reading the table named on the command line, with the user's column choices.

use std::io::Read;

use scalescope_core::table::{
    read_table, ColumnRef, Delimiter, ReadError, ReadOptions, Role, Table,
};

use crate::args::{DataArgs, Sep};
use crate::error::CliError;

/// The text of `path`, or of standard input for `-`.
pub fn read_text(path: &str) -> Result<String, CliError> {
    let io = |source| CliError::Io {
        path: path.to_string(),
        source,
    };
    if path == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(io)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(io)
    }
}

/// The table `data` names (a file, or standard input for `-` or none): its path, as errors
/// name it, and the table read with `data`'s options. What `fit`, `backtest` and `compare`
/// start from.
pub fn table(data: &DataArgs) -> Result<(&str, Table), CliError> {
    let path = data.file.as_deref().unwrap_or("-");
    let text = read_text(path)?;
    let table = read(&text, data).map_err(|source| CliError::Read {
        path: path.to_string(),
        source,
    })?;
    Ok((path, table))
}

/// Read `text` as a table, with the roles `--x`, `--y` and `--group` give.
pub fn read(text: &str, data: &DataArgs) -> Result<Table, ReadError> {
    read_table(text, &read_options(data))
}

/// `--delimiter`, `--no-header`, and `--x`, `--y`, `--group` as role choices. `--x A` makes
/// A the input x; `--x A,B` makes A N and B D (or C when B's header says compute/flops, to
/// derive D = C/(6N)).
pub fn read_options(data: &DataArgs) -> ReadOptions {
    let mut options = ReadOptions::new();
    if let Some(sep) = data.delimiter {
        options = options.with_delimiter(match sep {
            Sep::Comma => Delimiter::Comma,
            Sep::Tab => Delimiter::Tab,
            Sep::Semicolon => Delimiter::Semicolon,
            Sep::Whitespace => Delimiter::Whitespace,
            Sep::Pipe => Delimiter::Pipe,
        });
    }
    if data.no_header {
        options = options.with_header(false);
    }
    match data.x.as_slice() {
        [x] => options = options.with_role(column_ref(x), Role::X),
        [n, second, ..] => {
            let second_role = match Role::guess(second) {
                Some(Role::C) => Role::C,
                _ => Role::D,
            };
            options = options
                .with_role(column_ref(n), Role::N)
                .with_role(column_ref(second), second_role);
        }
        [] => {}
    }
    if let Some(y) = &data.y {
        let role = match Role::guess(y) {
            Some(Role::Perplexity) => Role::Perplexity,
            _ => Role::Loss,
        };
        options = options.with_role(column_ref(y), role);
    }
    if let Some(group) = &data.group {
        options = options.with_role(column_ref(group), Role::Group);
    }
    options
}

/// A header, or a 1-based column number.
pub fn column_ref(text: &str) -> ColumnRef {
    match text.trim().parse::<usize>() {
        Ok(k) if k >= 1 => ColumnRef::Index(k - 1),
        _ => ColumnRef::Name(text.trim().to_string()),
    }
}
