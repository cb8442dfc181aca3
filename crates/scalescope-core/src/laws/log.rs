//! `y = a + b·ln x`: a straight line against log scale.

use super::shared::line_fit;
use super::{At, Input, Law, Param, Style};
use crate::fit::FormModel;
use crate::format::{sig, signed, tex_num};
use crate::{InvertError, Objective};

/// The log law.
pub(crate) struct Log;

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

/// OLS of `y` on `ln x`: the exact optimum of `ls`, and the start otherwise.
fn linearised(model: &FormModel) -> Option<Vec<f64>> {
    let (c0, c1) = line_fit(
        model.ln_x(),
        &model.points.y,
        model.points.weights.as_deref(),
    )?;
    [c0, c1].iter().all(|v| v.is_finite()).then(|| vec![c0, c1])
}

impl Law for Log {
    fn name(&self) -> &'static str {
        "log"
    }
    fn params(&self) -> &'static [Param] {
        PARAMS
    }
    fn inputs(&self) -> &'static [Input] {
        &[Input::X]
    }
    fn formula(&self) -> &'static str {
        "y = a + b·ln x"
    }
    fn default_objective(&self) -> Objective {
        Objective::Ls
    }

    fn value(&self, p: &[f64], at: At, g: Option<&mut [f64]>) -> f64 {
        if let Some(g) = g {
            g[0] = 1.0;
            g[1] = at.ln[0];
        }
        p[0] + p[1] * at.ln[0]
    }

    fn hessian(&self, _p: &[f64], _at: At, _h: &mut [f64]) -> bool {
        true // linear in its parameters
    }

    fn closed_form(&self, model: &FormModel, objective: Objective) -> Option<Vec<f64>> {
        (objective == Objective::Ls)
            .then(|| linearised(model))
            .flatten()
    }

    fn starts(&self, model: &FormModel, _objective: Objective) -> Vec<Vec<f64>> {
        vec![linearised(model).unwrap_or_else(|| vec![model.mean_y(), 0.0])]
    }

    fn inverse(&self, p: &[f64], y: f64) -> Result<f64, InvertError> {
        super::shared::check_target(y)?;
        if p[1] == 0.0 {
            return Err(InvertError::Unreachable {
                target: y,
                reason: format!("the curve is flat at a = {}", p[0]),
            });
        }
        Ok(((y - p[0]) / p[1]).exp())
    }

    fn render(&self, p: &[f64], x: &str, style: Style) -> String {
        match style {
            Style::Text => format!("L = {}{}·ln {x}", sig(p[0], 4), signed(p[1], 4)),
            Style::Latex => format!("L({x}) = {} + ({}) \\ln {x}", tex_num(p[0]), tex_num(p[1])),
        }
    }

    fn numpy(&self) -> &'static str {
        "a + b * np.log(x)"
    }
}
