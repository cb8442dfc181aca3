//! `ln y = a + b·ln x + c·(ln x)²`: a power law whose log-log slope drifts with scale.
//! Under `ls-log` it is ordinary least squares on the logs, in closed form (numpy's
//! `polyfit(ln x, ln y, 2)`).

use super::{At, Input, Law, Param, Style};
use crate::fit::FormModel;
use crate::format::{sig, signed, tex_num};
use crate::{InvertError, Objective};
use nalgebra::{Matrix3, Vector3};

/// The quadratic-in-logs law.
pub(crate) struct Quadlog;

const PARAMS: &[Param] = &[
    Param {
        name: "a",
        positive: false,
    },
    Param {
        name: "b",
        positive: false,
    },
    Param {
        name: "c",
        positive: false,
    },
];

/// Weighted OLS of `ln y` on `[1, u, u²]` with `u = ln x`, solved on the centred and scaled
/// `z = (u − m)/s` (so the normal equations stay well conditioned) and mapped back.
fn ols(model: &FormModel) -> Option<Vec<f64>> {
    let points = model.points;
    if !points.y.iter().all(|v| *v > 0.0) {
        return None;
    }
    let ln_y: Vec<f64> = if model.ln_y.len() == points.len() {
        model.ln_y.clone()
    } else {
        points.y.iter().map(|v| v.ln()).collect()
    };
    let u = model.ln_x();
    let w = |i: usize| points.weight(i);
    let sw: f64 = (0..u.len()).map(w).sum();
    let m = (0..u.len()).map(|i| w(i) * u[i]).sum::<f64>() / sw;
    let s = ((0..u.len()).map(|i| w(i) * (u[i] - m).powi(2)).sum::<f64>() / sw).sqrt();
    if !(s.is_finite() && s > 0.0) {
        return None;
    }
    let mut ata = Matrix3::zeros();
    let mut atb = Vector3::zeros();
    for i in 0..u.len() {
        let z = (u[i] - m) / s;
        let row = Vector3::new(1.0, z, z * z);
        ata += w(i) * row * row.transpose();
        atb += w(i) * ln_y[i] * row;
    }
    let q = ata.cholesky()?.solve(&atb);
    // ln y = q0 + q1·z + q2·z², z = (u − m)/s.
    let (c, b1) = (q[2] / (s * s), q[1] / s);
    let p = vec![q[0] - b1 * m + c * m * m, b1 - 2.0 * c * m, c];
    p.iter().all(|v| v.is_finite()).then_some(p)
}

impl Law for Quadlog {
    fn name(&self) -> &'static str {
        "quadlog"
    }
    fn params(&self) -> &'static [Param] {
        PARAMS
    }
    fn inputs(&self) -> &'static [Input] {
        &[Input::X]
    }
    fn formula(&self) -> &'static str {
        "ln y = a + b·ln x + c·(ln x)²"
    }
    fn default_objective(&self) -> Objective {
        Objective::LsLog
    }

    fn value(&self, p: &[f64], at: At, g: Option<&mut [f64]>) -> f64 {
        let u = at.ln[0];
        let v = (p[0] + p[1] * u + p[2] * u * u).exp();
        if let Some(g) = g {
            g[0] = v;
            g[1] = v * u;
            g[2] = v * u * u;
        }
        v
    }

    fn hessian(&self, p: &[f64], at: At, h: &mut [f64]) -> bool {
        let u = at.ln[0];
        let v = (p[0] + p[1] * u + p[2] * u * u).exp();
        let z = [1.0, u, u * u];
        for i in 0..3 {
            for j in 0..3 {
                h[i * 3 + j] = v * z[i] * z[j];
            }
        }
        true
    }

    fn closed_form(&self, model: &FormModel, objective: Objective) -> Option<Vec<f64>> {
        (objective == Objective::LsLog)
            .then(|| ols(model))
            .flatten()
    }

    fn starts(&self, model: &FormModel, _objective: Objective) -> Vec<Vec<f64>> {
        vec![ols(model).unwrap_or_else(|| vec![model.mean_y().abs().max(1e-300).ln(), 0.0, 0.0])]
    }

    /// The root of `c·u² + b·u + a − ln y = 0` (`u = ln x`) on the branch where the curve
    /// falls, as a loss does with scale: left of the vertex when `c > 0`, right of it when
    /// `c < 0`.
    fn inverse(&self, p: &[f64], y: f64) -> Result<f64, InvertError> {
        super::shared::check_target(y)?;
        let unreachable = |reason: String| InvertError::Unreachable { target: y, reason };
        if y <= 0.0 {
            return Err(unreachable("the law is positive everywhere".into()));
        }
        let (a, b, c) = (p[0] - y.ln(), p[1], p[2]);
        let u = if c == 0.0 {
            if b == 0.0 {
                return Err(unreachable(format!("the curve is flat at {}", p[0].exp())));
            }
            -a / b
        } else {
            let disc = b * b - 4.0 * a * c;
            if disc < 0.0 {
                let u0 = -b / (2.0 * c);
                let extreme = (p[0] + p[1] * u0 + p[2] * u0 * u0).exp();
                let what = if c > 0.0 { "minimum" } else { "maximum" };
                return Err(unreachable(format!(
                    "the curve's {what} is {} (at x = {}), short of the target",
                    sig(extreme, 4),
                    sig(u0.exp(), 3)
                )));
            }
            // The smaller root when c > 0, the larger when c < 0: (−b − √disc)/(2c) both
            // times, written to avoid cancellation.
            let q = -0.5 * (b + b.signum() * disc.sqrt());
            let (r1, r2) = (q / c, if q != 0.0 { a / q } else { f64::NAN });
            let (lo, hi) = if r1 <= r2 || r2.is_nan() {
                (r1, r2)
            } else {
                (r2, r1)
            };
            if c > 0.0 || hi.is_nan() {
                lo
            } else {
                hi
            }
        };
        let x = u.exp();
        if x.is_finite() && x > 0.0 {
            Ok(x)
        } else {
            Err(unreachable("the required x overflows".into()))
        }
    }

    fn render(&self, p: &[f64], x: &str, style: Style) -> String {
        match style {
            Style::Text => format!(
                "ln L = {}{}·ln {x}{}·(ln {x})²",
                sig(p[0], 4),
                signed(p[1], 4),
                signed(p[2], 4)
            ),
            Style::Latex => format!(
                "\\ln L({x}) = {} + ({}) \\ln {x} + ({}) (\\ln {x})^2",
                tex_num(p[0]),
                tex_num(p[1]),
                tex_num(p[2])
            ),
        }
    }

    fn numpy(&self) -> &'static str {
        "np.exp(a + b * np.log(x) + c * np.log(x) ** 2)"
    }
}
