//! Splitting text into records with their line numbers: the `csv` crate for single-byte
//! delimiters, a small splitter for runs of spaces.

use csv::StringRecord;

use super::Delimiter;

/// A stream of trimmed records; `#` comment lines are dropped, blank lines come through as
/// records whose fields are all empty.
pub(crate) enum Records<'a> {
    /// Comma, tab or semicolon.
    Csv {
        reader: csv::Reader<&'a [u8]>,
        /// Markdown: drop outer pipes and `|---|` rules.
        markdown: bool,
        text: &'a [u8],
        /// A byte offset and the 1-based line it is on, to count lines incrementally.
        mark: (usize, usize),
    },
    /// Runs of whitespace.
    Whitespace(std::iter::Enumerate<std::str::Lines<'a>>),
}

impl<'a> Records<'a> {
    /// Records of `text` (without BOM) split at `delimiter`.
    pub(crate) fn new(text: &'a str, delimiter: Delimiter) -> Self {
        let byte = match delimiter {
            Delimiter::Comma => b',',
            Delimiter::Tab => b'\t',
            Delimiter::Semicolon => b';',
            Delimiter::Pipe => b'|',
            Delimiter::Whitespace => return Records::Whitespace(text.lines().enumerate()),
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(byte)
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        Records::Csv {
            reader,
            markdown: delimiter == Delimiter::Pipe,
            text: text.as_bytes(),
            mark: (0, 1),
        }
    }

    /// Read the next record into `out` and return its 1-based line, or `None` at the end.
    pub(crate) fn next_into(&mut self, out: &mut StringRecord) -> Option<usize> {
        match self {
            Records::Csv {
                reader,
                markdown,
                text,
                mark,
            } => match reader.read_record(out) {
                // The input is a `&str` and the delimiters are ASCII, so every field is
                // valid UTF-8 and reading from a slice cannot fail: `Err` only ends the input.
                Ok(true) => {
                    // A record's position is where the previous one ended, before any
                    // comment or blank lines: skip those, then count newlines.
                    let byte = out.position().map_or(0, |p| p.byte() as usize);
                    let byte = record_start(text, byte.clamp(mark.0, text.len()));
                    let newlines = text[mark.0..byte].iter().filter(|&&b| b == b'\n').count();
                    *mark = (byte, mark.1 + newlines);
                    unquote_spaced(out);
                    if *markdown {
                        strip_markdown(out);
                    }
                    Some(mark.1)
                }
                Ok(false) | Err(_) => None,
            },
            Records::Whitespace(lines) => {
                for (index, line) in lines.by_ref() {
                    if line.starts_with('#') {
                        continue;
                    }
                    split_whitespace_quoted(line, out);
                    return Some(index + 1);
                }
                None
            }
        }
    }
}

/// Skip the rest of a line terminator, empty lines and `#` comment lines from `pos`.
fn record_start(text: &[u8], mut pos: usize) -> usize {
    while let Some(&b) = text.get(pos) {
        match b {
            b'\r' | b'\n' => pos += 1,
            b'#' => {
                pos += text[pos..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(text.len() - pos, |p| p + 1);
            }
            _ => break,
        }
    }
    pos
}

/// `| a | b |` has empty fields before the first and after the last pipe: drop them; a rule
/// `|---|:--:|` becomes a blank record.
fn strip_markdown(out: &mut StringRecord) {
    let rule_cell = |f: &str| {
        f.bytes().all(|b| matches!(b, b'-' | b':')) && f.bytes().filter(|&b| b == b'-').count() >= 2
    };
    let rule = out.iter().any(rule_cell) && out.iter().all(|f| f.is_empty() || rule_cell(f));
    let n = out.len();
    let start = usize::from(n > 1 && out.get(0) == Some(""));
    let end = if n > start + 1 && out.get(n - 1) == Some("") {
        n - 1
    } else {
        n
    };
    if !rule && start == 0 && end == n {
        return;
    }
    // Rebuilt as a record (one buffer), not a `Vec<String>`: a record of 10⁶ fields stays
    // a few MB.
    let mut fields = StringRecord::with_capacity(out.as_slice().len(), n);
    if !rule {
        for f in out.iter().take(end).skip(start) {
            fields.push_field(f);
        }
    }
    *out = fields;
}

/// `a, "b"`: a quote after a space is not a quote to `csv`; remove it after trimming.
fn unquote_spaced(out: &mut StringRecord) {
    let quoted = |f: &str| f.len() >= 2 && f.starts_with('"') && f.ends_with('"');
    if !out.iter().any(quoted) {
        return;
    }
    let mut fields = StringRecord::with_capacity(out.as_slice().len(), out.len());
    for f in out.iter() {
        if quoted(f) {
            fields.push_field(f[1..f.len() - 1].replace("\"\"", "\"").trim());
        } else {
            fields.push_field(f);
        }
    }
    *out = fields;
}

/// Split one line at runs of whitespace; double quotes group a field (`""` is a quote).
fn split_whitespace_quoted(line: &str, out: &mut StringRecord) {
    out.clear();
    let mut field = String::new();
    let mut in_field = false;
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' {
            quoted = true;
            in_field = true;
        } else if c.is_whitespace() {
            if in_field {
                out.push_field(field.trim());
                field.clear();
                in_field = false;
            }
        } else {
            field.push(c);
            in_field = true;
        }
    }
    if in_field {
        out.push_field(field.trim());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str, delimiter: Delimiter) -> Vec<(usize, Vec<String>)> {
        let mut records = Records::new(text, delimiter);
        let mut record = StringRecord::new();
        let mut out = Vec::new();
        while let Some(line) = records.next_into(&mut record) {
            out.push((line, record.iter().map(str::to_string).collect()));
        }
        out
    }

    #[test]
    fn lines_count_comments_and_crlf() {
        let got = all("# c\r\nN,loss\r\n\r\n1, \"2\"\r\n", Delimiter::Comma);
        assert_eq!(
            got,
            vec![
                (2, vec!["N".to_string(), "loss".to_string()]),
                (4, vec!["1".to_string(), "2".to_string()]),
            ]
        );
    }

    #[test]
    fn whitespace_runs_and_quotes() {
        let got = all("  model   N\n\"gpt 2\"\t 1e9\n# x\n", Delimiter::Whitespace);
        assert_eq!(
            got,
            vec![
                (1, vec!["model".to_string(), "N".to_string()]),
                (2, vec!["gpt 2".to_string(), "1e9".to_string()]),
            ]
        );
    }
}
