//! `y = a·e^(b·x)`: exponential in the input itself (the input may be any real).

use super::shared::{common_sign, line_fit, ln_abs_y};
use super::{At, Input, Law, Param, Regressor, Style};
use crate::fit::FormModel;
use crate::format::{sig, tex_num};
use crate::{InvertError, Objective};

/// The exponential law.
pub(crate) struct Exponential;

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

/// The linearised fit `ln|y| = ln|a| + b·x`: the exact optimum of `ls-log`, and the start
/// otherwise.
fn linearised(model: &FormModel) -> Option<Vec<f64>> {
    let sign = common_sign(&model.points.y);
    if sign == 0.0 {
        return None;
    }
    let (c0, c1) = line_fit(
        &model.points.x,
        &ln_abs_y(model, sign),
        model.points.weights.as_deref(),
    )?;
    let p = vec![sign * c0.exp(), c1];
    p.iter().all(|v| v.is_finite()).then_some(p)
}

impl Law for Exponential {
    fn name(&self) -> &'static str {
        "exponential"
    }
    fn params(&self) -> &'static [Param] {
        PARAMS
    }
    fn inputs(&self) -> &'static [Input] {
        &[Input::X]
    }
    fn formula(&self) -> &'static str {
        "y = a·e^(b·x)"
    }
    fn default_objective(&self) -> Objective {
        Objective::LsLog
    }
    fn logs_inputs(&self) -> bool {
        false
    }

    fn value(&self, p: &[f64], at: At, g: Option<&mut [f64]>) -> f64 {
        let x = at.x[0];
        let t = (p[1] * x).exp();
        if let Some(g) = g {
            g[0] = t;
            g[1] = p[0] * x * t;
        }
        p[0] * t
    }

    fn hessian(&self, p: &[f64], at: At, h: &mut [f64]) -> bool {
        let x = at.x[0];
        let e = (p[1] * x).exp();
        h[1] = x * e;
        h[2] = x * e;
        h[3] = p[0] * x * x * e;
        true
    }

    fn log_linear(&self) -> Option<Regressor> {
        Some(Regressor::X)
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
                "y = {}·e^(bx) never has the sign of the target",
                p[0]
            )));
        }
        Ok(q.ln() / p[1])
    }

    fn render(&self, p: &[f64], x: &str, style: Style) -> String {
        match style {
            Style::Text => format!("L = {}·e^({}·{x})", sig(p[0], 4), sig(p[1], 4)),
            Style::Latex => format!(
                "L({x}) = {} \\, e^{{{} \\, {x}}}",
                tex_num(p[0]),
                tex_num(p[1])
            ),
        }
    }

    fn numpy(&self) -> &'static str {
        "a * np.exp(b * x)"
    }
}
