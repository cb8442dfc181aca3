//! `y = E + A·x^(−alpha)`: a power law that levels off at a floor E.

use super::shared::{log_grid, Projection};
use super::{At, Input, Law, Param, Style};
use crate::fit::FormModel;
use crate::format::{exponent, sig, signed, tex_num};
use crate::{InvertError, Objective};

/// The saturating power law.
pub(crate) struct Saturating;

const PARAMS: &[Param] = &[
    Param {
        name: "E",
        positive: false,
    },
    Param {
        name: "A",
        positive: false,
    },
    Param {
        name: "alpha",
        positive: false,
    },
];

impl Law for Saturating {
    fn name(&self) -> &'static str {
        "saturating"
    }
    fn params(&self) -> &'static [Param] {
        PARAMS
    }
    fn inputs(&self) -> &'static [Input] {
        &[Input::X]
    }
    fn formula(&self) -> &'static str {
        "y = E + A·x^(−alpha)"
    }
    fn default_objective(&self) -> Objective {
        Objective::HuberLog { delta: 1e-3 }
    }

    fn value(&self, p: &[f64], at: At, g: Option<&mut [f64]>) -> f64 {
        let t = (-p[2] * at.ln[0]).exp();
        if let Some(g) = g {
            g[0] = 1.0;
            g[1] = t;
            g[2] = -p[1] * t * at.ln[0];
        }
        p[0] + p[1] * t
    }

    fn hessian(&self, p: &[f64], at: At, h: &mut [f64]) -> bool {
        let (xa, l) = ((-p[2] * at.ln[0]).exp(), at.ln[0]);
        // (A, alpha) and (alpha, alpha); k = 3.
        h[5] = -xa * l;
        h[7] = -xa * l;
        h[8] = p[1] * xa * l * l;
        true
    }

    /// Given alpha the law is linear in (E, A): variable projection over 40 exponents.
    fn starts(&self, model: &FormModel, objective: Objective) -> Vec<Vec<f64>> {
        let mut proj = Projection::new(model, objective);
        for alpha in log_grid(0.02, 3.0, 40) {
            let col: Vec<f64> = model.ln_x().iter().map(|l| (-alpha * l).exp()).collect();
            proj.add(&col, None, |c| Some(vec![c[0], c[1], alpha]));
        }
        proj.best(|_| true)
    }

    fn inverse(&self, p: &[f64], y: f64) -> Result<f64, InvertError> {
        super::shared::check_target(y)?;
        let unreachable = |reason: String| InvertError::Unreachable { target: y, reason };
        if p[2] == 0.0 {
            return Err(unreachable("alpha = 0: the curve is flat".into()));
        }
        let q = (y - p[0]) / p[1];
        if q.is_nan() || q <= 0.0 {
            let side = if p[1] > 0.0 { "above" } else { "below" };
            return Err(unreachable(format!(
                "the curve approaches E = {} from {side} and never crosses it",
                p[0]
            )));
        }
        Ok(q.powf(-1.0 / p[2]))
    }

    fn render(&self, p: &[f64], x: &str, style: Style) -> String {
        match style {
            Style::Text => format!(
                "L = {}{}/{x}^{}",
                sig(p[0], 4),
                signed(p[1], 4),
                exponent(p[2])
            ),
            Style::Latex => format!(
                "L({x}) = {} + \\frac{{{}}}{{{x}^{{{}}}}}",
                tex_num(p[0]),
                tex_num(p[1]),
                tex_num(p[2])
            ),
        }
    }

    fn numpy(&self) -> &'static str {
        "E + A * x ** (-alpha)"
    }
}
