//! Numbers for people: SI/ML suffixes for scales (70M, 1.4B, 6.0e23), sensible significant
//! digits, powers of ten for axis labels (10⁻², 10⁶), and fitted laws as formulas.

use crate::Form;

/// ML scale suffixes, largest first: the same rule the table reader accepts.
const SUFFIXES: [(f64, &str); 4] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")];

/// `x` with `digits` significant digits, trailing zeros dropped, in plain notation
/// for 1e-4 ≤ |x| < 1e6 and scientific (`6.0e23`) outside it.
pub fn sig(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "—".into()
        } else if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    if x == 0.0 {
        return "0".into();
    }
    let digits = digits.max(1);
    let exp = x.abs().log10().floor() as i32;
    if (-4..6).contains(&exp) {
        let decimals = (digits as i32 - 1 - exp).max(0) as usize;
        trim_zeros(format!("{x:.decimals$}"))
    } else {
        let s = format!("{x:.prec$e}", prec = digits - 1);
        // Rust prints 6e23 / 6.02e23; keep one decimal for readability (6.0e23).
        match s.split_once('e') {
            Some((mant, e)) => {
                let mant = trim_zeros(mant.to_string());
                let mant = if mant.contains('.') {
                    mant
                } else {
                    format!("{mant}.0")
                };
                format!("{mant}e{e}")
            }
            None => s,
        }
    }
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A scale (parameters, tokens) with an ML suffix: `70M`, `1.4B`, `15T`; beyond 1e15 or
/// below 1 it falls back to [`sig`]. `digits` significant digits.
pub fn scale(x: f64, digits: usize) -> String {
    if x.is_finite() && x.abs() >= 1e3 && x.abs() < 1e15 {
        for (unit, suffix) in SUFFIXES {
            if x.abs() >= unit * (1.0 - 0.5 * 10f64.powi(-(digits as i32))) {
                return format!("{}{suffix}", sig(x / unit, digits));
            }
        }
    }
    sig(x, digits)
}

/// FLOP counts: `6.0e23 FLOP`.
pub fn flops(x: f64) -> String {
    let s = if x.is_finite() && x.abs() >= 1e6 {
        format!("{x:.1e}")
    } else {
        sig(x, 3)
    };
    format!("{s} FLOP")
}

/// `10^k` with Unicode superscripts: `10⁶`, `10⁻³`.
pub fn pow10(k: i32) -> String {
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s = String::from("10");
    if k < 0 {
        s.push('⁻');
    }
    for c in k.unsigned_abs().to_string().chars() {
        if let Some(d) = c.to_digit(10) {
            s.push(SUP[d as usize]);
        }
    }
    s
}

/// Label for a major tick at `10^k` on a scale axis (parameters, tokens): `1M`, `10B`, …,
/// and `10ᵏ` outside 1e3..1e15.
pub fn scale_tick(k: i32) -> String {
    if (3..15).contains(&k) {
        scale(10f64.powi(k), 1)
    } else {
        pow10(k)
    }
}

/// A signed term: ` + 482` or ` − 0.12` (with a true minus sign).
pub(crate) fn signed(v: f64, digits: usize) -> String {
    if v < 0.0 {
        format!(" − {}", sig(-v, digits))
    } else {
        format!(" + {}", sig(v, digits))
    }
}

/// An exponent, with a true minus sign: `0.348`, `−0.076`.
pub(crate) fn exponent(v: f64) -> String {
    let s = sig(v, 3);
    match s.strip_prefix('-') {
        Some(rest) => format!("−{rest}"),
        None => s,
    }
}

/// The fitted law with its numbers, e.g. `L = 1.82 + 482/N^0.348 + 2085/D^0.366`.
/// `x` names the input (`N` for chinchilla's first input). Parameters are in
/// [`Form::param_names`] order; a missing one prints as `—`.
pub fn law(form: Form, params: &[f64], x: &str) -> String {
    let law = form.law();
    let p: Vec<f64> = (0..law.params().len())
        .map(|i| params.get(i).copied().unwrap_or(f64::NAN))
        .collect();
    law.render(&p, x, crate::laws::Style::Text)
}

/// A number for LaTeX: 5 significant digits, `1.23 \times 10^{9}` for large or small.
pub(crate) fn tex_num(v: f64) -> String {
    let s = sig(v, 5);
    match s.split_once('e') {
        Some((m, e)) => {
            let e = e.trim_start_matches('+');
            format!("{m} \\times 10^{{{e}}}")
        }
        None => s.replace('—', "\\mathrm{NaN}"),
    }
}

/// Dollars with an ML-style suffix and three significant digits: `$842`, `$1.4M`, `$2.3B`.
pub fn usd(x: f64) -> String {
    if x.is_finite() && x < 0.0 {
        return format!("−${}", scale(-x, 3));
    }
    format!("${}", scale(x, 3))
}

/// Whether `c` can hide, reorder or break the text around it where a name from a table is
/// shown: control characters (ESC, CR, LF, tab, C1 such as CSI), Unicode line and paragraph
/// separators, bidirectional controls and zero-width marks. The exports and the CLI's text
/// escape or drop exactly these.
pub fn hides_or_breaks(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}' | '\u{feff}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laws_read_like_papers() {
        let epoch = [1.816864, 482.0057, 2085.4342, 0.3478130, 0.3658541];
        assert_eq!(
            law(Form::Chinchilla, &epoch, "N"),
            "L = 1.817 + 482/N^0.348 + 2085/D^0.366"
        );
        assert_eq!(
            law(Form::Power, &[11.4, -0.076], "params"),
            "L = 11.4·params^−0.076"
        );
        assert_eq!(law(Form::Log, &[5.1, -0.12], "x"), "L = 5.1 − 0.12·ln x");
        assert_eq!(
            law(Form::Saturating, &[1.69, 406.4, 0.34], "N"),
            "L = 1.69 + 406.4/N^0.34"
        );
        assert_eq!(law(Form::Power, &[2.0], "x"), "L = 2·x^—");
    }

    #[test]
    fn significant_digits() {
        for (x, d, want) in [
            (1.81720001, 4, "1.817"),
            (0.34781, 3, "0.348"),
            (2085.4342, 4, "2085"),
            (482.0057, 5, "482.01"),
            (6.0e23, 2, "6.0e23"),
            (6.02e23, 3, "6.02e23"),
            (1.5e-7, 2, "1.5e-7"),
            (-0.076, 2, "-0.076"),
            (0.0, 3, "0"),
            (f64::NAN, 3, "—"),
        ] {
            assert_eq!(sig(x, d), want, "sig({x}, {d})");
        }
    }

    #[test]
    fn ml_suffixes() {
        for (x, d, want) in [
            (7.0e7, 2, "70M"),
            (1.4e9, 2, "1.4B"),
            (1.4e12, 2, "1.4T"),
            (9.601e10, 4, "96.01B"),
            (999_999.0, 2, "1M"),
            (512.0, 3, "512"),
            (3.0e16, 2, "3.0e16"),
        ] {
            assert_eq!(scale(x, d), want, "scale({x}, {d})");
        }
        assert_eq!(flops(5.88e23), "5.9e23 FLOP");
    }

    #[test]
    fn ticks() {
        assert_eq!(pow10(6), "10⁶");
        assert_eq!(pow10(-3), "10⁻³");
        assert_eq!(pow10(0), "10⁰");
        assert_eq!(scale_tick(6), "1M");
        assert_eq!(scale_tick(10), "10B");
        assert_eq!(scale_tick(12), "1T");
        assert_eq!(scale_tick(23), "10²³");
    }

    #[test]
    fn dollars() {
        assert_eq!(usd(842.0), "$842");
        assert_eq!(usd(1_404_336.6), "$1.4M");
        assert_eq!(usd(2.345e9), "$2.35B");
        assert_eq!(usd(0.0), "$0");
        assert_eq!(usd(-1500.0), "−$1.5K");
    }
}
