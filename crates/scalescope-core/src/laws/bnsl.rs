//! A broken neural scaling law with one break (Caballero et al. 2022, "Broken Neural
//! Scaling Laws", arXiv:2210.14891, eq. 1 with n = 1):
//! `y = a + b·x^(−c0)·(1 + (x/d1)^(1/f1))^(−c1·f1)`. Below the break `d1` the slope in
//! log-log is `c0`, above it `c0 + c1`; `f1` sets how sharp the break is.

use super::shared::{log_grid, Projection};
use super::{At, Input, Law, Param, Style};
use crate::fit::FormModel;
use crate::format::{sig, tex_num};
use crate::Objective;

/// The broken power law.
pub(crate) struct Bnsl;

const PARAMS: &[Param] = &[
    Param {
        name: "a",
        positive: false,
    },
    Param {
        name: "b",
        positive: true,
    },
    Param {
        name: "c0",
        positive: false,
    },
    Param {
        name: "c1",
        positive: false,
    },
    Param {
        name: "d1",
        positive: true,
    },
    Param {
        name: "f1",
        positive: true,
    },
];

/// `ln(1 + e^q)` without overflow.
fn softplus(q: f64) -> f64 {
    q.max(0.0) + (-q.abs()).exp().ln_1p()
}

/// `1/(1 + e^−q)`.
fn logistic(q: f64) -> f64 {
    1.0 / (1.0 + (-q).exp())
}

/// The power term `T = x^(−c0)·(1 + (x/d1)^(1/f1))^(−c1·f1)` from `u = ln x`.
fn term(c0: f64, c1: f64, d1: f64, f1: f64, u: f64) -> f64 {
    let q = (u - d1.ln()) / f1;
    (-c0 * u - c1 * f1 * softplus(q)).exp()
}

impl Law for Bnsl {
    fn name(&self) -> &'static str {
        "bnsl"
    }
    fn aliases(&self) -> &'static [&'static str] {
        &["broken"]
    }
    fn params(&self) -> &'static [Param] {
        PARAMS
    }
    fn inputs(&self) -> &'static [Input] {
        &[Input::X]
    }
    fn formula(&self) -> &'static str {
        "y = a + b·x^(−c0)·(1 + (x/d1)^(1/f1))^(−c1·f1)"
    }
    fn default_objective(&self) -> Objective {
        Objective::LsLog
    }

    fn value(&self, p: &[f64], at: At, g: Option<&mut [f64]>) -> f64 {
        let (a, b, c0, c1, d1, f1) = (p[0], p[1], p[2], p[3], p[4], p[5]);
        let u = at.ln[0];
        let q = (u - d1.ln()) / f1;
        let ls = softplus(q);
        let t = (-c0 * u - c1 * f1 * ls).exp();
        if let Some(g) = g {
            let s = logistic(q);
            g[0] = 1.0;
            g[1] = t;
            g[2] = -b * t * u;
            g[3] = -b * t * f1 * ls;
            g[4] = b * t * c1 * s / d1;
            g[5] = b * t * c1 * (s * q - ls);
        }
        a + b * t
    }

    /// Given the break (d1, f1) and the slopes (c0, c1), the law is linear in (a, b): the
    /// BNSL authors' grid over the break position and sharpness, with the slopes on a grid
    /// too and (a, b) projected out, preferring b > 0.
    fn starts(&self, model: &FormModel, objective: Objective) -> Vec<Vec<f64>> {
        let u = model.ln_x();
        let (lo, hi) = u
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                (l.min(*v), h.max(*v))
            });
        if !(lo.is_finite() && hi.is_finite() && hi > lo) {
            return Vec::new();
        }
        let breaks: Vec<f64> = (0..=12)
            .map(|i| (lo + (hi - lo) * (i as f64 - 1.0) / 10.0).exp())
            .collect();
        let sharpness = [0.1, 0.3, 1.0, 3.0];
        let slopes = [0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2];
        let rises = log_grid(0.01, 1.5, 10);
        let mut proj = Projection::new(model, objective);
        let mut col = vec![0.0; u.len()];
        for &d1 in &breaks {
            for &f1 in &sharpness {
                for &c0 in &slopes {
                    for &c1 in rises.iter().chain(&[-0.05, -0.15]) {
                        col.iter_mut()
                            .zip(u)
                            .for_each(|(c, &ui)| *c = term(c0, c1, d1, f1, ui));
                        proj.add(&col, None, |c| Some(vec![c[0], c[1], c0, c1, d1, f1]));
                    }
                }
            }
        }
        proj.best(|p| p[1] > 0.0)
    }

    fn render(&self, p: &[f64], x: &str, style: Style) -> String {
        match style {
            Style::Text => format!(
                "L = {} + {}·{x}^−{}·(1 + ({x}/{})^(1/{}))^(−{}·{})",
                sig(p[0], 4),
                sig(p[1], 4),
                sig(p[2], 3),
                sig(p[4], 3),
                sig(p[5], 3),
                sig(p[3], 3),
                sig(p[5], 3)
            ),
            Style::Latex => format!(
                "L({x}) = {} + {} \\, {x}^{{-{}}} \\left(1 + \\left(\\frac{{{x}}}{{{}}}\\right)^{{1/{}}}\\right)^{{-{} \\cdot {}}}",
                tex_num(p[0]),
                tex_num(p[1]),
                tex_num(p[2]),
                tex_num(p[4]),
                tex_num(p[5]),
                tex_num(p[3]),
                tex_num(p[5])
            ),
        }
    }

    fn numpy(&self) -> &'static str {
        "a + b * x ** (-c0) * (1 + (x / d1) ** (1 / f1)) ** (-c1 * f1)"
    }
}
