//! Decimal text → `f64`, correctly rounded: the same result as `f64::from_str` for every
//! input, without the standard library's 10 KB table of powers of five (its Eisel–Lemire
//! step), which gzip cannot shrink (the page's size budget, issue 2).
//!
//! Up to 15 digits with a power of ten up to 22 take Clinger's exact fast path (one IEEE
//! multiplication or division); everything else is exact big-integer arithmetic: the value's
//! top 64 bits and a sticky bit, rounded half to even once.

/// Significant digits kept; a non-zero digit after them only sets a sticky digit. No
/// rounding boundary of an `f64` has more than 767 significant digits, so this is exact.
const MAX_DIGITS: usize = 800;

/// Parses `s` as `f64::from_str` does: an optional sign, then `inf`, `infinity` or `nan`
/// (any case) or decimal digits with an optional `.` and exponent (`e`/`E`, optional sign).
/// `None` where `f64::from_str` returns an error.
///
/// ```
/// use scalescope_core::float::parse_f64;
/// assert_eq!(parse_f64("0.1"), Some(0.1));
/// assert_eq!(parse_f64("-1.5e-3"), Some(-0.0015));
/// assert_eq!(parse_f64("2.2250738585072011e-308"), "2.2250738585072011e-308".parse().ok());
/// assert_eq!(parse_f64("1e"), None);
/// ```
pub fn parse_f64(s: &str) -> Option<f64> {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let v = parse_unsigned(rest)?;
    Some(if negative { -v } else { v })
}

fn parse_unsigned(s: &str) -> Option<f64> {
    if s.eq_ignore_ascii_case("inf") || s.eq_ignore_ascii_case("infinity") {
        return Some(f64::INFINITY);
    }
    if s.eq_ignore_ascii_case("nan") {
        return Some(f64::NAN);
    }
    let b = s.as_bytes();
    let mut i = 0;
    let mut digits: Vec<u8> = Vec::new();
    let mut truncated = false;
    let mut seen = false;
    // The value is `digits` (as an integer) × 10^exp10.
    let mut exp10: i64 = 0;
    while let Some(d) = b.get(i).and_then(|c| digit(*c)) {
        seen = true;
        if digits.len() < MAX_DIGITS {
            if d != 0 || !digits.is_empty() {
                digits.push(d);
            }
        } else {
            truncated |= d != 0;
            exp10 += 1;
        }
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while let Some(d) = b.get(i).and_then(|c| digit(*c)) {
            seen = true;
            if digits.len() < MAX_DIGITS {
                if d != 0 || !digits.is_empty() {
                    digits.push(d);
                }
                exp10 -= 1;
            } else {
                truncated |= d != 0;
            }
            i += 1;
        }
    }
    if !seen {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let negative = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i64 = 0;
        while let Some(d) = b.get(i).and_then(|c| digit(*c)) {
            e = (e * 10 + i64::from(d)).min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 += if negative { -e } else { e };
    }
    if i != b.len() {
        return None;
    }
    if digits.is_empty() {
        return Some(0.0);
    }
    if truncated {
        digits.push(1);
        exp10 -= 1;
    }
    let top = exp10 + digits.len() as i64 - 1;
    if top > 309 {
        return Some(f64::INFINITY);
    }
    if top < -325 {
        return Some(0.0);
    }
    if digits.len() <= 15 && (-22..=22).contains(&exp10) {
        let m = digits.iter().fold(0u64, |acc, &d| acc * 10 + u64::from(d)) as f64;
        let p = POW10[exp10.unsigned_abs() as usize];
        return Some(if exp10 >= 0 { m * p } else { m / p });
    }
    if digits.len() <= 19 && (-27..=19).contains(&exp10) {
        return Some(exact_u128(&digits, exp10));
    }
    Some(exact(&digits, exp10))
}

fn digit(c: u8) -> Option<u8> {
    c.is_ascii_digit().then(|| c - b'0')
}

/// 10^0 ..= 10^22, each exact in an `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// [`exact`] in 128-bit integers, for up to 19 digits and 10^-27 ..= 10^19 (most data
/// written with 16–17 digits): the product fits, and so does the dividend for 5^k < 2^63.
fn exact_u128(digits: &[u8], exp10: i64) -> f64 {
    let w = digits
        .iter()
        .fold(0u128, |acc, &d| acc * 10 + u128::from(d));
    if exp10 >= 0 {
        return from_u128(w * 10u128.pow(exp10 as u32), false, 0);
    }
    let k = exp10.unsigned_abs() as u32;
    let p = 5u128.pow(k);
    let bits = |v: u128| i64::from(128 - v.leading_zeros());
    let s = bits(p) - bits(w) + 65;
    let num = w << s;
    from_u128(num / p, num % p != 0, -s - i64::from(k))
}

/// The double nearest `v` × 2^`e` (+ a little more when `sticky`); `v` is not zero.
fn from_u128(v: u128, sticky: bool, e: i64) -> f64 {
    let n = 128 - v.leading_zeros();
    if n > 64 {
        let low = v & ((1u128 << (n - 64)) - 1);
        round(
            (v >> (n - 64)) as u64,
            sticky || low != 0,
            e + i64::from(n - 64),
        )
    } else {
        round((v << (64 - n)) as u64, sticky, e - i64::from(64 - n))
    }
}

/// `digits` × 10^exp10 correctly rounded; `digits` is non-empty without leading zeros and
/// the value's decimal exponent is within [-325, 309].
fn exact(digits: &[u8], exp10: i64) -> f64 {
    let mut d = Big::default();
    for &x in digits {
        d.mul_add(10, u32::from(x));
    }
    if exp10 >= 0 {
        for _ in 0..exp10 {
            d.mul_add(10, 0);
        }
        let (m, sticky, e) = d.top64(0);
        return round(m, sticky, e);
    }
    // d / 10^k = d / 5^k × 2^-k: the quotient by 5^k with at least 65 bits.
    let k = exp10.unsigned_abs() as i64;
    let mut p = Big::default();
    p.mul_add(1, 1);
    for _ in 0..k {
        p.mul_add(5, 0);
    }
    let s = (p.bits() as i64 - d.bits() as i64 + 65).max(0);
    d.shl(s as usize);
    let (q, rest) = d.div_rem(&p);
    let (m, sticky, e) = q.top64(0);
    round(m, sticky || !rest, e - s - k)
}

/// The double nearest `m` × 2^`e` (+ a little more when `sticky`), `m` with its top bit set.
fn round(m: u64, sticky: bool, e: i64) -> f64 {
    let e2 = e + 63;
    if e2 > 1023 {
        return f64::INFINITY;
    }
    // Bits of `m` below the double's last place.
    let shift = if e2 >= -1022 { 11 } else { 11 + (-1022 - e2) };
    if shift > 64 {
        return 0.0;
    }
    let m = u128::from(m);
    let kept = m >> shift;
    let rem = m & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    let up = rem > half || (rem == half && (sticky || kept & 1 == 1));
    let kept = (kept + u128::from(up)) as u64;
    if e2 >= -1022 {
        // A carry to 2^53 moves into the exponent field (up to infinity's bits).
        f64::from_bits((((e2 + 1023) as u64) << 52) + (kept - (1 << 52)))
    } else {
        // Subnormal: a carry to 2^52 is the smallest normal's bits.
        f64::from_bits(kept)
    }
}

/// An unsigned big integer, 32-bit limbs, least significant first, no trailing zero limbs.
#[derive(Clone, Default)]
struct Big(Vec<u32>);

impl Big {
    /// self = self × `mul` + `add`.
    fn mul_add(&mut self, mul: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(mul) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    fn bits(&self) -> usize {
        match self.0.last() {
            Some(&top) => self.0.len() * 32 - top.leading_zeros() as usize,
            None => 0,
        }
    }

    fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).is_some_and(|l| (l >> (i % 32)) & 1 == 1)
    }

    fn shl(&mut self, n: usize) {
        let (limbs, bits) = (n / 32, n % 32);
        if bits != 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = v;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        if limbs != 0 && !self.0.is_empty() {
            self.0.splice(0..0, std::iter::repeat_n(0, limbs));
        }
    }

    /// The top 64 bits (top bit set), whether any lower bit is set, and the power of two of
    /// the lowest kept bit plus `e`. `self` must not be zero.
    fn top64(&self, e: i64) -> (u64, bool, i64) {
        let n = self.bits();
        let mut m = 0u64;
        for i in 0..64 {
            m = (m << 1) | u64::from(n > i && self.bit(n - 1 - i));
        }
        let sticky = n > 64 && (0..n - 64).any(|i| self.bit(i));
        (m, sticky, e + n as i64 - 64)
    }

    fn cmp_shifted(&self, other: &Big, shift: usize) -> std::cmp::Ordering {
        let (a, b) = (self.bits(), other.bits() + shift);
        if a != b {
            return a.cmp(&b);
        }
        for i in (0..a).rev() {
            let y = i >= shift && other.bit(i - shift);
            match (self.bit(i), y) {
                (true, false) => return std::cmp::Ordering::Greater,
                (false, true) => return std::cmp::Ordering::Less,
                _ => {}
            }
        }
        std::cmp::Ordering::Equal
    }

    /// self -= other << shift (self ≥ other << shift).
    fn sub_shifted(&mut self, other: &Big, shift: usize) {
        let mut o = other.clone();
        o.shl(shift);
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(o.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(v < 0);
            *limb = v.rem_euclid(1 << 32) as u32;
        }
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// (self / p, whether the remainder is zero), by binary long division.
    fn div_rem(mut self, p: &Big) -> (Big, bool) {
        let mut q = Big::default();
        let top = self.bits().saturating_sub(p.bits());
        for shift in (0..=top).rev() {
            let ge = self.cmp_shifted(p, shift) != std::cmp::Ordering::Less;
            if ge {
                self.sub_shifted(p, shift);
            }
            q.shl(1);
            if ge {
                q.mul_add(1, 1);
            }
        }
        (q, self.0.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    fn same(s: &str) {
        let std = s.parse::<f64>().ok();
        let ours = parse_f64(s);
        assert_eq!(
            ours.map(f64::to_bits),
            std.map(f64::to_bits),
            "{s:?}: ours {ours:?}, std {std:?}"
        );
    }

    /// Guards the promise that replaced `str::parse::<f64>`: bit-identical results.
    #[test]
    fn agrees_with_std_on_edge_cases() {
        for s in [
            "",
            "+",
            "-",
            ".",
            "e5",
            ".e5",
            "1e",
            "1e+",
            "1e-",
            "1.",
            ".5",
            "-.5",
            "+0",
            "-0",
            "0.0e0",
            "00012.500",
            "1_0",
            " 1",
            "1 ",
            "1e5 ",
            "--1",
            "+-1",
            "1.2.3",
            "1e2e3",
            "inf",
            "-Infinity",
            "INF",
            "infinit",
            "NaN",
            "nan",
            "-nan",
            "+inf",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e309",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "2.2250738585072012e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.4703282292062327e-324",
            "1e-324",
            "1e-400",
            "9007199254740993",
            "9007199254740992.5",
            "9007199254740993.0000000001",
            "0.1",
            "0.30000000000000004",
            "123456789012345678901234567890",
            "1e22",
            "1e23",
            "8.8e13",
            "1.4e12",
            "6e23",
            "3.1415926535897931",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "0e99999999999",
            "7.2057594037927933e16",
            "179769313486231580793728971405301e276",
        ] {
            same(s);
        }
        let long_half = format!("9007199254740993{}", "0".repeat(900));
        same(&long_half);
        same(&format!("{long_half}1"));
        same(&format!("0.{}1", "0".repeat(330)));
        same("2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324");
    }

    /// Seeded 64-bit draws, from the generator the examples use.
    fn draws(seed: u64) -> impl FnMut() -> u64 {
        use rand::{RngCore, SeedableRng};
        let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
        move || rng.next_u64()
    }

    #[test]
    fn agrees_with_std_on_random_texts() {
        let mut next = draws(0x2545_f491_4f6c_dd1d);
        for _ in 0..200_000 {
            // Random doubles printed shortest, exact-ish and long; random digit strings.
            let bits = next();
            let v = f64::from_bits(bits);
            same(&format!("{v}"));
            same(&format!("{v:e}"));
            same(&format!("{v:.20e}"));
            let r = next();
            let n = (r % 40) as usize + 1;
            let mut s: String = (0..n)
                .map(|i| char::from(b'0' + ((next() >> (i % 8)) % 10) as u8))
                .collect();
            if r & 64 != 0 {
                let at = (next() as usize) % (n + 1);
                s.insert(at, '.');
            }
            if r & 128 != 0 {
                let e = (next() % 700) as i64 - 350;
                s.push_str(&format!("e{e}"));
            }
            same(&s);
        }
    }

    /// Exact halfway points between neighbouring doubles (ties to even), and just off them.
    #[test]
    fn agrees_with_std_on_ties() {
        let mut next = draws(0x9e37_79b9_7f4a_7c15);
        for _ in 0..50_000 {
            let m = (1u128 << 52) | u128::from(next() >> 12);
            let e = (next() % 91) as i32 - 20;
            // (2m + 1) · 2^(e - 1): the midpoint above m · 2^e.
            let text = if e >= 1 {
                ((2 * m + 1) << (e - 1)).to_string()
            } else {
                let places = (1 - e) as usize;
                let digits = ((2 * m + 1) * 5u128.pow(places as u32)).to_string();
                let (int, frac) = digits.split_at(digits.len() - places);
                format!("{int}.{frac}")
            };
            same(&text);
            same(&format!("{text}000000000000000000000001"));
            same(&format!("{text}e-3"));
            same(&format!("{text}e2"));
        }
        for _ in 0..2_000 {
            let v = f64::from_bits(next() >> 1);
            same(&format!("{v:.1100e}"));
        }
        // The 128-bit path: up to 19 digits, 10^-27 ..= 10^19, and just outside it.
        for _ in 0..100_000 {
            let w = next() % 10_000_000_000_000_000_000;
            let e = (next() % 51) as i64 - 29;
            same(&format!("{w}e{e}"));
        }
    }
}
