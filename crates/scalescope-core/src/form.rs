//! The built-in scaling-law forms: names, parameters, evaluation and derivatives.

use std::fmt;
use std::str::FromStr;

/// A built-in scaling-law form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    /// `y = a·x^b`.
    Power,
    /// `y = a + b·ln x`.
    Log,
    /// `y = E + A·x^(−alpha)`.
    Saturating,
    /// `y = a·e^(b·x)`.
    Exponential,
    /// `y = E + A·N^(−alpha) + B·D^(−beta)` with two inputs N and D.
    Chinchilla,
}

/// The error of parsing a [`Form`] from text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown form '{0}': expected one of power, log, saturating, exponential, chinchilla")]
pub struct ParseFormError(pub String);

impl Form {
    /// Every form, in menu order.
    pub const ALL: [Form; 5] = [
        Form::Power,
        Form::Log,
        Form::Saturating,
        Form::Exponential,
        Form::Chinchilla,
    ];

    /// The stable lower-case name used by the CLI and share links.
    pub fn name(self) -> &'static str {
        match self {
            Form::Power => "power",
            Form::Log => "log",
            Form::Saturating => "saturating",
            Form::Exponential => "exponential",
            Form::Chinchilla => "chinchilla",
        }
    }

    /// Parameter names, in the order of [`Fit::params`](crate::Fit::params).
    pub fn param_names(self) -> &'static [&'static str] {
        match self {
            Form::Power | Form::Log | Form::Exponential => &["a", "b"],
            Form::Saturating => &["E", "A", "alpha"],
            Form::Chinchilla => &["E", "A", "B", "alpha", "beta"],
        }
    }

    /// Number of parameters.
    pub fn n_params(self) -> usize {
        self.param_names().len()
    }

    /// Number of inputs: 1, or 2 for chinchilla (N, D).
    pub fn inputs(self) -> usize {
        match self {
            Form::Chinchilla => 2,
            _ => 1,
        }
    }

    /// The model as a human-readable formula.
    pub fn formula(self) -> &'static str {
        match self {
            Form::Power => "y = a·x^b",
            Form::Log => "y = a + b·ln x",
            Form::Saturating => "y = E + A·x^(−alpha)",
            Form::Exponential => "y = a·e^(b·x)",
            Form::Chinchilla => "y = E + A·N^(−alpha) + B·D^(−beta)",
        }
    }

    /// Evaluate the model at `x` (and `d` for chinchilla; ignored otherwise).
    ///
    /// Returns NaN when `p` has the wrong length or chinchilla has no `d`.
    pub fn eval(self, p: &[f64], x: f64, d: Option<f64>) -> f64 {
        if p.len() != self.n_params() {
            return f64::NAN;
        }
        match self {
            Form::Power => p[0] * x.powf(p[1]),
            Form::Log => p[0] + p[1] * x.ln(),
            Form::Saturating => p[0] + p[1] * x.powf(-p[2]),
            Form::Exponential => p[0] * (p[1] * x).exp(),
            Form::Chinchilla => match d {
                Some(d) => p[0] + p[1] * x.powf(-p[3]) + p[2] * d.powf(-p[4]),
                None => f64::NAN,
            },
        }
    }

    /// Gradient of the model value with respect to the parameters, written into `g`
    /// (length [`Form::n_params`]).
    pub fn gradient(self, p: &[f64], x: f64, d: Option<f64>, g: &mut [f64]) {
        if p.len() != self.n_params() || g.len() != p.len() {
            g.iter_mut().for_each(|v| *v = f64::NAN);
            return;
        }
        match self {
            Form::Power => {
                let xb = x.powf(p[1]);
                g[0] = xb;
                g[1] = p[0] * xb * x.ln();
            }
            Form::Log => {
                g[0] = 1.0;
                g[1] = x.ln();
            }
            Form::Saturating => {
                let xa = x.powf(-p[2]);
                g[0] = 1.0;
                g[1] = xa;
                g[2] = -p[1] * xa * x.ln();
            }
            Form::Exponential => {
                let e = (p[1] * x).exp();
                g[0] = e;
                g[1] = p[0] * x * e;
            }
            Form::Chinchilla => {
                let d = d.unwrap_or(f64::NAN);
                let na = x.powf(-p[3]);
                let db = d.powf(-p[4]);
                g[0] = 1.0;
                g[1] = na;
                g[2] = db;
                g[3] = -p[1] * na * x.ln();
                g[4] = -p[2] * db * d.ln();
            }
        }
    }
}

impl Form {
    /// Second derivatives of the model value with respect to the parameters, written
    /// row-major into `h` (`k × k`, k = [`Form::n_params`]).
    pub fn hessian(self, p: &[f64], x: f64, d: Option<f64>, h: &mut [f64]) {
        let k = self.n_params();
        if p.len() != k || h.len() != k * k {
            h.iter_mut().for_each(|v| *v = f64::NAN);
            return;
        }
        h.iter_mut().for_each(|v| *v = 0.0);
        let mut set = |i: usize, j: usize, v: f64| {
            h[i * k + j] = v;
            h[j * k + i] = v;
        };
        match self {
            Form::Power => {
                let (xb, l) = (x.powf(p[1]), x.ln());
                set(0, 1, xb * l);
                set(1, 1, p[0] * xb * l * l);
            }
            Form::Log => {}
            Form::Saturating => {
                let (xa, l) = (x.powf(-p[2]), x.ln());
                set(1, 2, -xa * l);
                set(2, 2, p[1] * xa * l * l);
            }
            Form::Exponential => {
                let e = (p[1] * x).exp();
                set(0, 1, x * e);
                set(1, 1, p[0] * x * x * e);
            }
            Form::Chinchilla => {
                let d = d.unwrap_or(f64::NAN);
                let (na, ln) = (x.powf(-p[3]), x.ln());
                let (db, ld) = (d.powf(-p[4]), d.ln());
                set(1, 3, -na * ln);
                set(3, 3, p[1] * na * ln * ln);
                set(2, 4, -db * ld);
                set(4, 4, p[2] * db * ld * ld);
            }
        }
    }
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Form {
    type Err = ParseFormError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Form::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| ParseFormError(t.to_string()))
    }
}
