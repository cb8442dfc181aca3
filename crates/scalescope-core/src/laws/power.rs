//! `y = a·x^b`: the plain power law, a straight line in log-log.

use super::shared::{common_sign, line_fit, ln_abs_y};
use super::{At, Input, Law, Param, Regressor, Style};
use crate::fit::FormModel;
use crate::format::{exponent, sig, tex_num};
use crate::{InvertError, Objective};

/// The power law.
pub(crate) struct Power;

const PARAMS: &[Param] = &[
    Param {
        name: "a",
        positive: false,
    },
    Param {
        name: "b",
        positive: false,
    },
];

/// The linearised fit `ln|y| = ln|a| + b·ln x` (if all `y` share a sign): the exact optimum
/// of `ls-log`, and the start otherwise.
fn linearised(model: &FormModel) -> Option<Vec<f64>> {
    let sign = common_sign(&model.points.y);
    if sign == 0.0 {
        return None;
    }
    let (c0, c1) = line_fit(
        model.ln_x(),
        &ln_abs_y(model, sign),
        model.points.weights.as_deref(),
    )?;
    let p = vec![sign * c0.exp(), c1];
    p.iter().all(|v| v.is_finite()).then_some(p)
}

impl Law for Power {
    fn name(&self) -> &'static str {
        "power"
    }
    fn params(&self) -> &'static [Param] {
        PARAMS
    }
    fn inputs(&self) -> &'static [Input] {
        &[Input::X]
    }
    fn formula(&self) -> &'static str {
        "y = a·x^b"
    }
    fn default_objective(&self) -> Objective {
        Objective::LsLog
    }

    fn value(&self, p: &[f64], at: At, g: Option<&mut [f64]>) -> f64 {
        let t = (p[1] * at.ln[0]).exp();
        if let Some(g) = g {
            g[0] = t;
            g[1] = p[0] * t * at.ln[0];
        }
        p[0] * t
    }

    fn hessian(&self, p: &[f64], at: At, h: &mut [f64]) -> bool {
        let (xb, l) = ((p[1] * at.ln[0]).exp(), at.ln[0]);
        h[1] = xb * l;
        h[2] = xb * l;
        h[3] = p[0] * xb * l * l;
        true
    }

    fn log_linear(&self) -> Option<Regressor> {
        Some(Regressor::LnX)
    }

    fn closed_form(&self, model: &FormModel, objective: Objective) -> Option<Vec<f64>> {
        (objective == Objective::LsLog)
            .then(|| linearised(model))
            .flatten()
    }

    fn starts(&self, model: &FormModel, _objective: Objective) -> Vec<Vec<f64>> {
        vec![linearised(model).unwrap_or_else(|| vec![model.mean_y(), 0.0])]
    }

    fn inverse(&self, p: &[f64], y: f64) -> Result<f64, InvertError> {
        super::shared::check_target(y)?;
        let unreachable = |reason: String| InvertError::Unreachable { target: y, reason };
        if p[1] == 0.0 {
            return Err(unreachable(format!("the curve is flat at a = {}", p[0])));
        }
        let q = y / p[0];
        if q.is_nan() || q <= 0.0 {
            return Err(unreachable(format!(
                "y = {}·x^b never has the sign of the target",
                p[0]
            )));
        }
        Ok(q.powf(1.0 / p[1]))
    }

    fn render(&self, p: &[f64], x: &str, style: Style) -> String {
        match style {
            Style::Text => format!("L = {}·{x}^{}", sig(p[0], 4), exponent(p[1])),
            Style::Latex => format!("L({x}) = {} \\, {x}^{{{}}}", tex_num(p[0]), tex_num(p[1])),
        }
    }

    fn numpy(&self) -> &'static str {
        "a * x ** b"
    }
}
