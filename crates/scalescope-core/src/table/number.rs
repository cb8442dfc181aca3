//! Numbers as researchers write them: plain, scientific, `×10^k`, ML suffixes, grouped digits
//! and decimal commas.
//!
#![doc = include_str!("number_rule.md")]

use crate::float::parse_f64;

/// How `,` is read, which depends on the table's delimiter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Separators {
    /// Delimiter `,` or whitespace: `.` is decimal, `,` groups thousands.
    DecimalPoint,
    /// Delimiter `;` or tab: `,` may be the decimal separator.
    DecimalComma,
}

/// Parse one trimmed field as a finite number, or `None` when it is not one.
pub(crate) fn parse_number(field: &str, seps: Separators) -> Option<f64> {
    // Fast path: plain ASCII decimal or scientific notation.
    if !field.is_empty()
        && field
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        if let Some(v) = parse_f64(field) {
            // `parse_f64` itself wants a digit before any exponent ("e5", ".e5" are not numbers).
            return finite(v);
        }
    }
    parse_slow(field, seps)
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn parse_slow(field: &str, seps: Separators) -> Option<f64> {
    let (negative, rest) = split_sign(field);
    let (mantissa, exponent) = split_scale(rest)?;
    let mut normalised = normalise_mantissa(mantissa, seps)?;
    // One correctly rounded conversion: `1.4T` is exactly the double nearest 1.4e12.
    if exponent != 0 {
        normalised = format!("{normalised}e{exponent}");
    }
    let value = parse_f64(&normalised)?;
    finite(if negative { -value } else { value })
}

fn split_sign(s: &str) -> (bool, &str) {
    if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
        (true, rest)
    } else {
        (false, s.strip_prefix('+').unwrap_or(s))
    }
}

/// Split off an exponent, a `×10^k` factor or an ML suffix; return the mantissa and the
/// power of ten.
fn split_scale(s: &str) -> Option<(&str, i32)> {
    for marker in ["×10^", "x10^", "X10^", "*10^", "·10^"] {
        if let Some((mantissa, exp)) = s.split_once(marker) {
            let exp: i32 = exp
                .trim()
                .strip_prefix('+')
                .unwrap_or(exp.trim())
                .parse()
                .ok()?;
            return Some((mantissa.trim_end(), exp));
        }
    }
    if let Some(last) = s.chars().last() {
        let scale = match last.to_ascii_lowercase() {
            'k' => Some(3),
            'm' => Some(6),
            'b' | 'g' => Some(9),
            't' => Some(12),
            _ => None,
        };
        if let Some(scale) = scale {
            let mantissa = &s[..s.len() - 1];
            let mantissa = mantissa.strip_suffix(' ').unwrap_or(mantissa);
            return Some((mantissa, scale));
        }
    }
    if let Some(pos) = s.find(['e', 'E']) {
        let exp = &s[pos + 1..];
        let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let exp: i32 = exp.parse().ok()?;
        return Some((&s[..pos], exp));
    }
    Some((s, 0))
}

/// Turn a mantissa with grouping and decimal separators into `digits[.digits]`.
fn normalise_mantissa(m: &str, seps: Separators) -> Option<String> {
    let comma_decimal = seps == Separators::DecimalComma;
    let grouping_space = |c: char| comma_decimal && matches!(c, ' ' | '\u{a0}' | '\u{202f}');
    if !m
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || grouping_space(c))
    {
        return None;
    }
    let commas = m.matches(',').count();
    let dots = m.matches('.').count();
    let last_comma = m.rfind(',');
    let last_dot = m.rfind('.');
    // Decide which character is the decimal separator and which groups digits.
    let (group, decimal): (&[char], Option<char>) = match (commas, dots) {
        (0, 0 | 1) => (&[' ', '\u{a0}', '\u{202f}'], Some('.')),
        (1, 0) if comma_decimal => (&[' ', '\u{a0}', '\u{202f}'], Some(',')),
        (_, 0) => (&[',', ' ', '\u{a0}', '\u{202f}'], None),
        (0, _) if comma_decimal => (&['.', ' ', '\u{a0}', '\u{202f}'], None),
        (1, _) if comma_decimal && last_dot < last_comma => (&['.'], Some(',')),
        (_, 1) if last_comma < last_dot => (&[','], Some('.')),
        _ => return None,
    };
    let (int_part, frac_part) = match decimal.and_then(|d| m.rsplit_once(d)) {
        Some((i, f)) => (i, Some(f)),
        None => (m, None),
    };
    let int_digits = ungroup(int_part, group)?;
    let mut out = int_digits;
    if let Some(f) = frac_part {
        if !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push('.');
        out.push_str(f);
    }
    (out.bytes().any(|b| b.is_ascii_digit())).then_some(out)
}

/// Remove group separators, checking that every group after the first has three digits.
fn ungroup(int_part: &str, group: &[char]) -> Option<String> {
    let mut groups = int_part.split(|c| group.contains(&c));
    let first = groups.next().unwrap_or("");
    if !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = first.to_string();
    let mut grouped = false;
    for g in groups {
        grouped = true;
        if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(g);
    }
    if grouped && (first.is_empty() || first.len() > 3) {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Separators::{DecimalComma as C, DecimalPoint as P};

    #[test]
    fn the_documented_rule() {
        let cases: &[(&str, Separators, Option<f64>)] = &[
            ("3", P, Some(3.0)),
            ("-2.5", P, Some(-2.5)),
            ("−2.5", P, Some(-2.5)),
            ("+.5", P, Some(0.5)),
            ("6e23", P, Some(6e23)),
            ("6E+23", P, Some(6e23)),
            ("1.4×10^12", P, Some(1.4e12)),
            ("1.4 x10^12", P, Some(1.4e12)),
            ("70M", P, Some(7e7)),
            ("70m", P, Some(7e7)),
            ("1.4B", P, Some(1.4e9)),
            ("7b", P, Some(7e9)),
            ("1.4T", P, Some(1.4e12)),
            ("2.5 k", P, Some(2500.0)),
            ("1G", P, Some(1e9)),
            ("1,000,000", P, Some(1e6)),
            ("1,234.5", P, Some(1234.5)),
            ("2,31", P, None),
            ("2,31", C, Some(2.31)),
            ("1,000", C, Some(1.0)),
            ("1,000,000", C, Some(1e6)),
            ("1.234,5", C, Some(1234.5)),
            ("1.234.567", C, Some(1234567.0)),
            ("1 000 000", C, Some(1e6)),
            ("1\u{a0}000,5", C, Some(1000.5)),
            ("1,5e9", C, Some(1.5e9)),
            ("1,5B", C, Some(1.5e9)),
            ("n/a", P, None),
            ("", P, None),
            ("-", P, None),
            (".", P, None),
            ("e5", P, None),
            ("1e", P, None),
            ("nan", P, None),
            ("inf", P, None),
            ("1e400", P, None),
            ("1,00", P, None),
            ("12,34,567", P, None),
            ("1.2.3", P, None),
            ("M", P, None),
            ("1MB", P, None),
            ("0x10", P, None),
        ];
        for (text, seps, expected) in cases {
            assert_eq!(
                parse_number(text, *seps),
                *expected,
                "{text:?} with {seps:?}"
            );
        }
    }
}
