//! Kaplan et al. 2020, eq. 1.5: `L(N, D) = ((Nc/N)^(alphaN/alphaD) + Dc/D)^alphaD`, a law of
//! parameters and data, with its compute-optimal split under `C = 6ND` in closed form.

use super::shared::{log_grid, positive};
use super::{At, Frontier, Input, Law, Param, Style};
use crate::chinchilla::Allocation;
use crate::fit::{objective_value, FormModel};
use crate::format::{sig, tex_num};
use crate::{InvertError, Objective};

/// Kaplan's L(N, D).
pub(crate) struct KaplanNd;

const PARAMS: &[Param] = &[
    Param {
        name: "Nc",
        positive: true,
    },
    Param {
        name: "Dc",
        positive: true,
    },
    Param {
        name: "alphaN",
        positive: true,
    },
    Param {
        name: "alphaD",
        positive: true,
    },
];

/// The loss from `ln N` and `D`.
fn loss(p: &[f64], ln_n: f64, d: f64) -> f64 {
    let r = p[2] / p[3];
    let u = (r * (p[0].ln() - ln_n)).exp();
    (u + p[1] / d).powf(p[3])
}

impl Law for KaplanNd {
    fn name(&self) -> &'static str {
        "kaplan-nd"
    }
    fn aliases(&self) -> &'static [&'static str] {
        &["kaplan"]
    }
    fn params(&self) -> &'static [Param] {
        PARAMS
    }
    fn inputs(&self) -> &'static [Input] {
        &[Input::N, Input::D]
    }
    fn formula(&self) -> &'static str {
        "y = ((Nc/N)^(alphaN/alphaD) + Dc/D)^alphaD"
    }
    fn default_objective(&self) -> Objective {
        Objective::HuberLog { delta: 1e-3 }
    }

    fn value(&self, p: &[f64], at: At, g: Option<&mut [f64]>) -> f64 {
        let (nc, dc, an, ad) = (p[0], p[1], p[2], p[3]);
        let r = an / ad;
        let lr = nc.ln() - at.ln[0];
        let u = (r * lr).exp();
        let s = u + dc / at.x[1];
        let l = s.powf(ad);
        if let Some(g) = g {
            // dL/dS = alphaD·S^(alphaD−1) = alphaD·L/S.
            let dl_ds = ad * l / s;
            g[0] = dl_ds * u * r / nc;
            g[1] = dl_ds / at.x[1];
            g[2] = dl_ds * u * lr / ad;
            g[3] = l * s.ln() - dl_ds * u * lr * r / ad;
        }
        l
    }

    /// Given the exponents, `L^(1/alphaD) = Nc^r·N^(−r) + Dc·D^(−1)` is linear in
    /// `(Nc^r, Dc)`: a 16 × 16 grid of exponents, each solved by least squares on
    /// `y^(1/alphaD)`, keeping the best four by the true objective.
    fn starts(&self, model: &FormModel, objective: Objective) -> Vec<Vec<f64>> {
        let points = model.points;
        let Some(d) = points.d.as_deref() else {
            return Vec::new();
        };
        let grid = log_grid(0.02, 1.0, 16);
        let mut found: Vec<(f64, Vec<f64>)> = Vec::new();
        for &an in &grid {
            for &ad in &grid {
                let r = an / ad;
                let (mut s11, mut s12, mut s22, mut b1, mut b2) = (0.0, 0.0, 0.0, 0.0, 0.0);
                for (i, di) in d.iter().enumerate().take(points.len()) {
                    let w = points.weight(i);
                    let t = points.y[i].powf(1.0 / ad);
                    let (u, v) = ((-r * model.ln_x()[i]).exp(), 1.0 / di);
                    s11 += w * u * u;
                    s12 += w * u * v;
                    s22 += w * v * v;
                    b1 += w * u * t;
                    b2 += w * v * t;
                }
                let det = s11 * s22 - s12 * s12;
                let (c1, c2) = ((b1 * s22 - b2 * s12) / det, (s11 * b2 - s12 * b1) / det);
                if !(c1 > 0.0 && c2 > 0.0 && det.is_finite()) {
                    continue;
                }
                let p = vec![c1.powf(1.0 / r), c2, an, ad];
                let v = objective_value(model, objective, &p);
                if v.is_finite() && p.iter().all(|t| t.is_finite() && *t > 0.0) {
                    found.push((v, p));
                }
            }
        }
        crate::sort::sort_by_score(&mut found, |f| f.0);
        found.into_iter().take(4).map(|(_, p)| p).collect()
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
                "L = (({}/N)^({}/{}) + {}/D)^{}",
                sig(p[0], 4),
                sig(p[2], 4),
                sig(p[3], 4),
                sig(p[1], 4),
                sig(p[3], 4)
            ),
            Style::Latex => format!(
                "L(N, D) = \\left[ \\left( \\frac{{{}}}{{N}} \\right)^{{{} / {}}} + \\frac{{{}}}{{D}} \\right]^{{{}}}",
                tex_num(p[0]),
                tex_num(p[2]),
                tex_num(p[3]),
                tex_num(p[1]),
                tex_num(p[3])
            ),
        }
    }

    fn numpy(&self) -> &'static str {
        "((Nc / N) ** (alphaN / alphaD) + Dc / D) ** alphaD"
    }
}

/// Positive finite constants, or [`InvertError::BadParams`].
fn check(p: &[f64]) -> Result<(), InvertError> {
    if p.len() == 4 && p.iter().all(|v| v.is_finite() && *v > 0.0) {
        Ok(())
    } else {
        Err(InvertError::BadParams(format!(
            "Nc, Dc, alphaN and alphaD must be positive (got {p:?})"
        )))
    }
}

/// The point of the frontier at `n`: `C = 6·Dc·N^(1+r)/(r·Nc^r)` with `r = alphaN/alphaD`
/// (the stationary point of `L(N, C/6N)` in N).
fn allocation_at_n(p: &[f64], n: f64) -> Allocation {
    let r = p[2] / p[3];
    let compute = 6.0 * p[1] * n.powf(1.0 + r) / (r * p[0].powf(r));
    let d = compute / (6.0 * n);
    Allocation {
        compute,
        n,
        d,
        loss: loss(p, n.ln(), d),
        tokens_per_param: d / n,
    }
}

fn overflow(target: f64, what: &str) -> InvertError {
    InvertError::Unreachable {
        target,
        reason: format!("the {what} needed overflows"),
    }
}

/// The closed forms of the frontier implied by eq. 1.5 (not Kaplan et al.'s own
/// compute-efficient frontier, which uses L(N, S)). The generic numeric searches of
/// [`Frontier`] agree with them (tests/laws.rs), which is how they are checked for laws
/// without closed forms.
impl Frontier for KaplanNd {
    fn loss(&self, p: &[f64], n: f64, d: f64) -> f64 {
        loss(p, n.ln(), d)
    }

    /// `N* = (r·Nc^r·C/(6·Dc))^(1/(1+r))`.
    fn optimal_allocation(&self, p: &[f64], compute: f64) -> Result<Allocation, InvertError> {
        check(p)?;
        let c = positive("compute", compute)?;
        let r = p[2] / p[3];
        let n = (r * p[0].powf(r) * c / (6.0 * p[1])).powf(1.0 / (1.0 + r));
        let d = c / (6.0 * n);
        Ok(Allocation {
            compute: c,
            n,
            d,
            loss: loss(p, n.ln(), d),
            tokens_per_param: d / n,
        })
    }

    /// Along the frontier `L^(1/alphaD) = (1+r)·(Nc/N*)^r`, so
    /// `N* = Nc·((1+r)/L^(1/alphaD))^(1/r)`.
    fn compute_for_loss(&self, p: &[f64], target: f64) -> Result<Allocation, InvertError> {
        check(p)?;
        let target = finite_loss(target)?;
        if target <= 0.0 {
            return Err(InvertError::Unreachable {
                target,
                reason: "Kaplan's L(N, D) only approaches zero".into(),
            });
        }
        let r = p[2] / p[3];
        let n = p[0] * ((1.0 + r) / target.powf(1.0 / p[3])).powf(1.0 / r);
        let at = allocation_at_n(p, n);
        if at.compute.is_finite() && at.d.is_finite() {
            Ok(at)
        } else {
            Err(overflow(target, "compute"))
        }
    }

    /// `D = Dc / (L^(1/alphaD) − (Nc/N)^r)`.
    fn tokens_for_loss(&self, p: &[f64], n: f64, target: f64) -> Result<f64, InvertError> {
        check(p)?;
        let n = positive("N", n)?;
        let target = finite_loss(target)?;
        let r = p[2] / p[3];
        let floor = (p[0] / n).powf(p[2]);
        let rest = if target > 0.0 {
            target.powf(1.0 / p[3]) - (p[0] / n).powf(r)
        } else {
            f64::NEG_INFINITY
        };
        if rest <= 0.0 {
            return Err(InvertError::Unreachable {
                target,
                reason: format!(
                    "a model of {n:e} parameters cannot go below {floor} however much data \
                     it sees"
                ),
            });
        }
        let d = p[1] / rest;
        if d.is_finite() {
            Ok(d)
        } else {
            Err(overflow(target, "data"))
        }
    }

    /// With unlimited data `L = (Nc/N)^alphaN`, so `N = Nc·L^(−1/alphaN)`.
    fn min_params_for_loss(&self, p: &[f64], target: f64) -> Result<f64, InvertError> {
        check(p)?;
        let target = finite_loss(target)?;
        if target <= 0.0 {
            return Err(InvertError::Unreachable {
                target,
                reason: "the law (Nc/N)^alphaN only approaches zero".into(),
            });
        }
        let n = p[0] * target.powf(-1.0 / p[2]);
        if n.is_finite() {
            Ok(n)
        } else {
            Err(overflow(target, "model size"))
        }
    }
}

fn finite_loss(loss: f64) -> Result<f64, InvertError> {
    if loss.is_finite() {
        Ok(loss)
    } else {
        Err(InvertError::BadArgument {
            name: "loss",
            value: loss,
        })
    }
}
