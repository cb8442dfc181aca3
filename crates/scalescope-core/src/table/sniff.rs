//! Guessing the delimiter and whether the first row is a header.

use super::number::{parse_number, Separators};
use super::Delimiter;

/// How many content lines the delimiter guess looks at.
const SNIFF_LINES: usize = 50;
/// How many records after the first the header guess looks at.
pub(crate) const HEADER_LOOKAHEAD: usize = 20;

/// Guess the delimiter from the first content lines (not blank, not `#` comments).
///
/// A candidate is *consistent* when it occurs, outside quotes, the same positive number of
/// times on at least 80 % of the lines. The first consistent one of `|`, tab, `;`, `,` wins
/// (in that order, so that decimal commas do not pass for delimiters). Without one, the most
/// frequent of these is taken if it occurs at all; otherwise runs of spaces delimit.
pub(crate) fn sniff_delimiter(text: &str) -> Delimiter {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| {
            let t = l.trim();
            !t.is_empty() && !l.starts_with('#')
        })
        .take(SNIFF_LINES)
        .collect();
    let candidates = [
        (Delimiter::Pipe, b'|'),
        (Delimiter::Tab, b'\t'),
        (Delimiter::Semicolon, b';'),
        (Delimiter::Comma, b','),
    ];
    let mut best = (0usize, Delimiter::Whitespace);
    for (delimiter, byte) in candidates {
        let counts: Vec<usize> = lines.iter().map(|l| count_unquoted(l, byte)).collect();
        let (mode, freq) = mode(&counts);
        if mode > 0 && freq * 5 >= lines.len() * 4 {
            return delimiter;
        }
        let total: usize = counts.iter().sum();
        if total > best.0 {
            best = (total, delimiter);
        }
    }
    best.1
}

/// Occurrences of `byte` outside double-quoted sections of one line.
fn count_unquoted(line: &str, byte: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == byte && !quoted {
            count += 1;
        }
    }
    count
}

/// The most frequent value and how often it occurs (ties: the larger value).
fn mode(counts: &[usize]) -> (usize, usize) {
    let mut sorted = counts.to_vec();
    crate::sort::sort_by(&mut sorted, usize::cmp);
    let mut best = (0, 0);
    let mut i = 0;
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|&&c| c == sorted[i]).count();
        if j >= best.1 {
            best = (sorted[i], j);
        }
        i += j;
    }
    best
}

/// How `,` and `.` are read for a table with `delimiter`, judged from its first records.
///
/// With `,` or whitespace the decimal separator is `.`. With `;`, tab or `|` it is `,` (as in
/// spreadsheets of decimal-comma locales) unless the first records show decimal points
/// (`2.53`, `1,234.5`) and no decimal commas (`2,53`, `1.234,5`): a paste from an English
/// spreadsheet, where `150,000` means 150000.
pub(crate) fn detect_separators(records: &[Vec<String>], delimiter: Delimiter) -> Separators {
    if matches!(delimiter, Delimiter::Comma | Delimiter::Whitespace) {
        return Separators::DecimalPoint;
    }
    let (mut point, mut comma) = (false, false);
    for field in records.iter().flatten() {
        let digits_after = |sep: char| {
            field
                .rsplit_once(sep)
                .map(|(a, b)| (a, b.bytes().take_while(u8::is_ascii_digit).count()))
        };
        let lead_digit = |a: &str| a.bytes().last().is_some_and(|b| b.is_ascii_digit());
        match (field.matches(',').count(), field.matches('.').count()) {
            (0, 1) => point |= digits_after('.').is_some_and(|(a, n)| lead_digit(a) && n != 3),
            (1, 0) => comma |= digits_after(',').is_some_and(|(a, n)| lead_digit(a) && n != 3),
            (c, d) if c > 0 && d > 0 => {
                let (last_comma, last_dot) = (field.rfind(','), field.rfind('.'));
                if last_dot > last_comma {
                    point = true;
                } else {
                    comma = true;
                }
            }
            _ => {}
        }
    }
    if point && !comma {
        Separators::DecimalPoint
    } else {
        Separators::DecimalComma
    }
}

/// Guess whether `records[0]` is a header.
///
/// It is when it has a non-empty cell that is not a number and either it is the only row,
/// or below that cell (in the next rows) there is a number, or no cell of it is a number.
pub(crate) fn detect_header(records: &[Vec<String>], seps: Separators) -> bool {
    let Some(first) = records.first() else {
        return false;
    };
    let is_text = |s: &str| !s.is_empty() && parse_number(s, seps).is_none();
    let text_columns: Vec<usize> = (0..first.len()).filter(|&j| is_text(&first[j])).collect();
    if text_columns.is_empty() {
        return false;
    }
    if records.len() == 1 || text_columns.len() == first.iter().filter(|s| !s.is_empty()).count() {
        return true;
    }
    let below = &records[1..records.len().min(HEADER_LOOKAHEAD + 1)];
    text_columns.iter().any(|&j| {
        below
            .iter()
            .any(|r| r.get(j).is_some_and(|s| parse_number(s, seps).is_some()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        let cases = [
            ("N,loss\n1,2\n3,4\n", Delimiter::Comma),
            ("N\tloss\n1\t2,5\n", Delimiter::Tab),
            ("N;loss\n1;2,5\n3;4,25\n", Delimiter::Semicolon),
            ("N    loss\n1e9  2.5\n", Delimiter::Whitespace),
            ("\"a,b\";c\n1;2\n", Delimiter::Semicolon),
            ("# comment, with; things\nN,loss\n1,2\n", Delimiter::Comma),
            ("N,D,loss\n1,2,3\n1,2\n", Delimiter::Comma),
            ("", Delimiter::Whitespace),
            ("| N | loss |\n|---|---|\n| 1 | 2,5 |\n", Delimiter::Pipe),
        ];
        for (text, expected) in cases {
            assert_eq!(sniff_delimiter(text), expected, "{text:?}");
        }
    }

    #[test]
    fn decimal_separators() {
        let rows = |v: &[&str]| vec![v.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        let (p, c) = (Separators::DecimalPoint, Separators::DecimalComma);
        let tab = Delimiter::Tab;
        assert_eq!(detect_separators(&rows(&["150,000", "2.53"]), tab), p);
        assert_eq!(detect_separators(&rows(&["1,234.5"]), tab), p);
        assert_eq!(detect_separators(&rows(&["150000", "2,53"]), tab), c);
        assert_eq!(detect_separators(&rows(&["1.5", "2,53"]), tab), c);
        assert_eq!(detect_separators(&rows(&["1.234,5"]), tab), c);
        assert_eq!(
            detect_separators(&rows(&["1,000"]), Delimiter::Semicolon),
            c
        );
        assert_eq!(detect_separators(&rows(&["2,5"]), Delimiter::Comma), p);
    }

    #[test]
    fn headers() {
        let rows = |v: &[&[&str]]| -> Vec<Vec<String>> {
            v.iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect()
        };
        let p = Separators::DecimalPoint;
        assert!(detect_header(&rows(&[&["N", "loss"], &["1", "2"]]), p));
        assert!(!detect_header(&rows(&[&["1", "2"], &["3", "4"]]), p));
        assert!(!detect_header(
            &rows(&[&["gpt", "1", "2"], &["gpt", "3", "4"]]),
            p
        ));
        assert!(detect_header(
            &rows(&[&["model", "N", "loss"], &["gpt", "1", "2"]]),
            p
        ));
        assert!(detect_header(&rows(&[&["N", "loss"]]), p));
    }
}
