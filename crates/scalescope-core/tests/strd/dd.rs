//! Double-double arithmetic for one job: the residual sum of squares of Lanczos1, whose
//! certified value (1.43e-25) lies below the rounding error of residuals evaluated in
//! double precision (|y| ≈ 1, so each residual carries ~1e-16 of rounding against a true
//! residual of ~1e-13). The fitted parameters themselves do not need this.

#[derive(Clone, Copy, Debug)]
pub struct Dd(pub f64, pub f64);

fn two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    let bb = s - a;
    Dd(s, (a - (s - bb)) + (b - bb))
}

fn two_prod(a: f64, b: f64) -> Dd {
    let p = a * b;
    Dd(p, a.mul_add(b, -p))
}

impl Dd {
    pub fn add(self, o: Dd) -> Dd {
        let s = two_sum(self.0, o.0);
        let t = two_sum(self.1, o.1);
        let u = two_sum(s.0, s.1 + t.0);
        two_sum(u.0, u.1 + t.1)
    }
    pub fn mul(self, o: Dd) -> Dd {
        let p = two_prod(self.0, o.0);
        two_sum(p.0, p.1 + (self.0 * o.1 + self.1 * o.0))
    }
    pub fn neg(self) -> Dd {
        Dd(-self.0, -self.1)
    }
    fn scale2(self, k: i32) -> Dd {
        let s = 2f64.powi(k);
        Dd(self.0 * s, self.1 * s)
    }
    /// `e^self` to about 1e-30 relative: argument reduction by ln 2 and 2⁻¹⁰, Taylor
    /// series, then squaring back.
    pub fn exp(self) -> Dd {
        const LN2: Dd = Dd(std::f64::consts::LN_2, 2.3190468138462996e-17);
        let k = (self.0 / LN2.0).round();
        let r = self.add(LN2.mul(Dd(k, 0.0)).neg()).scale2(-10);
        let mut term = Dd(1.0, 0.0);
        let mut sum = Dd(1.0, 0.0);
        for i in 1..=20 {
            term = term.mul(r).mul(Dd(1.0 / i as f64, 0.0));
            // 1/i is inexact for i not a power of two; correct with one Newton step.
            let inv = Dd(1.0 / i as f64, 0.0);
            let err = Dd(1.0, 0.0).add(inv.mul(Dd(i as f64, 0.0)).neg());
            term = term.add(term.mul(err));
            sum = sum.add(term);
        }
        for _ in 0..10 {
            sum = sum.mul(sum);
        }
        sum.scale2(k as i32)
    }
}

/// A decimal literal such as `2.513400000000E+00` as the nearest double-double (exact when
/// the significand has at most 15 digits and the power of ten is at most 22).
pub fn parse(text: &str) -> Dd {
    let t = text.trim();
    let (mant, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i32>().expect("exponent")),
        None => (t, 0),
    };
    let neg = mant.starts_with('-');
    let mant = mant.trim_start_matches(['-', '+']);
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let digits = format!("{int}{frac}");
    let m: f64 = digits.parse::<u64>().expect("digits") as f64;
    let e10 = exp - frac.len() as i32;
    let v = if e10 >= 0 {
        Dd(m, 0.0).mul(Dd(10f64.powi(e10), 0.0))
    } else {
        let b = 10f64.powi(-e10);
        let q1 = m / b;
        let p = two_prod(q1, b);
        let r = (m - p.0) - p.1;
        two_sum(q1, r / b)
    };
    if neg {
        v.neg()
    } else {
        v
    }
}

/// Lanczos data (`Σ b_{2k}·e^{−b_{2k+1}·x}`) read in double-double from the decimal text of
/// the file, so that neither x nor y carries binary rounding.
pub struct Lanczos {
    x: Vec<Dd>,
    y: Vec<Dd>,
}

impl Lanczos {
    pub fn from_text(file: &str) -> Lanczos {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        let mut in_data = false;
        for line in file.lines() {
            if line.split_whitespace().take(2).eq(["Data:", "y"]) {
                in_data = true;
                continue;
            }
            let tok: Vec<&str> = line.split_whitespace().collect();
            if in_data && tok.len() == 2 {
                y.push(parse(tok[0]));
                x.push(parse(tok[1]));
            }
        }
        Lanczos { x, y }
    }

    /// Residuals `f(x_i) − y_i`, evaluated in double-double and rounded once.
    pub fn residuals(&self, b: &[f64], r: &mut [f64]) {
        for (i, ri) in r.iter_mut().enumerate() {
            let mut f = self.y[i].neg();
            for k in 0..3 {
                let e = Dd(-b[2 * k + 1], 0.0).mul(self.x[i]).exp();
                f = f.add(Dd(b[2 * k], 0.0).mul(e));
            }
            *ri = f.0 + f.1;
        }
    }
}
