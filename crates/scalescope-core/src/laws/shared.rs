//! What several laws use: variable projection for starts, straight-line fits, the generic
//! numeric inverse and frontier, and the pieces formulas are written with.

use super::{Frontier, Law};
use crate::chinchilla::Allocation;
use crate::fit::{objective_value, FormModel};
use crate::sort::sort_by_score;
use crate::{InvertError, Objective};
use nalgebra::{Matrix3, Vector3};

/// How many of the best variable-projection candidates to polish.
const KEEP: usize = 4;
/// How many candidates, ranked by linear least squares, to score by the true objective.
const SCORE: usize = 16;

/// `count` log-spaced values from `lo` to `hi`.
pub(crate) fn log_grid(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let step = (hi / lo).ln() / (count.max(2) - 1) as f64;
    (0..count).map(|i| lo * (step * i as f64).exp()).collect()
}

/// Variable projection: for each candidate value of the nonlinear parameters, the
/// coefficients that enter linearly are solved by weighted linear least squares on the
/// columns `[1, u, v]` (or `[1, u]`); candidates are ranked by that residual and the best
/// few are scored by the true objective.
///
/// Log objectives are approximated by rows weighted `w/y²` (`ln ŷ − ln y ≈ (ŷ − y)/y`).
pub(crate) struct Projection<'m, 'p> {
    model: &'m FormModel<'p>,
    objective: Objective,
    rw: Vec<f64>,
    ywy: f64,
    ranked: Vec<(f64, Vec<f64>)>,
}

impl<'m, 'p> Projection<'m, 'p> {
    /// An empty projection over `model`'s points.
    pub fn new(model: &'m FormModel<'p>, objective: Objective) -> Self {
        let points = model.points;
        let rw: Vec<f64> = (0..points.len())
            .map(|i| {
                let w = points.weight(i);
                if objective.is_log() {
                    w / (points.y[i] * points.y[i])
                } else {
                    w
                }
            })
            .collect();
        let ywy = (0..points.len())
            .map(|i| rw[i] * points.y[i] * points.y[i])
            .sum();
        Projection {
            model,
            objective,
            rw,
            ywy,
            ranked: Vec::new(),
        }
    }

    /// Solve the coefficients on `[1, u]` (or `[1, u, v]`) and keep the candidate that
    /// `assemble` builds from them (`None` drops it).
    pub fn add(
        &mut self,
        u: &[f64],
        v: Option<&[f64]>,
        assemble: impl FnOnce(&[f64]) -> Option<Vec<f64>>,
    ) {
        let Some((coef, sse)) = linear_fit(u, v, &self.rw, &self.model.points.y, self.ywy) else {
            return;
        };
        if let Some(p) = assemble(&coef) {
            if p.iter().all(|t| t.is_finite()) {
                self.ranked.push((sse, p));
            }
        }
    }

    /// The best candidates by the true objective, best first; `prefer` keeps only the
    /// candidates it accepts when any exists.
    pub fn best(mut self, prefer: impl Fn(&[f64]) -> bool) -> Vec<Vec<f64>> {
        if self.ranked.iter().any(|(_, p)| prefer(p)) {
            self.ranked.retain(|(_, p)| prefer(p));
        }
        sort_by_score(&mut self.ranked, |r| r.0);
        let mut scored: Vec<(f64, Vec<f64>)> = self
            .ranked
            .into_iter()
            .take(SCORE)
            .map(|(_, p)| (objective_value(self.model, self.objective, &p), p))
            .filter(|(v, _)| v.is_finite())
            .collect();
        sort_by_score(&mut scored, |s| s.0);
        scored.into_iter().take(KEEP).map(|(_, p)| p).collect()
    }
}

/// Weighted least squares of `y` on `[1, u, v]` (or `[1, u]`): coefficients and the weighted
/// residual sum of squares, via column-scaled normal equations.
fn linear_fit(
    u: &[f64],
    v: Option<&[f64]>,
    w: &[f64],
    y: &[f64],
    ywy: f64,
) -> Option<(Vec<f64>, f64)> {
    let k = if v.is_some() { 3 } else { 2 };
    let mut ata = Matrix3::<f64>::identity();
    let mut atb = Vector3::<f64>::zeros();
    let (mut s00, mut s01, mut s02, mut s11, mut s12, mut s22) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut b0, mut b1, mut b2) = (0.0, 0.0, 0.0);
    for i in 0..y.len() {
        let (wi, ui) = (w[i], u[i]);
        let vi = v.map_or(0.0, |v| v[i]);
        s00 += wi;
        s01 += wi * ui;
        s02 += wi * vi;
        s11 += wi * ui * ui;
        s12 += wi * ui * vi;
        s22 += wi * vi * vi;
        b0 += wi * y[i];
        b1 += wi * ui * y[i];
        b2 += wi * vi * y[i];
    }
    let full = [[s00, s01, s02], [s01, s11, s12], [s02, s12, s22]];
    let rhs = [b0, b1, b2];
    let scale: Vec<f64> = (0..k).map(|a| full[a][a].sqrt()).collect();
    if scale.iter().any(|s| !s.is_finite() || *s <= 0.0) {
        return None;
    }
    for a in 0..k {
        atb[a] = rhs[a] / scale[a];
        for b in 0..k {
            ata[(a, b)] = full[a][b] / (scale[a] * scale[b]);
        }
    }
    let c = ata.cholesky()?.solve(&atb);
    let coef: Vec<f64> = (0..k).map(|a| c[a] / scale[a]).collect();
    let fitted: f64 = (0..k).map(|a| coef[a] * rhs[a]).sum();
    Some((coef, (ywy - fitted).max(0.0)))
}

/// Weighted straight-line fit `t ≈ c0 + c1·z` (`weights`: none for unweighted), computed
/// from centred sums. `None` when `z` is constant among positive-weight points or values are
/// not finite.
pub(crate) fn line_fit(z: &[f64], t: &[f64], weights: Option<&[f64]>) -> Option<(f64, f64)> {
    match weights {
        None => line_fit_by(z, t, |_| 1.0),
        Some(w) => line_fit_by(z, t, |i| w.get(i).copied().unwrap_or(1.0)),
    }
}

/// [`line_fit`] with the weight of point `i` from `w` (compiled once per kind of weights).
fn line_fit_by(z: &[f64], t: &[f64], w: impl Fn(usize) -> f64) -> Option<(f64, f64)> {
    let (mut sw, mut swz, mut swt) = (0.0, 0.0, 0.0);
    for (i, (zi, ti)) in z.iter().zip(t).enumerate() {
        let wi = w(i);
        sw += wi;
        swz += wi * zi;
        swt += wi * ti;
    }
    if sw.is_nan() || sw <= 0.0 {
        return None;
    }
    let (zm, tm) = (swz / sw, swt / sw);
    let (mut szz, mut szt) = (0.0, 0.0);
    for (i, (zi, ti)) in z.iter().zip(t).enumerate() {
        let (wi, dz) = (w(i), zi - zm);
        szz += wi * dz * dz;
        szt += wi * dz * (ti - tm);
    }
    if szz.is_nan() || szz <= 0.0 || !szz.is_finite() || !szt.is_finite() {
        return None;
    }
    let c1 = szt / szz;
    Some((tm - c1 * zm, c1))
}

/// The sign of every `y` when they share one (`1` or `−1`), else `0`.
pub(crate) fn common_sign(y: &[f64]) -> f64 {
    if y.iter().all(|v| *v > 0.0) {
        1.0
    } else if y.iter().all(|v| *v < 0.0) {
        -1.0
    } else {
        0.0
    }
}

/// `ln |y|` of every point (the model's own when it already holds `ln y`).
pub(crate) fn ln_abs_y<'m>(model: &'m FormModel, sign: f64) -> std::borrow::Cow<'m, [f64]> {
    if sign > 0.0 && model.ln_y.len() == model.points.len() {
        std::borrow::Cow::Borrowed(&model.ln_y)
    } else {
        model.points.y.iter().map(|v| (sign * v).ln()).collect()
    }
}

/// The search range of the generic inverse, as `ln x`.
const LN_X_RANGE: (f64, f64) = (-69.0, 138.0); // 1e-30 … 1e60

/// The generic inverse of a one-input law: the `x` in 1e-30…1e60 where the law equals
/// `target`, refused unless the law is monotone over that range (checked on 415 points).
pub(crate) fn monotone_inverse<L: Law + ?Sized>(
    law: &L,
    p: &[f64],
    target: f64,
) -> Result<f64, InvertError> {
    if law.inputs().len() != 1 {
        return Err(InvertError::NotOneInput);
    }
    check_target(target)?;
    let unreachable = |reason: String| InvertError::Unreachable { target, reason };
    let f = |u: f64| {
        let (x, ln) = ([u.exp()], [u]);
        law.value(p, super::At { x: &x, ln: &ln }, None) - target
    };
    let (lo, hi) = LN_X_RANGE;
    let steps = 414;
    let grid: Vec<(f64, f64)> = (0..=steps)
        .map(|i| lo + (hi - lo) * i as f64 / steps as f64)
        .map(|u| (u, f(u)))
        .collect();
    let finite: Vec<&(f64, f64)> = grid.iter().filter(|(_, v)| v.is_finite()).collect();
    let rising = finite.windows(2).filter(|w| w[1].1 > w[0].1).count();
    let falling = finite.windows(2).filter(|w| w[1].1 < w[0].1).count();
    if rising > 0 && falling > 0 {
        return Err(unreachable(
            "the law is not monotone between x = 1e-30 and 1e60, so a target can be met at \
             more than one scale"
                .into(),
        ));
    }
    let bracket = finite
        .windows(2)
        .find(|w| w[0].1 == 0.0 || w[0].1.signum() != w[1].1.signum());
    let Some(w) = bracket else {
        return Err(unreachable(
            "the law does not reach the target between x = 1e-30 and 1e60".into(),
        ));
    };
    let u = bisect(&f, w[0].0, w[1].0);
    Ok(u.exp())
}

/// A root of `f` in `[a, b]` (a sign change), by bisection to the last bit.
fn bisect(f: &dyn Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let mut fa = f(a);
    if fa == 0.0 {
        return a;
    }
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if m <= a || m >= b {
            break;
        }
        let fm = f(m);
        if fm == 0.0 {
            return m;
        }
        if fm.signum() == fa.signum() {
            a = m;
            fa = fm;
        } else {
            b = m;
        }
    }
    0.5 * (a + b)
}

/// A finite target, or [`InvertError::BadArgument`].
pub(crate) fn check_target(target: f64) -> Result<f64, InvertError> {
    if target.is_finite() {
        Ok(target)
    } else {
        Err(InvertError::BadArgument {
            name: "target",
            value: target,
        })
    }
}

/// A positive finite argument, or [`InvertError::BadArgument`].
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64, InvertError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(InvertError::BadArgument { name, value })
    }
}

/// The point of the frontier at N = `n` for `compute`.
fn allocation<F: Frontier + ?Sized>(law: &F, p: &[f64], compute: f64, n: f64) -> Allocation {
    let d = compute / (6.0 * n);
    Allocation {
        compute,
        n,
        d,
        loss: law.loss(p, n, d),
        tokens_per_param: d / n,
    }
}

/// The minimiser over `u` in `[lo, hi]` of `f`: a scan on 200 points, then golden-section
/// search between the scan's neighbours of its best point.
fn minimise_1d(f: &dyn Fn(f64) -> f64, lo: f64, hi: f64) -> Option<f64> {
    let steps = 200;
    let at = |i: usize| lo + (hi - lo) * i as f64 / steps as f64;
    let best = (0..=steps)
        .map(|i| (i, f(at(i))))
        .filter(|(_, v)| v.is_finite())
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    let (mut a, mut b) = (at(best.0.saturating_sub(1)), at((best.0 + 1).min(steps)));
    let g = 0.5 * (5f64.sqrt() - 1.0);
    for _ in 0..200 {
        if b - a <= 1e-14 * a.abs().max(1.0) {
            break;
        }
        let (c, d) = (b - g * (b - a), a + g * (b - a));
        if f(c) <= f(d) {
            b = d;
        } else {
            a = c;
        }
    }
    Some(0.5 * (a + b))
}

/// [`Frontier::optimal_allocation`] by search over `ln N` (with `D = C/6N ≥ 1`).
pub(crate) fn numeric_allocation<F: Frontier + ?Sized>(
    law: &F,
    p: &[f64],
    compute: f64,
) -> Result<Allocation, InvertError> {
    let c = positive("compute", compute)?;
    let hi = (c / 6.0).ln();
    if hi <= 0.0 {
        return Err(InvertError::BadArgument {
            name: "compute",
            value: c,
        });
    }
    let f = |u: f64| law.loss(p, u.exp(), c / (6.0 * u.exp()));
    let u = minimise_1d(&f, 0.0, hi)
        .ok_or_else(|| InvertError::BadParams("the loss is not finite at this compute".into()))?;
    Ok(allocation(law, p, c, u.exp()))
}

/// [`Frontier::compute_for_loss`] by bisection over `ln C` along the frontier.
pub(crate) fn numeric_compute_for_loss<F: Frontier + ?Sized>(
    law: &F,
    p: &[f64],
    loss: f64,
) -> Result<Allocation, InvertError> {
    check_target(loss).map_err(|_| InvertError::BadArgument {
        name: "loss",
        value: loss,
    })?;
    let at = |u: f64| law.optimal_allocation(p, u.exp()).map(|a| a.loss);
    let (lo, hi) = (10f64.ln(), 1e60f64.ln());
    let best = at(hi)?;
    // Also refuses a NaN loss at 1e60 FLOP.
    let reached = best < loss;
    if !reached {
        return Err(InvertError::Unreachable {
            target: loss,
            reason: format!("even 1e60 FLOP only reach a loss of {best}"),
        });
    }
    let f = |u: f64| at(u).map_or(f64::NAN, |l| l - loss);
    if f(lo) <= 0.0 {
        return law.optimal_allocation(p, lo.exp());
    }
    law.optimal_allocation(p, bisect(&f, lo, hi).exp())
}

/// [`Frontier::tokens_for_loss`] by bisection over `ln D`.
pub(crate) fn numeric_tokens_for_loss<F: Frontier + ?Sized>(
    law: &F,
    p: &[f64],
    n: f64,
    loss: f64,
) -> Result<f64, InvertError> {
    let n = positive("N", n)?;
    let f = |u: f64| law.loss(p, n, u.exp()) - loss;
    let (lo, hi) = (0.0, 1e300f64.ln());
    let below = f(hi) < 0.0; // false for NaN too
    if !below {
        return Err(InvertError::Unreachable {
            target: loss,
            reason: format!(
                "a model of {n:e} parameters cannot go below {} however much data it sees",
                law.loss(p, n, 1e300)
            ),
        });
    }
    if f(lo) <= 0.0 {
        return Ok(1.0);
    }
    Ok(bisect(&f, lo, hi).exp())
}

/// [`Frontier::min_params_for_loss`] by bisection over `ln N` with unlimited data.
pub(crate) fn numeric_min_params<F: Frontier + ?Sized>(
    law: &F,
    p: &[f64],
    loss: f64,
) -> Result<f64, InvertError> {
    let f = |u: f64| law.loss(p, u.exp(), 1e300) - loss;
    let (lo, hi) = (0.0, 1e300f64.ln());
    let below = f(hi) < 0.0; // false for NaN too
    if !below {
        return Err(InvertError::Unreachable {
            target: loss,
            reason: format!(
                "no model gets below {} however much data it sees",
                law.loss(p, 1e300, 1e300)
            ),
        });
    }
    if f(lo) <= 0.0 {
        return Ok(1.0);
    }
    Ok(bisect(&f, lo, hi).exp())
}
