//! `L = E + A·N^(−alpha) + B·D^(−beta)`: Hoffmann et al.'s law of parameters and data, with
//! its closed-form compute-optimal frontier (`crate::chinchilla`).

use super::shared::{log_grid, Projection};
use super::{At, Frontier, Input, Law, Param, Style};
use crate::chinchilla::{self, Allocation, ChinchillaParams};
use crate::fit::FormModel;
use crate::format::{exponent, sig, signed, tex_num};
use crate::{InvertError, Objective};

/// The Chinchilla law.
pub(crate) struct Chinchilla;

/// E, A and B are positive as in the published log-sum-exp parameterisation
/// (`E = e^e, A = e^a, B = e^b`): a negative coefficient with a vanishing exponent imitates
/// a log term and leads into a valley at infinity.
const PARAMS: &[Param] = &[
    Param {
        name: "E",
        positive: true,
    },
    Param {
        name: "A",
        positive: true,
    },
    Param {
        name: "B",
        positive: true,
    },
    Param {
        name: "alpha",
        positive: false,
    },
    Param {
        name: "beta",
        positive: false,
    },
];

fn params(p: &[f64]) -> ChinchillaParams {
    ChinchillaParams {
        e: p[0],
        a: p[1],
        b: p[2],
        alpha: p[3],
        beta: p[4],
    }
}

impl Law for Chinchilla {
    fn name(&self) -> &'static str {
        "chinchilla"
    }
    fn aliases(&self) -> &'static [&'static str] {
        &["hoffmann"]
    }
    fn params(&self) -> &'static [Param] {
        PARAMS
    }
    fn inputs(&self) -> &'static [Input] {
        &[Input::N, Input::D]
    }
    fn formula(&self) -> &'static str {
        "y = E + A·N^(−alpha) + B·D^(−beta)"
    }
    fn default_objective(&self) -> Objective {
        Objective::HuberLog { delta: 1e-3 }
    }

    fn value(&self, p: &[f64], at: At, g: Option<&mut [f64]>) -> f64 {
        let (ln, ld) = (at.ln[0], at.ln[1]);
        let t = (-p[3] * ln).exp();
        let s = (-p[4] * ld).exp();
        if let Some(g) = g {
            g[0] = 1.0;
            g[1] = t;
            g[2] = s;
            g[3] = -p[1] * t * ln;
            g[4] = -p[2] * s * ld;
        }
        p[0] + p[1] * t + p[2] * s
    }

    fn hessian(&self, p: &[f64], at: At, h: &mut [f64]) -> bool {
        let (ln, ld) = (at.ln[0], at.ln[1]);
        let (na, db) = ((-p[3] * ln).exp(), (-p[4] * ld).exp());
        let mut set = |i: usize, j: usize, v: f64| {
            h[i * 5 + j] = v;
            h[j * 5 + i] = v;
        };
        set(1, 3, -na * ln);
        set(3, 3, p[1] * na * ln * ln);
        set(2, 4, -db * ld);
        set(4, 4, p[2] * db * ld * ld);
        true
    }

    /// Given (alpha, beta) the law is linear in (E, A, B): variable projection over a
    /// 24 × 24 grid of exponents, preferring positive A and B. A start whose linear solve put
    /// E at or below zero keeps its shape with a small positive floor.
    fn starts(&self, model: &FormModel, objective: Objective) -> Vec<Vec<f64>> {
        let grid = log_grid(0.02, 2.0, 24);
        let cols = |ln: &[f64], e: f64| ln.iter().map(|l| (-e * l).exp()).collect::<Vec<f64>>();
        let na: Vec<Vec<f64>> = grid.iter().map(|&a| cols(model.ln_x(), a)).collect();
        let db: Vec<Vec<f64>> = grid.iter().map(|&b| cols(model.ln_d(), b)).collect();
        let mut proj = Projection::new(model, objective);
        for (u, &alpha) in na.iter().zip(&grid) {
            for (v, &beta) in db.iter().zip(&grid) {
                proj.add(u, Some(v), |c| Some(vec![c[0], c[1], c[2], alpha, beta]));
            }
        }
        let floor = 1e-3 * model.points.y.iter().copied().fold(f64::INFINITY, f64::min);
        proj.best(|p| p[1] > 0.0 && p[2] > 0.0)
            .into_iter()
            .map(|mut s| {
                s[0] = s[0].max(floor);
                s
            })
            .collect()
    }

    fn inverse(&self, _p: &[f64], _target: f64) -> Result<f64, InvertError> {
        Err(InvertError::NotOneInput)
    }

    fn frontier(&self) -> Option<&dyn Frontier> {
        Some(self)
    }

    fn render(&self, p: &[f64], _x: &str, style: Style) -> String {
        match style {
            Style::Text => format!(
                "L = {}{}/N^{}{}/D^{}",
                sig(p[0], 4),
                signed(p[1], 4),
                exponent(p[3]),
                signed(p[2], 4),
                exponent(p[4])
            ),
            Style::Latex => format!(
                "L(N, D) = {} + \\frac{{{}}}{{N^{{{}}}}} + \\frac{{{}}}{{D^{{{}}}}}",
                tex_num(p[0]),
                tex_num(p[1]),
                tex_num(p[3]),
                tex_num(p[2]),
                tex_num(p[4])
            ),
        }
    }

    fn numpy(&self) -> &'static str {
        "E + A * N ** (-alpha) + B * D ** (-beta)"
    }
}

/// The closed forms of Hoffmann et al. (eq. 4) and their inverses.
impl Frontier for Chinchilla {
    fn loss(&self, p: &[f64], n: f64, d: f64) -> f64 {
        params(p).loss(n, d)
    }
    fn optimal_allocation(&self, p: &[f64], compute: f64) -> Result<Allocation, InvertError> {
        chinchilla::optimal_allocation(&params(p), compute)
    }
    fn compute_for_loss(&self, p: &[f64], loss: f64) -> Result<Allocation, InvertError> {
        chinchilla::compute_for_loss(&params(p), loss)
    }
    fn tokens_for_loss(&self, p: &[f64], n: f64, loss: f64) -> Result<f64, InvertError> {
        chinchilla::tokens_for_loss(&params(p), n, loss)
    }
    fn min_params_for_loss(&self, p: &[f64], loss: f64) -> Result<f64, InvertError> {
        chinchilla::min_params_for_loss(&params(p), loss)
    }
}
